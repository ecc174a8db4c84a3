"""The Document model: spans, offset maps, views, JSON round trip."""
import pytest

from pipeline.document import Bitext, BlockText, Metadata, OffsetMap, Side, Span, View
from pipeline.rewrite import apply_edits


def test_span_parts_must_be_ordered():
    with pytest.raises(ValueError):
        Span(((5, 3),), "s")
    with pytest.raises(ValueError):
        Span(((0, 5), (4, 8)), "s")
    with pytest.raises(ValueError):
        Span((), "s")


def test_multi_part_span_text_skips_the_gap():
    raw = "first half|NOTE|second half"
    span = Span(((0, 10), (16, 27)), "paragraph")
    assert span.text(raw) == "first half second half"
    assert (span.start, span.end) == (0, 27)


def test_raw_text_cannot_be_assigned():
    side = Side("ar", "نص")
    with pytest.raises(AttributeError):
        side.raw = "other"


def test_set_layer_rejects_spans_past_the_text():
    side = Side("ar", "abc")
    with pytest.raises(ValueError):
        side.set_layer("x", [Span.at(0, 4, "x")])


def test_offset_map_for_deletion_and_expansion():
    raw = "aXbc"
    view = View(raw, OffsetMap.identity(len(raw)))
    view = apply_edits(view, [(1, 2, ""), (3, 4, "CC")])  # drop X, c -> CC
    assert view.text == "abCC"
    assert view.offsets.to_raw(2, 4) == (3, 4)
    assert view.offsets.to_raw(0, 2) == (0, 3)   # a..b spans the deleted X
    assert view.slice_raw(1, 2) == ""             # X left nothing
    assert view.slice_raw(3, 4) == "CC"


def test_empty_ranges_map_to_positions():
    view = View("ab", OffsetMap.identity(2))
    assert view.offsets.to_raw(1, 1) == (1, 1)
    assert view.offsets.to_raw(2, 2) == (2, 2)
    with pytest.raises(IndexError):
        view.offsets.to_raw(0, 3)


def test_block_text_maps_joined_parts_back():
    raw = "one two\n* note\nthree four"
    view = View(raw, OffsetMap.identity(len(raw)))
    block = Span(((0, 7), (15, 25)), "paragraph")
    text = BlockText.of(view, block)
    assert text.text == "one two three four"
    start = text.text.index("two three")
    parts = text.raw_parts(start, start + len("two three"))
    assert parts == ((4, 7), (15, 20))
    assert [raw[a:b] for a, b in parts] == ["two", "three"]


def test_bitext_json_round_trip_keeps_raw_and_layers():
    raw = "\ufeffسطر\r\nآخر\u200f"
    side = Side("ar", raw, {"encoding": "utf-8"})
    side.set_layer("blocks", [Span(((0, 4), (6, 9)), "paragraph", "ar.p1", {"n": 1})])
    bitext = Bitext(side, None, Metadata(title={"ar": "عنوان"}, doc_id="x"))
    again = Bitext.from_json(bitext.to_json())
    assert again.ar.raw == raw
    assert again.ar.layer("blocks") == side.layer("blocks")
    assert again.ar.layer("blocks")[0].attrs == {"n": 1}
    assert again.meta.title == {"ar": "عنوان"}
    assert again.en is None
