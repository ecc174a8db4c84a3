"""Arabic structure: front matter, title, bylines, notes, headings, captions, joins."""

from pipeline.config import load_config
from pipeline.document import Side
from pipeline.registry import make_options, registered_stages
from pipeline.stages.structure import StructureOptions, analyse_layout


def blocks_of(bitext, kind):
    return [b for b in bitext.ar.layer("blocks") if b.label == kind]


def test_sample_front_matter_roles(sample_bitext):
    roles = [b.attrs["role"] for b in blocks_of(sample_bitext, "front")]
    assert roles == ["publisher", "publisher_en", "credit", "about_label", "about",
                     "disclaimer_label", "disclaimer", "copyright", "web", "mail", "motto"]


def test_sample_title_bylines_and_author_notes(sample_bitext):
    raw = sample_bitext.ar.raw
    titles = blocks_of(sample_bitext, "title")
    assert len(titles) == 2 and titles[1].attrs.get("repeated")
    assert titles[0].text(raw) == "طالبان لا تستطيع مجابهة تنظيم الدولة الإسلامية بمفردها"
    bylines = blocks_of(sample_bitext, "byline")
    assert [a["marker"] for a in bylines[1].attrs["authors"]] == ["*", "**"]
    assert sample_bitext.meta.authors["ar"] == ["أميرة جدون", "أندرو ماينز"]
    notes = blocks_of(sample_bitext, "footnote")
    assert [n.attrs["n"] for n in notes] == ["*", "**"]
    assert notes[0].text(raw).startswith("دكتوراه في العلوم السياسية")   # marker not in the text
    assert notes[1].text(raw).startswith("باحث ضمن برنامج التطرف")


def test_sample_headings_captions_and_source(sample_bitext):
    raw = sample_bitext.ar.raw
    assert [h.text(raw) for h in blocks_of(sample_bitext, "heading")] == [
        "أصول وأهداف تنظيم الدولة الإسلامية في أفغانستان", "طالبان: خصم لا بد منه",
        "البعد العسكري", "ما التالي؟"]
    captions = blocks_of(sample_bitext, "caption")
    assert [c.attrs["n"] for c in captions] == [1, 2]
    assert captions[0].text(raw).startswith("الشكل 1 - ")
    assert sample_bitext.meta.source_url == \
        "https://warontherocks.com/2021/10/the-taliban-cant-take-on-the-islamic-state-alone/"


def test_sample_paragraphs_cut_by_page_breaks_are_joined(sample_bitext):
    raw = sample_bitext.ar.raw
    joined = [b for b in blocks_of(sample_bitext, "paragraph") if len(b.parts) > 1]
    assert len(joined) == 6
    first = joined[0].text(raw)
    assert "وباختصار حينما ضُعبَ تنظيم الدولة الإسلامية في أفغانستان بصورة كبيرة" in first
    # the author notes lie between the two parts, outside the paragraph
    notes = blocks_of(sample_bitext, "footnote")
    assert joined[0].parts[0][1] < notes[0].start < notes[1].end < joined[0].parts[1][0]
    breaks = sample_bitext.ar.layer("page_breaks")
    assert sorted(b.start for b in breaks) == sorted(p.parts[1][0] for p in joined)
    assert all(b.attrs.get("inferred") for b in breaks)


def test_no_text_is_lost_by_structure(sample_bitext):
    """Every non-space raw character is in a block, except markers and URL brackets."""
    raw = sample_bitext.ar.raw
    covered = [False] * len(raw)
    for block in sample_bitext.ar.layer("blocks"):
        for a, b in block.parts:
            covered[a:b] = [True] * (b - a)
    lost = "".join(c for c, seen in zip(raw, covered) if not seen and not c.isspace())
    assert set(lost) <= set("*<>"), lost


def _options(**table):
    problems = []
    options = make_options(registered_stages()["ar.structure"], table, problems)
    assert not problems
    return options


def test_generic_layout_with_form_feeds_and_page_numbers():
    raw = ("عنوان المقال\n\nكاتب أول - كاتب ثان\n\nمقدمة\n\n"
           "هذه فقرة طويلة تنتهي في الصفحة الأولى ولا تنتهي\n\f\n"
           "هنا بعد فاصل الصفحة، وتنتهي الآن.\n\nالشكل 3: رسم بياني\n\nفقرة أخيرة قصيرة جداً لكنها تامة.\n")
    blocks, breaks, meta = analyse_layout(Side("ar", raw), StructureOptions())
    kinds = [b.label for b in blocks]
    assert kinds == ["title", "byline", "heading", "paragraph", "caption", "paragraph"]
    paragraph = blocks[3]
    assert paragraph.text(raw) == ("هذه فقرة طويلة تنتهي في الصفحة الأولى ولا تنتهي "
                                   "هنا بعد فاصل الصفحة، وتنتهي الآن.")
    assert len(breaks) == 1 and breaks[0].attrs.get("explicit")
    assert blocks[4].attrs["n"] == 3
    assert meta["authors"] == [{"name": "كاتب أول", "marker": None}, {"name": "كاتب ثان", "marker": None}]


def test_profile_front_rules_come_from_configuration():
    config = load_config(profile="bayan-center")
    table = config["stages"]["ar.structure"]
    options = _options(**table)
    assert any(role == "about" for _, _, role in options.front_rules)
    # without the profile the same line is not front matter
    raw = "مركز البيان للدراسات والتخطيط\n\nعنوان\n\nفقرة تامة من المقال وفيها كلام كثير.\n"
    with_profile, _, _ = analyse_layout(Side("ar", raw), options)
    generic, _, _ = analyse_layout(Side("ar", raw), StructureOptions())
    assert with_profile[0].label == "front" and generic[0].label == "title"


def test_empty_and_single_line_documents():
    blocks, breaks, meta = analyse_layout(Side("ar", ""), StructureOptions())
    assert blocks == [] and breaks == [] and meta["title"] is None
    blocks, _, _ = analyse_layout(Side("ar", "سطر واحد فقط"), StructureOptions())
    assert [b.label for b in blocks] == ["title"]
