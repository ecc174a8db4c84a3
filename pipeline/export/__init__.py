"""Exporters: the only code (with the readers) that writes files.

Every output is built in memory first; files are then written to a temporary name and
renamed, so an interrupted or failed run leaves no partial file in OUT_DIR.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from ..document import Bitext
from ..errors import ConfigError
from .alignment import beads_tsv_bytes, tmx_bytes
from .plots import plot_formats, plots_needing_alignment
from .review import review_html
from .tables import entities_csv, entities_jsonl, entities_parquet
from .tei import tei_bytes


def json_bytes(bitext: Bitext) -> bytes:
    """The whole Document (raw texts, layers, metadata) as JSON."""
    return json.dumps(bitext.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


EXPORTERS: dict[str, tuple[str, Callable[[Bitext], bytes]]] = {
    "tei": (".tei.xml", tei_bytes),
    "json": (".json", json_bytes),
    "tmx": (".tmx", tmx_bytes),
    "beads": (".beads.tsv", beads_tsv_bytes),
    "entities-csv": (".entities.csv", entities_csv),
    "entities-jsonl": (".entities.jsonl", entities_jsonl),
    "entities-parquet": (".entities.parquet", entities_parquet),
    "review": (".review.html", review_html),
    **plot_formats(),
}
#: Formats that need an alignment; skipped (and said) for documents without English.
NEEDS_ALIGNMENT = {"tmx", "beads", "review"} | plots_needing_alignment()


def render_outputs(bitext: Bitext, formats: list[str]) -> dict[str, bytes]:
    """File name -> content for each requested format (nothing is written)."""
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise ConfigError([f'[output] formats: unknown format "{f}" (known: {", ".join(EXPORTERS)})'
                           for f in unknown])
    name = bitext.meta.doc_id or "document"
    if not bitext.alignment:
        formats = [f for f in formats if f not in NEEDS_ALIGNMENT]
    return {name + EXPORTERS[f][0]: EXPORTERS[f][1](bitext) for f in formats}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(bitext: Bitext, out_dir: Path, formats: list[str]) -> list[Path]:
    """Render every format, then write them all; returns the paths written."""
    rendered = render_outputs(bitext, formats)
    written = []
    for name, content in rendered.items():
        write_atomically(out_dir / name, content)
        written.append(out_dir / name)
    return written
