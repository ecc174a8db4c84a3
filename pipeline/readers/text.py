"""Decoding text files: UTF-8 (with or without BOM), UTF-16, Windows-1256."""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LETTERS = re.compile(r"[^\W\d_]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedText:
    """A decoded file and how it was decoded."""

    text: str
    encoding: str
    bom: bool
    sha256: str
    size: int


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is mostly zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0) / (len(data) / 2)
    odd_zeros = data[1::2].count(0) / (len(data) / 2)
    # Arabic in UTF-16 has 0x06 high bytes, Latin has 0x00: look for either pattern.
    high_le = data[1::2]
    if odd_zeros > 0.3 or (high_le.count(6) + high_le.count(0)) / len(high_le) > 0.9:
        return "utf-16-le"
    high_be = data[0::2]
    if even_zeros > 0.3 or (high_be.count(6) + high_be.count(0)) / len(high_be) > 0.9:
        return "utf-16-be"
    return None


def _not_blank(decoded: DecodedText, path: Path | str) -> DecodedText:
    """``decoded``, unless it is only whitespace (a byte-order mark and a newline, say)."""
    if not decoded.text.strip():
        raise InputError(path, "the file is empty (only whitespace)",
                         "give a file with the publication's text")
    return decoded


def decode_bytes(data: bytes, path: Path | str) -> DecodedText:
    """Decode ``data``, detecting the encoding; raise InputError when it is not text."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(path, "the file is empty", "give a file with the publication's text")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {encoding} byte-order mark but is not valid "
                                 f"{encoding} at byte {exc.start}") from None
            return _not_blank(DecodedText(text, encoding, True, digest, len(data)), path)
    guessed = _utf16_without_bom(data)
    candidates = ([guessed] if guessed else []) + ["utf-8", "cp1256"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text[:4096]) and len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
            continue  # decodes, but to control characters: binary, or the wrong guess
        return _not_blank(DecodedText(text, encoding, False, digest, len(data)), path)
    raise InputError(path, "looks like a binary file, not text in UTF-8, UTF-16 or Windows-1256",
                     "give the text extracted from the publication, or its PDF")


def arabic_share(text: str) -> float:
    """The share of letters in ``text`` that are Arabic."""
    letters = len(_LETTERS.findall(text))
    return len(_ARABIC_LETTERS.findall(text)) / letters if letters else 0.0


def read_text_file(path: Path) -> DecodedText:
    """Read and decode a text file."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file",
                         "pass a folder to `bayan process` only as a corpus folder with meta.toml") from None
    return decode_bytes(data, path)
