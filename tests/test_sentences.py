"""Sentence splitting and tokens with offsets."""
import pytest

from pipeline.stages.sentences import split_arabic, tokenize_located


def sentences(text):
    return [text[a:b] for a, b in split_arabic(text)]


@pytest.mark.parametrize("text, expected", [
    ("قال الرجل. ثم ذهب.", ["قال الرجل.", "ثم ذهب."]),
    ("هل أتى؟ نعم!", ["هل أتى؟", "نعم!"]),
    ("بلغ العدد 1.5 مليون شخص. انتهى.", ["بلغ العدد 1.5 مليون شخص.", "انتهى."]),
    ("زوروا www.bayancenter.org. شكراً.", ["زوروا www.bayancenter.org.", "شكراً."]),
    ("قال د. أحمد إن الوضع صعب.", ["قال د. أحمد إن الوضع صعب."]),
    ("كتبوا «هل هذا صحيح؟! لا.» ثم سكتوا.", ["كتبوا «هل هذا صحيح؟! لا.» ثم سكتوا."]),
    ("الهجوم وقع؛ وقتل عشرة.", ["الهجوم وقع؛", "وقتل عشرة."]),
    ("صُمِّمَ هجوم مطار كابل؛ لتسليط الضوء.", ["صُمِّمَ هجوم مطار كابل؛ لتسليط الضوء."]),
    ("تشويه سمعتها؛ لأنَّها متعاونة.", ["تشويه سمعتها؛ لأنَّها متعاونة."]),
    ("هذا سيئ؛ لقد فشلوا.", ["هذا سيئ؛", "لقد فشلوا."]),
    ("جملة بلا نهاية", ["جملة بلا نهاية"]),
    ("", []),
    ("   ", []),
])
def test_split_arabic(text, expected):
    assert sentences(text) == expected


def test_tokens_are_located_in_the_text():
    text = "وفي 26 آب/أغسطس 2021، قال «حافظ سعيد خان»."
    tokens = [text[a:b] for a, b in tokenize_located(text)]
    assert tokens[:6] == ["وفي", "26", "آب", "/", "أغسطس", "2021"]
    assert "حافظ" in tokens and tokens[-1] == "."


def test_sample_sentences_have_ids_in_reading_order(sample_bitext):
    for side in sample_bitext.sides():
        sentences_ = side.layer("sentences")
        assert sentences_, side.lang
        assert [s.id for s in sentences_] == [f"{side.lang}.s{i}" for i in range(1, len(sentences_) + 1)]
        block_ids = {b.id for b in side.layer("blocks")}
        assert all(s.attrs["block"] in block_ids for s in sentences_)


def test_sentence_crossing_a_page_break_has_two_parts(sample_bitext):
    ar = sample_bitext.ar
    crossing = [s for s in ar.layer("sentences") if len(s.parts) > 1]
    assert len(crossing) == 6
    text = ar.view("reading").span_text(crossing[0])
    assert "حينما ضعب تنظيم الدولة الإسلامية" in text.replace("ُ", "").replace("َ", "")


def test_tokens_cover_sentence_words(sample_bitext):
    ar = sample_bitext.ar
    tokens = ar.layer("tokens")
    first_sentence = ar.layer("sentences")[0]
    words = [ar.raw[t.start:t.end] for t in tokens if t.attrs["s"] == first_sentence.id]
    assert words == ["مركز", "البيان", "للدراسات", "والتخطيط"]
    en = sample_bitext.en
    assert len(en.layer("tokens")) > 1000
