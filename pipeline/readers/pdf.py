"""Arabic text from PDF files with pdfminer.six, visual order repaired."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from .text import DecodedText
from .visual_order import repair_lines


def read_pdf_text(path: Path) -> tuple[DecodedText, dict]:
    """The PDF's text, pages separated by form feeds, and what the reader did.

    Raises:
        InputError: not a PDF, encrypted, or no text layer (a scan: OCR it first).
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psexceptions import PSException

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    if not data.startswith(b"%PDF"):
        raise InputError(path, "has a .pdf name but is not a PDF file")
    pages: list[str] = []
    reversed_lines = 0
    try:
        for page in extract_pages(path, laparams=LAParams()):
            lines = []
            for element in page:
                if isinstance(element, LTTextContainer):
                    for line in element:
                        if isinstance(line, LTTextLine):
                            lines.append(line.get_text().rstrip("\n"))
                    lines.append("")  # a blank line between text boxes
            fixed, count = repair_lines(lines)
            reversed_lines += count
            pages.append("\n".join(fixed).strip("\n"))
    except PDFEncryptionError:
        raise InputError(path, "is an encrypted PDF that needs a password to be read",
                         "save an unprotected copy first") from None
    except PSException as exc:  # every pdfminer parse error: truncated, damaged, unsupported
        raise InputError(path, f"cannot be read as a PDF (damaged or truncated?): {exc}") from None
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise InputError(path, "has no text layer (a scanned PDF)",
                         "OCR it first, e.g. with tesseract -l ara")
    decoded = DecodedText(text, "pdf", False, hashlib.sha256(data).hexdigest(), len(data))
    return decoded, {"pages": len(pages), "visual_order_lines_repaired": reversed_lines,
                     "extractor": "pdfminer.six"}
