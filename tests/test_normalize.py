"""Arabic normalization: two levels, every character mapped back to raw."""
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.document import OffsetMap, View
from pipeline.stages.normalize import NormalizeOptions, normalize_view


def reading_and_key(raw):
    return normalize_view(View(raw, OffsetMap.identity(len(raw))))


@pytest.mark.parametrize("raw, reading", [
    ("\ufee3\ufeae\ufea3\ufe92\ufe8e", "مرحبا"),          # presentation forms
    ("\ufefb", "لا"),                                      # lam-alef ligature expands
    ("كتـــاب", "كتاب"),                                   # tatweel
    ("\u200fنص\u200e", "نص"),                              # bidi marks
    ("می\u200cخواهم", "ميخواهم"),                          # ZWNJ removed, not a space
    ("کتاب", "كتاب"),                                      # keheh -> kaf
    ("یکی", "يكى"),                                        # Farsi yeh: inside ي, final ى
    ("عام ۲۰۲۱", "عام ٢٠٢١"),                              # Persian digits
    ("قال, ثم", "قال، ثم"),                                 # Latin comma after Arabic
    ("ماذا?", "ماذا؟"),
    ("1,500 شخص", "1,500 شخص"),                            # digits keep their comma
    ("كلمة  \u00a0 أخرى", "كلمة أخرى"),                     # odd spaces collapsed
    ("\u0627\u0654", "أ"),                                 # combining hamza composed
    ("", ""),
])
def test_reading_view(raw, reading):
    assert reading_and_key(raw)[0].text == reading


@pytest.mark.parametrize("raw, key", [
    ("مُسْتَقِلٌّ", "مستقل"),
    ("أإآٱ", "اااا"),
    ("مستشفى", "مستشفي"),
    ("الدولة", "الدوله"),
    ("عام ٢٠٢١ و۱۵", "عام 2021 و15"),
    ("ISKP، IS-K؟", "iskp, is-k?"),
])
def test_key_view(raw, key):
    assert reading_and_key(raw)[1].text == key


def test_options_can_keep_spaces_and_punctuation():
    raw = "قال,  ثم"
    reading, _ = normalize_view(View(raw, OffsetMap.identity(len(raw))),
                                NormalizeOptions(collapse_spaces=False, arabic_punctuation=False))
    assert reading.text == raw


def test_each_reading_character_points_at_its_raw_source():
    raw = "الـــدولة \ufefb ﻓﻲ ۲۰۲۱\u200f"
    reading, key = reading_and_key(raw)
    for view in (reading, key):
        for i, char in enumerate(view.text):
            a, b = view.offsets.to_raw(i, i + 1)
            source = raw[a:b]
            assert source, f"{char!r} maps to nothing"
            # the source, normalized on its own, produces the character
            assert char in reading_and_key(source)[0].text + reading_and_key(source)[1].text


ARABIC_ISH = st.text(alphabet=st.sampled_from(list(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءأإآةى\u064e\u0650\u0651\u0640\u200c\u200f،,?.ﻻﻓﻲیک۱٢3 \n")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(ARABIC_ISH)
def test_offsets_are_monotonic_and_inside_raw(raw):
    reading, key = reading_and_key(raw)
    for view in (reading, key):
        assert len(view.offsets) == len(view.text)
        starts = view.offsets.raw_start
        assert starts == sorted(starts)
        assert all(0 <= a < b <= len(raw) for a, b in zip(view.offsets.raw_start, view.offsets.raw_end))
        # slicing the whole raw range gives back the whole view
        assert view.slice_raw(0, len(raw)) == view.text
