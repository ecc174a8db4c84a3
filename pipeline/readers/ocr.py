"""Arabic text from scanned pages (page images, image-only PDFs) with tesseract.

Runs the ``tesseract`` binary (Debian: tesseract-ocr + tesseract-ocr-ara) through
subprocess, one page at a time: the page goes in on stdin as PNG, the text comes back
on stdout. Image-only PDFs are rendered to 300-dpi PNG pages first with ``pdftoppm``
(Debian: poppler-utils). Nothing here is imported by the text/PDF readers: call it
when pdf.py says a PDF "has no text layer".
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from ..errors import InputError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
PDF_DPI = 300
TESSERACT_FIX = "install tesseract-ocr and tesseract-ocr-ara, e.g. apt-get install tesseract-ocr tesseract-ocr-ara"


@lru_cache(maxsize=None)
def _tesseract() -> tuple[str, str, frozenset[str]]:
    """The tesseract binary, its version and its installed languages.

    Raises:
        InputError: tesseract is not on PATH or does not run.
    """
    binary = shutil.which("tesseract")
    if binary is None:
        raise InputError("tesseract", "the OCR program is not installed (not found on PATH)",
                         TESSERACT_FIX)
    try:
        version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                 check=True).stdout
        langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                               check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InputError(binary, f"the OCR program does not run: {exc}", TESSERACT_FIX) from None
    match = re.search(r"tesseract\s+v?(\S+)", version)
    installed = frozenset(line.strip() for line in langs.splitlines()[1:] if line.strip())
    return binary, match.group(1) if match else "unknown", installed


def tesseract_version() -> str:
    """'tesseract 5.3.0': what read_scanned records as the OCR engine."""
    return f"tesseract {_tesseract()[1]}"


def _png_bytes(image: Image.Image) -> bytes:
    """The page as PNG; transparency flattened onto white, the resolution kept if known."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    dpi = image.info.get("dpi")
    image.save(buffer, "PNG", **({"dpi": dpi} if dpi else {}))
    return buffer.getvalue()


def ocr_image(image: Image.Image, lang: str = "ara", psm: int = 6) -> str:
    """The text tesseract reads on one page image (``--psm 6``: one uniform block of text).

    Raises:
        InputError: tesseract or the language data is missing, or tesseract fails.
    """
    binary, _, installed = _tesseract()
    missing = [part for part in lang.split("+") if part not in installed]
    if missing:
        raise InputError("tesseract", f"has no language data for {'+'.join(missing)} "
                         f"(installed: {', '.join(sorted(installed)) or 'none'})",
                         TESSERACT_FIX if "ara" in missing else
                         f"install tesseract-ocr-{missing[0]}")
    result = subprocess.run([binary, "stdin", "stdout", "-l", lang, "--psm", str(psm)],
                            input=_png_bytes(image), capture_output=True)
    if result.returncode != 0:
        raise InputError("tesseract", "could not read the page image: "
                         + result.stderr.decode("utf-8", "replace").strip())
    return result.stdout.decode("utf-8", "replace").strip()


def ocr_pages(images: Iterable[Image.Image], lang: str = "ara", psm: int = 6) -> str:
    """The text of each page in order, pages separated by form feeds."""
    return "\f".join(ocr_image(image, lang, psm) for image in images)


def _image_pages(path: Path) -> list[Image.Image]:
    """Every frame of an image file (a multi-page TIFF has one per page)."""
    try:
        with Image.open(path) as image:
            return [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(path, f"is not an image that can be read ({exc})",
                         "pass a PNG, JPEG or TIFF scan") from None


def _pdf_pages(path: Path) -> list[Image.Image]:
    """The PDF's pages rendered at PDF_DPI with pdftoppm (poppler-utils)."""
    with open(path, "rb") as handle:
        if not handle.read(5).startswith(b"%PDF"):
            raise InputError(path, "has a .pdf name but is not a PDF file")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise InputError(path, "cannot be rendered for OCR: pdftoppm is not installed",
                         "install poppler-utils, e.g. apt-get install poppler-utils")
    with tempfile.TemporaryDirectory(prefix="bayan-ocr-") as folder:
        result = subprocess.run([pdftoppm, "-r", str(PDF_DPI), "-png", str(path),
                                 str(Path(folder) / "page")], capture_output=True)
        if result.returncode != 0:
            raise InputError(path, "cannot be rendered as a PDF (damaged, truncated or "
                             "encrypted?): " + result.stderr.decode("utf-8", "replace").strip())
        # page-1.png ... or page-01.png ...: pdftoppm pads to the width of the last number
        files = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for file in files:
            with Image.open(file) as page:
                pages.append(page.copy())
    if not pages:
        raise InputError(path, "has no pages")
    return pages


def read_scanned(path: Path | str, lang: str = "ara") -> tuple[str, dict]:
    """The OCR text of a scan, pages separated by form feeds, and what the reader did.

    ``path`` is a page image (.png .jpg .jpeg .tif .tiff; every frame of a multi-page
    TIFF is a page) or an image-only PDF (rendered at 300 dpi). The details are
    ``{"pages": n, "ocr": "tesseract 5.3.0", "dpi": 300}``; for an image file ``dpi``
    is the resolution the file declares (None when it declares none).

    Raises:
        InputError: missing file, not an image or PDF, or tesseract/pdftoppm missing.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    suffix = path.suffix.lower()
    _tesseract()  # fail on a missing OCR program before rendering anything
    if suffix == ".pdf":
        pages, dpi = _pdf_pages(path), PDF_DPI
    elif suffix in IMAGE_SUFFIXES:
        pages = _image_pages(path)
        declared = pages[0].info.get("dpi")
        dpi = round(float(declared[0])) if declared else None
    else:
        raise InputError(path, f"is not a scanned page ({suffix or 'no extension'})",
                         "pass a " + " ".join(IMAGE_SUFFIXES) + " image or an image-only .pdf")
    text = ocr_pages(pages, lang)
    return text, {"pages": len(pages), "ocr": tesseract_version(), "dpi": dpi}
