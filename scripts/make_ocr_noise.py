"""A corpus of real OCR noise: clean Arabic paragraphs, printed, degraded and OCR'd.

Each paragraph of the input files is typeset on its own page (Noto Sans Arabic,
14 pt on an A5 page at 300 dpi, right-aligned lines wrapped here by measuring words),
degraded like a poor scan at each level, read back with tesseract
(pipeline.readers.ocr.ocr_image) and written with its character error rate (CER):

    OUT/<level>.jsonl   one {"id", "clean", "ocr", "level", "cer"} record per paragraph

Both texts in a record are whitespace-collapsed (the OCR line breaks become spaces);
the CER is the Levenshtein distance between them over the length of the clean text.
The output is the same on every run with the same --seed (and the same tesseract,
fonts and Pillow). The levels were tuned on corpora/ocr/source/tuning.txt only.

    .venv/bin/python scripts/make_ocr_noise.py --input corpora/ocr/source/tuning.txt \\
        --out corpora/ocr/tune --levels clean light medium --seed 7
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipeline.readers.ocr import ocr_image, tesseract_version  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf")
LATIN_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
DPI = 300
PAGE = (1748, 2480)   # A5 (148 x 210 mm) at 300 dpi; a long paragraph makes the page taller
MARGIN = 160
FONT_PX = 58          # 14 pt at 300 dpi
LINE_PX = 118         # baseline to baseline: room for the marks above and below


@dataclass(frozen=True)
class Level:
    """How a page is spoiled; applied in this order: skew, resolution, optics, dirt, file."""

    rotate: float = 0.0   # degrees, uniform in +-rotate
    scale: float = 1.0    # shrink to this share of the size and enlarge back (a low-dpi scan)
    blur: float = 0.0     # Gaussian blur radius in pixels at 300 dpi
    noise: float = 0.0    # share of pixels turned black or white (salt and pepper)
    jpeg: int = 0         # JPEG quality of a save-and-reload, 0 for none


LEVELS = {
    "clean": Level(),
    "light": Level(rotate=0.3, blur=0.6, noise=0.0035, jpeg=60),
    "medium": Level(rotate=0.7, scale=0.6, blur=1.0, noise=0.015, jpeg=35),
}


@lru_cache(maxsize=None)
def font_bytes(arabic: Path = FONT, latin: Path = LATIN_FONT) -> bytes:
    """The Arabic font with the printable ASCII it lacks copied in from the Latin font.

    Noto Sans Arabic has no % ( ) + / glyphs (Noto Naskh Arabic not even -), and
    Pillow does not fall back to another font, so "آب/أغسطس" would print a box.
    The copied glyphs are decomposed and unhinted; both fonts have 1000 units per em.
    """
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font, donor = TTFont(arabic), TTFont(latin)
    assert font["head"].unitsPerEm == donor["head"].unitsPerEm
    have, give = font.getBestCmap(), donor.getBestCmap()
    donor_glyphs = donor.getGlyphSet()
    order = list(font.getGlyphOrder())
    for code in range(0x21, 0x7F):
        if code in have or code not in give:
            continue
        source = give[code]
        name = f"latin.{source}"
        if name not in font["glyf"].glyphs:
            pen = TTGlyphPen(donor_glyphs)
            donor_glyphs[source].draw(pen)
            font["glyf"][name] = pen.glyph()
            font["hmtx"][name] = donor["hmtx"][source]
            if name not in order:  # older fontTools do not add it in glyf[name] = ...
                order.append(name)
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[code] = name
    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def load_font(arabic: Path = FONT, size: int = FONT_PX) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(font_bytes(arabic)), size)


def paragraphs(path: Path) -> list[str]:
    """The blank-line separated paragraphs of a text file, whitespace collapsed."""
    blocks = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def normalize(text: str) -> str:
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute: cost 1 each), one numpy row at a time.

    Row i of the table is ``min(substitution/deletion candidates, insertion run)``;
    the insertion run ``cur[j] = min(cur[j-1] + 1, cand[j])`` is
    ``j + cummin(cand[k] - k)``, so each row is a few vector operations.
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    codes = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    index = np.arange(len(b) + 1)
    row = index.copy()
    cand = np.empty_like(row)
    for char in a:
        cand[0] = row[0] + 1
        np.minimum(row[1:] + 1, row[:-1] + (codes != ord(char)), out=cand[1:])
        row = np.minimum.accumulate(cand - index) + index
    return int(row[-1])


def cer(clean: str, ocr: str) -> float:
    reference, hypothesis = normalize(clean), normalize(ocr)
    return levenshtein(reference, hypothesis) / max(1, len(reference))


def wrap(text: str, draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont,
         width: int) -> list[str]:
    """Greedy line breaking: as many words as fit in ``width`` pixels of shaped text."""
    def measure(line: str) -> float:
        return draw.textlength(line, font=font, direction="rtl", language="ar")

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and measure(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def render(text: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    """The paragraph printed black on a white page, lines flush right."""
    width = PAGE[0] - 2 * MARGIN
    probe = ImageDraw.Draw(Image.new("L", (1, 1), 255))
    lines = wrap(text, probe, font, width)
    height = max(PAGE[1], 2 * MARGIN + LINE_PX * len(lines))
    page = Image.new("L", (PAGE[0], height), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((PAGE[0] - MARGIN, MARGIN + LINE_PX * (number + 1)), line, font=font,
                  fill=0, anchor="rs", direction="rtl", language="ar")
    page.info["dpi"] = (DPI, DPI)
    return page


def degrade(page: Image.Image, level: Level, rng: np.random.Generator) -> Image.Image:
    """The page as a scanner of this quality would give it back."""
    image = page
    if level.rotate:
        angle = float(rng.uniform(-level.rotate, level.rotate))
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if level.scale != 1.0:
        small = (round(image.width * level.scale), round(image.height * level.scale))
        image = image.resize(small, Image.Resampling.BILINEAR).resize(
            image.size, Image.Resampling.BILINEAR)
    if level.blur:
        image = image.filter(ImageFilter.GaussianBlur(level.blur))
    if level.noise:
        pixels = np.array(image)
        hit = rng.random(pixels.shape) < level.noise
        pixels[hit] = np.where(rng.random(int(hit.sum())) < 0.5, 0, 255).astype(pixels.dtype)
        image = Image.fromarray(pixels)
    if level.jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=level.jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        image.load()
    image.info["dpi"] = (DPI, DPI)
    return image


def make_record(pid: str, text: str, level_name: str, seed: int,
                font_path: Path = FONT, images: Path | None = None) -> dict:
    # one generator per (seed, paragraph, level): the result does not depend on the order
    rng = np.random.default_rng([seed, zlib.crc32(pid.encode()), zlib.crc32(level_name.encode())])
    font = load_font(font_path)  # one per call: FreeType faces are not thread-safe
    page = degrade(render(text, font), LEVELS[level_name], rng)
    if images is not None:
        page.save(images / f"{pid}.{level_name}.png", dpi=(DPI, DPI))
    ocr = normalize(ocr_image(page, lang="ara", psm=6))
    return {"id": pid, "clean": text, "ocr": ocr, "level": level_name,
            "cer": round(cer(text, ocr), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", nargs="+", type=Path, required=True,
                        help="clean Arabic text files, paragraphs separated by blank lines")
    parser.add_argument("--out", type=Path, required=True, help="folder for <level>.jsonl")
    parser.add_argument("--levels", nargs="+", default=list(LEVELS), choices=list(LEVELS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--font", type=Path, default=FONT,
                        help="Arabic TrueType font (default: Noto Sans Arabic, which tesseract "
                             "reads at <= 2%% CER when clean; Noto Naskh Arabic gives ~2.3%%)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pages OCR'd at once (default: one per CPU)")
    parser.add_argument("--images", type=Path,
                        help="also save the degraded page images here (for a look; not data)")
    args = parser.parse_args(argv)

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per tesseract, --jobs at once
    items = []
    for path in args.input:
        for number, text in enumerate(paragraphs(path), 1):
            items.append((f"{path.stem}-p{number:02d}", text))
    if len({pid for pid, _ in items}) < len(items):
        parser.error("two --input files have the same name: the record ids would clash")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.images:
        args.images.mkdir(parents=True, exist_ok=True)
    print(f"{len(items)} paragraphs from {len(args.input)} file(s); {tesseract_version()}; "
          f"{args.font.name}; seed {args.seed}", flush=True)
    started = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        for level in args.levels:
            records = list(pool.map(
                lambda item: make_record(*item, level, args.seed, args.font, args.images), items))
            with open(args.out / f"{level}.jsonl", "w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            rates = [r["cer"] for r in records]
            print(f"{level:<7} mean CER {statistics.mean(rates):.2%}  "
                  f"(median {statistics.median(rates):.2%}, max {max(rates):.2%}, "
                  f"n={len(rates)})", flush=True)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
