"""Corpus folders: the Arabic file, its English partner and a meta.toml."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError


@dataclass(frozen=True)
class CorpusEntry:
    """One publication to process."""

    doc_id: str
    ar: Path
    en: Path | None = None
    profile: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def read_corpus_dir(folder: Path) -> CorpusEntry:
    """A corpus folder: ``meta.toml`` naming ``ar`` (and ``en``) files, a ``profile``
    and a ``[meta]`` table (publisher, date, title_en, authors_en, source_url)."""
    meta_file = folder / "meta.toml"
    if not folder.exists():
        raise InputError(folder, "no such folder")
    if not meta_file.is_file():
        raise InputError(folder, "is a folder without meta.toml",
                         "add meta.toml with at least ar = \"<file>\", or pass the Arabic file itself")
    try:
        data = tomllib.loads(meta_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(meta_file, f"is not valid TOML: {exc}") from None
    if "ar" not in data:
        raise InputError(meta_file, 'names no Arabic file', 'add ar = "<file name>"')
    return CorpusEntry(
        doc_id=str(data.get("id") or folder.resolve().name),
        ar=folder / data["ar"],
        en=folder / data["en"] if data.get("en") else None,
        profile=data.get("profile"),
        meta=dict(data.get("meta", {})),
    )


def require_gold(folder: Path, name: str) -> Path:
    """The gold file ``name`` of a corpus folder, or a clear error when it has none."""
    path = folder / name
    if not path.is_file():
        raise InputError(folder, f"has no {name}",
                         "scoring needs a corpus folder with gold files, as those under corpora/")
    return path
