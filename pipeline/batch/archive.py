"""Archive-wide tables gathered from the documents' outputs after a batch.

Each document may have an entity table ``OUT/<id>/<id>.entities.parquet`` (written by an
exporter as one of its outputs). :func:`aggregate_entities` concatenates every table it
finds, in id order, into ``OUT/entities.parquet`` (adding a ``doc`` column where a table
lacks one); documents
without a table are passed over, and with none at all nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..export import write_atomically

ENTITY_SUFFIX = ".entities.parquet"
AGGREGATE = "entities.parquet"
DOC_COLUMN = "doc"  # as in pipeline.export.tables.COLUMNS


@dataclass
class Aggregate:
    """What :func:`aggregate_entities` did."""

    path: Path | None = None
    documents: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)


def aggregate_entities(out: Path, doc_ids: Iterable[str]) -> Aggregate:
    """Concatenate the per-document entity tables of ``doc_ids`` into OUT/entities.parquet."""
    result = Aggregate()
    found = [(doc_id, out / doc_id / f"{doc_id}{ENTITY_SUFFIX}") for doc_id in sorted(set(doc_ids))]
    found = [(doc_id, path) for doc_id, path in found if path.is_file()]
    target = out / AGGREGATE
    if not found:
        target.unlink(missing_ok=True)  # an older aggregate would describe files that are gone
        return result
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        result.problems.append("entity tables found but pyarrow is not installed: pip install pyarrow")
        return result
    tables = []
    for doc_id, path in found:
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            result.problems.append(f"{path}: not a readable Parquet file ({exc}); left out")
            continue
        if DOC_COLUMN not in table.column_names:  # the exporter names the document; older tables may not
            table = table.add_column(0, DOC_COLUMN, pa.array([doc_id] * table.num_rows, pa.string()))
        tables.append(table)
    if not tables:
        return result
    try:
        combined = pa.concat_tables(tables, promote_options="permissive")
    except pa.ArrowException as exc:
        result.problems.append(f"the entity tables do not share a schema ({exc}); {AGGREGATE} not written")
        return result
    sink = pa.BufferOutputStream()
    pq.write_table(combined, sink)
    write_atomically(target, sink.getvalue().to_pybytes())
    result.path, result.documents, result.rows = target, len(tables), combined.num_rows
    return result
