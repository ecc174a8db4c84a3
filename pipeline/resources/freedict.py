"""FreeDict Arabic–English and English–Arabic dictionaries (Debian dict-freedict-*).

The dictd files (``.index`` with base64 offsets, ``.dict.dz`` gzip) are read directly.
Each entry gives a headword and numbered translations; bayan keeps single-word
translations as (Arabic, English) pairs from both directions.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Iterator

from ..errors import ConfigError

DICTD_DIR = Path("/usr/share/dictd")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE = re.compile(r"^(?:\d+\.\s*)?(.+?)[،,]?\s*$")
_ARABIC = re.compile("[\u0621-\u064a]")


def _b64(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64[char]
    return value


def dictd_entries(name: str, folder: Path = DICTD_DIR) -> Iterator[tuple[str, list[str]]]:
    """(headword, translations) for every entry of a dictd dictionary."""
    index, data_file = folder / f"{name}.index", folder / f"{name}.dict.dz"
    if not index.is_file() or not data_file.is_file():
        package = "dict-" + name.replace("-", "-", 1)
        raise ConfigError([f"dictionary {name} not found in {folder} (install the Debian package "
                           f"{package}, e.g. with `make setup`)"], source="lexical alignment signal")
    data = gzip.open(data_file).read()
    with open(index, encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or fields[0].startswith("00database"):
                continue
            start, length = _b64(fields[1]), _b64(fields[2])
            body = data[start:start + length].decode("utf-8", "replace").splitlines()
            senses = []
            for sense in body[1:]:
                match = _SENSE.match(sense.strip())
                if match:
                    senses.append(match.group(1).strip())
            yield body[0].split(" /")[0].strip() if body else fields[0], senses


def translation_pairs(folder: Path = DICTD_DIR) -> Iterator[tuple[str, str]]:
    """(Arabic word, English word) pairs from both dictionaries, one word each side."""
    for headword, senses in dictd_entries("freedict-ara-eng", folder):
        for sense in senses:
            for english in re.split(r"[;,]\s*", sense):
                if english and " " not in english.strip() and not _ARABIC.search(english):
                    yield headword, english.strip()
    for headword, senses in dictd_entries("freedict-eng-ara", folder):
        if " " in headword:
            continue
        for sense in senses:
            for arabic in re.split(r"[،,;]\s*", sense):
                arabic = arabic.strip()
                if arabic and _ARABIC.search(arabic) and len(arabic.split()) <= 2:
                    yield arabic, headword
