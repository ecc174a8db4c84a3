"""Reading the Arabic side: text files in any of the usual encodings, or PDF."""
from __future__ import annotations

from pathlib import Path

from ..document import Side
from ..errors import InputError
from .pdf import read_pdf_text
from .text import arabic_share, read_text_file

MIN_ARABIC_SHARE = 0.5


def read_arabic(path: Path | str) -> Side:
    """The Arabic side of a publication from a .txt (or any text) file or a .pdf.

    Raises:
        InputError: missing, empty, binary, or not Arabic, naming the file and the fix.
    """
    path = Path(path)
    source: dict = {"path": str(path)}
    if path.suffix.lower() == ".pdf":
        decoded, details = read_pdf_text(path)
        source.update(details)
    else:
        decoded = read_text_file(path)
    share = arabic_share(decoded.text)
    if share < MIN_ARABIC_SHARE:
        raise InputError(path, f"is not Arabic text (only {share:.0%} of its letters are Arabic)",
                         "pass the Arabic translation as AR_FILE and the English original with --en")
    source.update(encoding=decoded.encoding, bom=decoded.bom, sha256=decoded.sha256,
                  bytes=decoded.size)
    return Side("ar", decoded.text, source)
