"""The content key of a document: what its outputs depend on, hashed.

The key covers the bytes of the input files, the merged configuration (stages, options,
output formats), bayan's version with a fingerprint of its code and data files (so a
changed stage or gazetteer counts even before the version number moves), and what the
job says about the document (its id and metadata, which appear in the outputs). Where the files are stored does not count: an
archive moved to another disk is not processed again.
"""
from __future__ import annotations

import hashlib
import json
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError

KEY_SCHEME = "bayan-batch-key/1"
_CHUNK = 1 << 20


_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_SUFFIXES = (".py", ".toml", ".tsv", ".rng", ".json", ".txt", ".csv")


@lru_cache(maxsize=1)
def bayan_version() -> str:
    """bayan's version and a fingerprint of the files its outputs depend on: the package's
    code and data (not the batch runner's own modules), e.g. ``0.1.0+3f2a9c01b7de``."""
    from .. import __version__
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        relative = path.relative_to(_PACKAGE)
        if (path.suffix in _CODE_SUFFIXES and path.is_file() and relative.parts[0] != "batch"
                and "__pycache__" not in relative.parts):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def canonical_json(value: Any) -> bytes:
    """``value`` as JSON with sorted keys (TOML dates and times as strings)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def config_digest(config: dict[str, Any]) -> str:
    """A short digest of a merged configuration (names a cached pipeline)."""
    return hashlib.sha256(canonical_json(config)).hexdigest()[:16]


def _hash_file(digest, path: Path, origin: str) -> None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError()
        size = info.st_size
        with open(path, "rb") as handle:
            digest.update(f"{size}:".encode())
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        raise InputError(path, "does not exist", f"check the file named in {origin}" if origin else "") from None
    except IsADirectoryError:
        raise InputError(path, "is not a regular file", f"check the file named in {origin}" if origin else "") from None
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None


def document_key(doc_id: str, ar: Path, en: Path | None, meta: dict[str, Any],
                 config: dict[str, Any], version: str, origin: str = "") -> str:
    """The sha256 key of one document's outputs.

    Raises:
        InputError: an input file is missing or unreadable.
    """
    digest = hashlib.sha256()
    digest.update(canonical_json({"scheme": KEY_SCHEME, "bayan": version, "id": doc_id,
                                  "meta": meta, "config": config, "english": en is not None}))
    _hash_file(digest, Path(ar), origin)
    if en is not None:
        _hash_file(digest, Path(en), origin)
    return digest.hexdigest()
