"""A document's output folder, OUT/<id>/: its files and the done-marker written last.

The marker (``bayan-done.json``) records the document's key and every output file with
its size and sha256. A document is done when the marker's key is the current key and
its files are all there; otherwise it is processed again. Writing a document removes
the old marker first, writes every file atomically, removes files the new outputs no
longer include, and writes the marker last: an interruption at any point leaves either
a complete, marked document or one that the next run redoes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..export import write_atomically

MARKER = "bayan-done.json"


def read_marker(doc_dir: Path) -> dict[str, Any] | None:
    """The marker of an output folder, or None (absent or unreadable)."""
    try:
        data = json.loads((doc_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def done_marker(doc_dir: Path, key: str) -> dict[str, Any] | None:
    """The marker if the folder holds complete outputs made with ``key``, else None."""
    marker = read_marker(doc_dir)
    if marker is None or marker.get("key") != key:
        return None
    for name, info in marker["files"].items():
        path = doc_dir / name
        try:
            if path.stat().st_size != info.get("bytes"):
                return None
        except OSError:
            return None
    return marker


def remove_leftovers(doc_dir: Path) -> None:
    """Temporary files of an interrupted write (``.<name>.<random>.part``)."""
    if doc_dir.is_dir():
        for path in doc_dir.glob(".*.part"):
            path.unlink(missing_ok=True)


def write_document(doc_dir: Path, doc_id: str, key: str, version: str,
                   rendered: dict[str, bytes]) -> dict[str, Any]:
    """Write a document's rendered outputs and then its marker; returns the marker."""
    old = read_marker(doc_dir)
    (doc_dir / MARKER).unlink(missing_ok=True)
    remove_leftovers(doc_dir)
    files = {}
    for name, content in sorted(rendered.items()):
        write_atomically(doc_dir / name, content)
        files[name] = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    for name in (old or {}).get("files", {}):
        if name not in files and "/" not in name and name != MARKER:
            (doc_dir / name).unlink(missing_ok=True)
    marker = {"id": doc_id, "key": key, "bayan": version, "files": files}
    write_atomically(doc_dir / MARKER, json.dumps(marker, indent=1, sort_keys=True).encode("utf-8") + b"\n")
    return marker
