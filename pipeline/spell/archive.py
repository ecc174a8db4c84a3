"""The archive as context for the typo fixer: word pairs of the other publications.

A phrase that recurs elsewhere in the archive ("للدولة الإسلامية") is strong evidence
against a lone variant of it ("لدولة الإسلامية"). The archive is a folder of Arabic text
files (``*.txt``, searched recursively: the ``ar.txt`` of corpus folders, exported
reading texts …), read once per process. The document being fixed is left out of its
own context when the archive holds it too (same text), so that a word is never its own
evidence.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .fixer import DocumentContext


@lru_cache(maxsize=4)
def _archive_counts(folder: str) -> tuple[DocumentContext, dict[str, DocumentContext]]:
    """The counts of all Arabic text files under ``folder`` together, and each file's own
    (by text digest, to leave a document out of its own context); read once per process."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(folder, "the spelling archive is not a folder",
                         'set [stages."ar.spellfix"] archive to a folder of Arabic .txt files, or to "" for none')
    total, by_digest = DocumentContext([]), {}
    for path in sorted(root.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        single = DocumentContext([text])
        if single.words:
            by_digest[_digest(text)] = single
            total.add(single)
    return total, by_digest


def _digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def context_with_archive(text: str, raw: str, folder: str = "") -> DocumentContext:
    """The document's context (its reading ``text``), plus the archive's texts other than
    the document itself (its ``raw`` text as read from the file) when a folder is given."""
    context = DocumentContext([text])
    if folder:
        total, by_digest = _archive_counts(folder)
        context.add(total)
        own = by_digest.get(_digest(raw))
        if own is not None:
            context.add(own, sign=-1)
    return context
