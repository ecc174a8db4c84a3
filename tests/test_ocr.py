"""OCR of scanned pages (pipeline.readers.ocr) with the tesseract binary.

Pages are drawn here with Pillow (raqm shapes the Arabic) at 300 dpi. The tests that
run tesseract skip when it or its Arabic data is missing; the error tests do not need it.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from pipeline.errors import InputError
from pipeline.readers import ocr
from pipeline.readers.ocr import ocr_image, read_scanned

FONT = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf")
LINE = "تدخل حرب الدولة الإسلامية ضد طالبان سنتها السادسة"
LINE_2 = "وسيكون الهدف الأساسي كبح حركة المقاتلين عبر الحدود"


def _tesseract_ara() -> str | None:
    """Why the OCR tests cannot run here, or None when they can."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-ara)"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    if "ara" not in langs.split():
        return "tesseract has no Arabic data (apt-get install tesseract-ocr-ara)"
    if not FONT.exists():
        return f"{FONT} is missing: the pages are drawn with it (apt-get install fonts-noto-core)"
    if not features.check("raqm"):
        return "Pillow was built without libraqm, so it cannot shape Arabic to draw a page"
    return None


@pytest.fixture(scope="module")
def needs_ocr():
    reason = _tesseract_ara()
    if reason:
        pytest.skip(reason)


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def cer(reference: str, text: str) -> float:
    reference, text = " ".join(reference.split()), " ".join(text.split())
    return levenshtein(reference, text) / len(reference)


def page(line: str, size: tuple[int, int] = (1600, 240)) -> Image.Image:
    """One line of 14 pt Arabic at 300 dpi, flush right on a white strip."""
    image = Image.new("L", size, 255)
    font = ImageFont.truetype(str(FONT), 58)
    ImageDraw.Draw(image).text((size[0] - 60, size[1] // 2), line, font=font, fill=0,
                               anchor="rm", direction="rtl", language="ar")
    image.info["dpi"] = (300, 300)
    return image


def test_ocr_image_reads_an_arabic_line(needs_ocr):
    assert cer(LINE, ocr_image(page(LINE))) < 0.1


def test_read_scanned_pdf_gives_pages_separated_by_form_feeds(needs_ocr, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    pdf = tmp_path / "scan.pdf"
    page(LINE).save(pdf, "PDF", save_all=True, append_images=[page(LINE_2)], resolution=300)
    text, details = read_scanned(pdf)
    pages = text.split("\f")
    assert len(pages) == 2
    assert cer(LINE, pages[0]) < 0.1 and cer(LINE_2, pages[1]) < 0.1
    assert details["pages"] == 2 and details["dpi"] == 300
    assert details["ocr"].startswith("tesseract ")


def test_read_scanned_multipage_tiff(needs_ocr, tmp_path):
    tiff = tmp_path / "scan.tif"
    page(LINE).save(tiff, save_all=True, append_images=[page(LINE_2)], dpi=(300, 300))
    text, details = read_scanned(tiff)
    assert details["pages"] == 2 and details["dpi"] == 300
    assert cer(LINE_2, text.split("\f")[1]) < 0.1


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_scanned(tmp_path / "missing.png")


@pytest.mark.parametrize("name", ["notes.png", "notes.pdf", "notes.txt"])
def test_non_image_is_an_input_error(tmp_path, name):
    path = tmp_path / name
    path.write_text("هذا نص وليس صورة", encoding="utf-8")
    with pytest.raises(InputError):
        read_scanned(path)


def test_missing_tesseract_says_what_to_install(monkeypatch):
    ocr._tesseract.cache_clear()
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    try:
        with pytest.raises(InputError, match="tesseract-ocr-ara"):
            ocr_image(Image.new("L", (10, 10), 255))
    finally:
        ocr._tesseract.cache_clear()


def test_missing_language_says_what_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "_tesseract", lambda: ("tesseract", "5", frozenset({"eng"})))
    with pytest.raises(InputError, match="no language data for ara.*tesseract-ocr-ara"):
        ocr_image(Image.new("L", (10, 10), 255))


def test_missing_pdftoppm_names_poppler_utils(monkeypatch, tmp_path):
    pdf = tmp_path / "scan.pdf"
    Image.new("L", (100, 100), 255).save(pdf, "PDF")
    monkeypatch.setattr(ocr, "_tesseract", lambda: ("tesseract", "5", frozenset({"ara"})))
    real_which = shutil.which
    monkeypatch.setattr(ocr.shutil, "which",
                        lambda name: None if name == "pdftoppm" else real_which(name))
    with pytest.raises(InputError, match="poppler-utils"):
        read_scanned(pdf)


def test_image_only_pdf_goes_through_ocr_into_the_pipeline(tmp_path):
    """A scanned PDF is OCRed by read_arabic and processed like any text (pages kept)."""
    import shutil
    from PIL import Image, ImageDraw, ImageFont
    from pipeline.cli import EXIT_OK, main
    font_path = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
    if not shutil.which("tesseract") or not shutil.which("pdftoppm") or not Path(font_path).is_file():
        pytest.skip("tesseract, pdftoppm or the Noto Arabic font is not installed")
    font = ImageFont.truetype(font_path, 44)
    pages = []
    for lines in (["عنوان المقال عن طالبان", "تدخل حرب الدولة الإسلامية ضد طالبان سنتها السادسة."],
                  ["وهزمت طالبان التنظيم في أوائل عام 2015 في هلمند.", "وهذا سطر آخر في الصفحة الثانية."]):
        image = Image.new("RGB", (1600, 500), "white")
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((1550, 80 + row * 120), line, font=font, fill="black", direction="rtl", anchor="ra",
                      language="ar")
        pages.append(image)
    scan = tmp_path / "scan.pdf"
    pages[0].save(scan, "PDF", save_all=True, append_images=pages[1:])
    assert main(["process", str(scan), "-o", str(tmp_path / "out")]) == EXIT_OK
    import json
    document = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    raw = document["sides"][0]["raw"]
    assert "\f" in raw and "طالبان" in raw
    assert document["sides"][0]["source"]["encoding"] == "ocr"
