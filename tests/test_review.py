"""The review page (HTML), the terminal view and their CLI commands, without a browser.

A hand-made ``corrections`` layer (applied fixes, suggestions, one inside a name, one
crossing a name's edge, one outside any sentence) stands in for the corrections stage.
"""
from __future__ import annotations

import json
import re

import pytest
from lxml import etree, html

from pipeline.cli import EXIT_BAD_INPUT, EXIT_OK, main
from pipeline.document import Bitext, Span
from pipeline.export import EXPORTERS, NEEDS_ALIGNMENT, json_bytes, render_outputs
from pipeline.export.review import ensure_views, review_html
from pipeline.export.tei import TEI_NS, entity_xml_id, tei_bytes

NS = {"t": TEI_NS}
NAME_TAGS = ("persName", "placeName", "orgName", "name")


def copy_of(bitext: Bitext) -> Bitext:
    """A deep copy through the JSON document, reading views rebuilt (as `bayan review` does)."""
    return ensure_views(Bitext.from_json(json.loads(json_bytes(bitext))))


def _inside_sentence(side, start: int, end: int) -> bool:
    return any(a <= start and end <= b for s in side.layer("sentences") for a, b in s.parts)


def with_corrections(bitext: Bitext) -> Bitext:
    """A copy of ``bitext`` with a hand-made Arabic ``corrections`` layer (5 spans)."""
    copy = copy_of(bitext)
    side = copy.ar
    raw = side.raw
    spans = []

    def word(text: str) -> tuple[int, int]:
        start = raw.find(text)
        assert start >= 0 and _inside_sentence(side, start, start + len(text)), text
        return start, start + len(text)

    a, b = word("لتهام")
    spans.append(Span.at(a, b, "correction", before="لتهام", after="لاتهام", rule="missing-alef",
                         confidence=0.91, applied=True))
    a, b = word("ضُعبَ")
    spans.append(Span.at(a, b, "correction", before="ضُعبَ", after="ضَعُفَ", rule="letter-swap",
                         confidence=0.55, applied=False))
    entities = [e for e in side.layer("entities") if len(e.parts) == 1 and e.end - e.start >= 5]
    inside = next(e for e in entities if raw[e.start:e.end] == "ننكرهار")
    spans.append(Span.at(inside.start, inside.end, "correction", before="ننكرهار", after="ننجرهار",
                         rule="name-variant", confidence=0.4, applied=False))
    crossing = next(e for e in entities if e.start > 3000 and raw[e.start - 1] == " "
                    and all(not (s.start < e.start + 2 and e.start - 3 < s.end) for s in spans))
    spans.append(Span.at(crossing.start - 3, crossing.start + 2, "correction", before=raw[crossing.start - 3:crossing.start + 2],
                         after="xx", rule="test-crossing", confidence=0.7, applied=True))
    byline = next(b for b in side.layer("blocks") if b.label == "byline")
    assert not _inside_sentence(side, byline.start, byline.start + 3)
    spans.append(Span.at(byline.start, byline.start + 3, "correction", before=raw[byline.start:byline.start + 3],
                         after="XYZ", rule="test-outside", confidence=0.99, applied=True))
    side.set_layer("corrections", spans)
    return copy


def tei_names(tei, lang: str):
    text = tei.find(f".//t:group/t:text[@{{http://www.w3.org/XML/1998/namespace}}lang='{lang}']", NS)
    return list(text.iter(*(f"{{{TEI_NS}}}{tag}" for tag in NAME_TAGS)))


@pytest.fixture(scope="module")
def page(sample_bitext):
    return html.fromstring(review_html(sample_bitext))


@pytest.fixture(scope="module")
def corrected_bitext(sample_bitext):
    return with_corrections(sample_bitext)


@pytest.fixture(scope="module")
def corrected_page(corrected_bitext):
    return html.fromstring(review_html(corrected_bitext))


def test_one_row_per_bead_in_document_order(page, sample_bitext):
    rows = page.xpath("//table[@id='beads']/tbody/tr[contains(concat(' ', @class, ' '), ' bead ')]")
    assert len(rows) == len(sample_bitext.alignment)
    assert [r.get("id") for r in rows] == [f"bead-{n}" for n in range(1, len(rows) + 1)]
    for row, bead in zip(rows, sample_bitext.alignment):
        assert [s.get("id") for s in row.xpath("./td[contains(@class,'en')]//span[contains(concat(' ', @class, ' '), ' s ')]")] == bead["en"]
        assert [s.get("id") for s in row.xpath("./td[contains(@class,'ar')]//span[contains(concat(' ', @class, ' '), ' s ')]")] == bead["ar"]
        assert row.get("data-flags").split() == bead["flags"]
        assert f"{bead['cert']:.2f}" in row.xpath("string(.//span[@class='num'])")


def test_every_sentence_once(page, sample_bitext):
    ids = page.xpath("//span[contains(concat(' ', @class, ' '), ' s ')]/@id")
    assert len(ids) == len(set(ids))
    assert set(ids) == {s.id for side in sample_bitext.sides() for s in side.layer("sentences")}


def test_columns_languages_and_direction(page):
    arabic = page.xpath("//tr[contains(@class,'bead')]/td[contains(@class,'ar')]")
    english = page.xpath("//tr[contains(@class,'bead')]/td[contains(@class,'en')]")
    assert arabic and all(td.get("dir") == "rtl" and td.get("lang") == "ar" for td in arabic)
    assert english and all(td.get("lang") == "en" and td.get("dir") is None for td in english)
    header = page.xpath("//thead//th")
    assert [th.text_content() for th in header][0] == "English" and header[-1].get("dir") == "rtl"


def test_flags_highlighted_and_summarised(page, sample_bitext):
    flagged = [n for n, b in enumerate(sample_bitext.alignment, 1) if b["flags"]]
    assert flagged
    assert [int(r.get("id")[5:]) for r in page.xpath("//tr[contains(concat(' ', @class, ' '), ' flagged ')]")] == flagged
    assert [a.get("href") for a in page.xpath("//details[@id='flagged-list']//a")] == [f"#bead-{n}" for n in flagged]
    for n in flagged:
        row = page.get_element_by_id(f"bead-{n}")
        for flag in sample_bitext.alignment[n - 1]["flags"]:
            assert f"f-{flag}" in row.get("class").split()
            assert row.xpath(f".//span[contains(@class,'fl-{flag}')]")
        assert row.get("data-nav") is not None
    merge = next(b for b in sample_bitext.alignment if "suspicious_merge" in b["flags"])
    assert "weakest" in page.get_element_by_id(merge["weakest"]).get("class")


def test_paragraph_breaks_are_shown(page, sample_bitext):
    separators = page.xpath("//tr[@class='sep']")
    blocks = {s.id: s.attrs.get("block") for side in sample_bitext.sides() for s in side.layer("sentences")}
    expected, last = 0, {"ar": None, "en": None}
    for number, bead in enumerate(sample_bitext.alignment, 1):
        new = False
        for lang in ("ar", "en"):
            if bead[lang]:
                new |= blocks[bead[lang][0]] != last[lang]
                last[lang] = blocks[bead[lang][-1]]
        expected += new and number > 1
    assert len(separators) == expected > 10
    assert page.xpath("//span[@class='pbreak']")  # blocks changing inside a bead


def page_names(page, lang: str):
    return page.xpath(f"//table[@id='beads']//td[contains(@class,'{lang}')]"
                      "//span[contains(concat(' ', @class, ' '), ' ent ')]")


def test_entity_mentions_all_on_the_page(page, sample_bitext, sample_tei):
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    for side in sample_bitext.sides():
        spans = page_names(page, side.lang)
        layer = side.layer("entities")
        assert len(layer) > 200
        # every mention once (with its id), every further part of a name cut by a page break too
        assert sorted(c.get("id") for c in spans if c.get("id")) == sorted(e.id for e in layer)
        assert len(spans) == sum(len(e.parts) for e in layer)
        assert all(re.search(r"\bt-[A-Z_]+\b", c.get("class")) for c in spans)
        # every name the TEI holds is on the page, same mention, same entity
        names = tei_names(sample_tei, side.lang)
        by_id = {c.get("id"): c for c in spans if c.get("id")}
        for name in names:
            if name.get(xml_id):
                span = by_id[name.get(xml_id)]
                assert "#" + entity_xml_id(span.get("data-entity")) == name.get("ref")
        assert len(names) <= len(spans)
    linked = page.xpath("//span[@data-link]")
    assert len(linked) > 400
    for span in linked:
        other = page.get_element_by_id(span.get("data-link"))
        assert other.get("data-link") == span.get("id") or span.get("data-part")
    person = page.xpath("//span[contains(@class,'t-PERSON') and @data-entity]")[0]
    assert person.get("data-entity").startswith("per-")


def test_the_pipelines_corrections_and_the_teis_choices(page, sample_bitext, sample_tei):
    """Whatever the corrections stage found in the sample: each on the page, each TEI choice too."""
    layer = sample_bitext.ar.layer("corrections")
    spans = page.xpath("//span[contains(concat(' ', @class, ' '), ' corr ')]")
    assert len(spans) == len(layer)
    assert sorted(s.get("id") for s in spans if s.get("id")) == sorted(c.id for c in layer if c.id)
    choices = sample_tei.findall(".//t:group//t:choice", NS)
    assert len(choices) <= len(spans)
    afters = [s.get("data-after") for s in spans]
    for choice in choices:
        fixed = choice.find("t:corr", NS) if choice.find("t:corr", NS) is not None else choice.find("t:reg", NS)
        assert "".join(fixed.itertext()) in afters
    for correction in layer:
        shown = page.get_element_by_id(correction.id) if correction.id else None
        if shown is not None:
            kind = "applied" if correction.attrs.get("applied") else "suggestion"
            assert kind in shown.get("class").split()
            if correction.attrs.get("applied") and "corr-point" not in shown.get("class"):
                assert shown.text_content() == correction.attrs["after"]


def test_self_contained_and_fonts(page, sample_bitext):
    raw = review_html(sample_bitext).decode("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", raw)
    assert "<link" not in raw and "@import" not in raw and "url(" not in raw
    images = page.xpath("//img")
    assert images and all(img.get("src").startswith("data:image/png;base64,") for img in images)
    assert '"Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans",serif' in raw
    assert page.xpath("//script[not(@src)]") and not page.xpath("//script[@src]")
    assert 'addEventListener("mouseover"' in raw and '"keydown"' in raw


def test_filters_and_keyboard_help_present(page):
    assert page.get_element_by_id("f-flagged").get("type") == "checkbox"
    assert page.get_element_by_id("f-corr").get("type") == "checkbox"
    types = [o.get("value") for o in page.get_element_by_id("f-type").xpath("option")]
    assert {"PERSON", "GROUP", "COUNTRY"} <= set(types)
    entities = [o.get("value") for o in page.get_element_by_id("f-entity").xpath("option")]
    assert "grp-taliban" in entities
    flags = [o.get("value") for o in page.get_element_by_id("f-flag").xpath("option")]
    assert {"omission", "addition", "suspicious_merge", "low_confidence"} <= set(flags)
    assert page.xpath("//kbd[.='n']") and page.xpath("//kbd[.='k']")


def test_without_corrections_layer(sample_bitext):
    bare = copy_of(sample_bitext)
    bare.ar.layers.pop("corrections", None)
    page = html.fromstring(review_html(bare, with_plots=False))
    assert not page.xpath("//span[contains(@class,'corr')]")
    assert "No corrections layer" in page.get_element_by_id("summary").text_content()
    bare.ar.set_layer("corrections", [])
    again = html.fromstring(review_html(bare, with_plots=False))
    assert not again.xpath("//span[contains(@class,'corr')]")
    assert len(again.xpath("//tr[contains(concat(' ', @class, ' '), ' bead ')]")) == len(sample_bitext.alignment)


def test_corrections_shown_with_originals(corrected_page, corrected_bitext):
    layer = corrected_bitext.ar.layer("corrections")
    spans = corrected_page.xpath("//span[contains(concat(' ', @class, ' '), ' corr ')]")
    assert len(spans) == len(layer) == 5
    applied = corrected_page.xpath("//table//span[contains(@class,'corr') and contains(@class,'applied') and not(contains(@class,'corr-point'))]")
    assert [s.text_content() for s in applied] == ["لاتهام"]
    assert applied[0].get("title").startswith("was: لتهام") and applied[0].get("data-before") == "لتهام"
    suggestions = corrected_page.xpath("//span[contains(@class,'corr') and contains(@class,'suggestion')]")
    assert len(suggestions) == 2
    swap = next(s for s in suggestions if s.get("data-rule") == "letter-swap")
    assert swap.text_content() == "ضُعبَ" and "ضَعُفَ" in swap.get("title") and swap.get("data-confidence") == "0.550"
    nested = corrected_page.xpath("//span[contains(@class,'ent')]/span[contains(@class,'suggestion')]")
    assert [s.get("data-after") for s in nested] == ["ننجرهار"]
    assert len(corrected_page.xpath("//span[contains(@class,'corr-point')]")) == 1
    outside = corrected_page.get_element_by_id("outside")
    assert outside.xpath(".//span[@data-rule='test-outside']")[0].text_content() == "XYZ"
    rows = corrected_page.xpath("//tr[contains(@class,'has-corr')]")
    assert len(rows) == 3 and all(r.get("data-corr") != "0" for r in rows)
    assert len(corrected_page.xpath("//tr[contains(@class,'has-suggestion')][@data-nav]")) == 2
    links = corrected_page.xpath("//details[@id='corrections-list']//a/@href")
    assert "#outside" in links and len(links) == 4
    # the entity mentions are untouched by the corrections (one inside a name, one across a name's edge)
    assert len(corrected_page.xpath("//table//span[contains(concat(' ', @class, ' '), ' ent ')]")) == \
        sum(len(e.parts) for side in corrected_bitext.sides() for e in side.layer("entities"))


def test_tei_choices_all_on_the_page(corrected_page, corrected_bitext):
    """Every <choice> the TEI holds (once the TEI writer renders corrections) is on the page."""
    tei = etree.fromstring(tei_bytes(corrected_bitext))
    choices = tei.findall(".//t:group//t:choice", NS)
    page_afters = corrected_page.xpath("//span[contains(concat(' ', @class, ' '), ' corr ')]/@data-after")
    assert len(choices) <= len(page_afters)
    for choice in choices:
        corr = choice.find("t:corr", NS)
        if corr is not None:
            assert "".join(corr.itertext()) in page_afters


def test_arabic_only_document_gets_a_page(sample_bitext):
    arabic_only = Bitext(ar=copy_of(sample_bitext).ar, meta=sample_bitext.meta)
    page = html.fromstring(review_html(arabic_only, with_plots=False))
    rows = page.xpath("//tr[contains(concat(' ', @class, ' '), ' bead ')]")
    assert len(rows) == len(arabic_only.ar.layer("sentences"))
    outputs = render_outputs(arabic_only, ["review", "plot-confidence-png", "tei"])
    assert sorted(outputs) == ["bayan-2021-taliban-iskp.tei.xml"]


def test_registered_and_configured():
    from pipeline.config import load_config
    assert EXPORTERS["review"][0] == ".review.html"
    assert "review" in NEEDS_ALIGNMENT and "plot-confidence-png" in NEEDS_ALIGNMENT
    assert "plot-types-png" not in NEEDS_ALIGNMENT
    formats = load_config(None, None)["output"]["formats"]
    assert "review" in formats
    assert {f"plot-{n}-{x}" for n in ("types", "top", "confidence") for x in ("png", "svg")} <= set(formats)


@pytest.fixture()
def out_dir(tmp_path, sample_bitext):
    (tmp_path / "bayan-2021-taliban-iskp.json").write_bytes(json_bytes(sample_bitext))
    (tmp_path / "notes.json").write_text('{"not": "a document"}', encoding="utf-8")
    return tmp_path


def test_cli_review_writes_next_to_the_json(out_dir, capsys, sample_bitext):
    assert main(["review", str(out_dir)]) == EXIT_OK
    written = out_dir / "bayan-2021-taliban-iskp.review.html"
    assert capsys.readouterr().out.strip() == str(written)
    page = html.fromstring(written.read_bytes())
    assert len(page.xpath("//tr[contains(concat(' ', @class, ' '), ' bead ')]")) == len(sample_bitext.alignment)
    assert not list(out_dir.glob(".*.part"))
    other = out_dir / "elsewhere" / "r.html"
    assert main(["review", str(out_dir), "-o", str(other)]) == EXIT_OK and other.stat().st_size > 10000


def test_cli_review_refuses_a_folder_without_documents(tmp_path, capsys):
    assert main(["review", str(tmp_path)]) == EXIT_BAD_INPUT
    assert "no bayan JSON document" in capsys.readouterr().err
    assert main(["show", str(tmp_path / "missing"), "--no-pager"]) == EXIT_BAD_INPUT


def _has_presentation_forms(text: str) -> bool:
    return bool(re.search("[\ufe70-\ufefc]", text))


def test_cli_show_bidi_and_logical(out_dir, capsys, monkeypatch, sample_bitext):
    monkeypatch.setenv("COLUMNS", "140")
    assert main(["show", str(out_dir), "--no-pager"]) == EXIT_OK
    shown = capsys.readouterr().out
    assert f"{len(sample_bitext.alignment)} of {len(sample_bitext.alignment)} beads" in shown
    assert _has_presentation_forms(shown) and "suspicious merge" in shown
    assert main(["show", str(out_dir), "--no-bidi", "--no-pager", "--flagged"]) == EXIT_OK
    logical = capsys.readouterr().out
    flagged = sum(1 for b in sample_bitext.alignment if b["flags"])
    assert f"{flagged} of {len(sample_bitext.alignment)} beads (flagged only)" in logical
    assert not _has_presentation_forms(logical) and "مركز البيان" in logical


def test_terminal_lines_are_visual_and_in_reading_order():
    from pipeline.export.terminal import visual_lines
    text = "طالبان لا تستطيع مجابهة تنظيم الدولة الإسلامية بمفردها في عام 2021"
    lines = visual_lines(text, 24)
    assert len(lines) >= 3
    # the first line holds the first words; each line is reversed (visual) and shaped
    assert lines[0].endswith("ﻥﺎﺒﻟﺎﻃ") and "2021" in lines[-1]
    assert all(_has_presentation_forms(line) for line in lines)


def test_terminal_table_through_the_pager(sample_bitext, monkeypatch):
    from rich.console import Console, PagerContext
    from rich.pager import Pager
    from pipeline.export import terminal
    paged = []

    class Capture(Pager):
        def show(self, content: str) -> None:
            paged.append(content)

    console = Console(force_terminal=True, width=150)
    monkeypatch.setattr(console, "pager", lambda styles=False: PagerContext(console, pager=Capture(), styles=styles))
    assert terminal.show([sample_bitext], pager=True, console=console) == 0
    assert paged and "bayan-2021-taliban-iskp" in paged[0] and "\x1b[" in paged[0]
    paged.clear()
    assert terminal.show([sample_bitext], pager=False, console=console) == 0
    assert not paged
