"""Reading the Arabic side: text files in any of the usual encodings, or PDF."""
from __future__ import annotations

from pathlib import Path

from ..document import Side
from ..errors import InputError
from .ocr import IMAGE_SUFFIXES, read_scanned
from .pdf import read_pdf_text
from .text import DecodedText, arabic_share, read_text_file

MIN_ARABIC_SHARE = 0.5


def _scanned(path: Path, source: dict) -> DecodedText:
    """OCR a scanned page or image-only PDF with tesseract (pages kept as form feeds)."""
    import hashlib
    text, details = read_scanned(path)
    if not text.strip():
        raise InputError(path, "has no text layer, and OCR found no text on its pages",
                         "check that the scan is of Arabic text and legible")
    source.update(details)
    data = path.read_bytes()
    return DecodedText(text, "ocr", False, hashlib.sha256(data).hexdigest(), len(data))


def read_arabic(path: Path | str) -> Side:
    """The Arabic side of a publication from a .txt (or any text) file or a .pdf.

    Raises:
        InputError: missing, empty, binary, or not Arabic, naming the file and the fix.
    """
    path = Path(path)
    source: dict = {"path": str(path)}
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        decoded = _scanned(path, source)
    elif suffix == ".pdf":
        try:
            decoded, details = read_pdf_text(path)
            source.update(details)
        except InputError as error:
            if "no text layer" not in error.problem:
                raise
            decoded = _scanned(path, source)    # an image-only PDF: OCR it
    else:
        decoded = read_text_file(path)
    share = arabic_share(decoded.text)
    if share < MIN_ARABIC_SHARE:
        raise InputError(path, f"is not Arabic text (only {share:.0%} of its letters are Arabic)",
                         "pass the Arabic translation as AR_FILE and the English original with --en")
    source.update(encoding=decoded.encoding, bom=decoded.bom, sha256=decoded.sha256,
                  bytes=decoded.size)
    return Side("ar", decoded.text, source)
