"""Entity tables for researchers: one row per mention, as CSV, JSON Lines and Parquet.

Columns: doc, date (of the publication), lang, mention, surface, start, end (raw offsets), sentence, type, role,
entity, canonical_en, canonical_ar, wikidata, linked_mention, linked_surface, how.
"""
from __future__ import annotations

import csv
import io
import json

from ..document import Bitext
from ..resources.gazetteer import load_gazetteer

COLUMNS = ["doc", "date", "lang", "mention", "surface", "start", "end", "sentence", "type", "role", "entity",
           "canonical_en", "canonical_ar", "wikidata", "linked_mention", "linked_surface", "how"]


def entity_rows(bitext: Bitext) -> list[dict]:
    """The mentions of both sides as table rows."""
    gazetteer = load_gazetteer()
    surfaces = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for span in side.layer("entities"):
            surfaces[span.id] = " ".join(view.span_text(span).split())
    rows = []
    for side in bitext.sides():
        for span in side.layer("entities"):
            entity_id = span.attrs.get("entity") or ""
            entry = gazetteer.entries.get(entity_id)
            link = span.attrs.get("link") or ""
            canonical = {side.lang: surfaces[span.id]}
            if link:
                canonical["en" if side.lang == "ar" else "ar"] = surfaces.get(link, "")
            rows.append({
                "doc": bitext.meta.doc_id or "", "date": bitext.meta.date or "", "lang": side.lang, "mention": span.id,
                "surface": surfaces[span.id], "start": span.start, "end": span.end,
                "sentence": span.attrs.get("s", ""), "type": span.label, "role": span.attrs.get("role") or "",
                "entity": entity_id, "canonical_en": entry.en if entry else canonical.get("en", ""),
                "canonical_ar": entry.ar if entry else canonical.get("ar", ""),
                "wikidata": entry.wikidata if entry else "", "linked_mention": link,
                "linked_surface": surfaces.get(link, ""), "how": span.attrs.get("how", "")})
    return rows


def entities_csv(bitext: Bitext) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(entity_rows(bitext))
    return out.getvalue().encode("utf-8")


def entities_jsonl(bitext: Bitext) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in entity_rows(bitext)).encode("utf-8")


def entities_parquet(bitext: Bitext) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = entity_rows(bitext)
    table = pa.table({column: pa.array([row[column] for row in rows],
                                       type=pa.int64() if column in ("start", "end") else pa.string())
                      for column in COLUMNS})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def aggregate_tables(folders):
    """Every ``*.entities.parquet`` under ``folders`` as one pyarrow table."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pathlib import Path
    tables = [pq.read_table(path) for folder in folders for path in sorted(Path(folder).rglob("*.entities.parquet"))]
    schema = pa.schema([(c, pa.int64() if c in ("start", "end") else pa.string()) for c in COLUMNS])
    return pa.concat_tables([t.select(COLUMNS).cast(schema) for t in tables]) if tables else schema.empty_table()


def write_table(table, path) -> None:
    """Write a table as Parquet, CSV or JSON Lines, by the file's suffix (atomically)."""
    import io as _io
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from . import write_atomically
    sink = _io.BytesIO()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        pacsv.write_csv(table, sink)
    elif suffix == ".jsonl":
        sink.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in table.to_pylist()).encode("utf-8"))
    else:
        pq.write_table(table, sink)
    write_atomically(path, sink.getvalue())
