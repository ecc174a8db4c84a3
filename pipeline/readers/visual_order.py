"""Detecting and repairing Arabic lines extracted in visual (left-to-right) order.

PDF extractors (pdfminer.six, pdfplumber) return Arabic from PDFs made by LibreOffice
or Chromium in the order the glyphs sit on the page: each line reversed, Latin and
digit runs left as they are, brackets mirrored, often as presentation forms. The cues:

* presentation forms carry their position in the word: in logical order a word starts
  with an initial or isolated form and ends with a final or isolated form; reversed, the
  final form comes first;
* with plain letters, ``ال`` opens words and ``ة``/``ى`` close them in logical order;
  reversed, ``لا`` closes words and ``ة``/``ى`` open them.
"""
from __future__ import annotations

import re
import unicodedata

_RTL_WORD = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufefc]+")
# Runs kept left-to-right inside a right-to-left line, as they appear once the whole
# line is reversed (each run then reads backwards):
# * a Latin run: Latin words with the spaces, digits and punctuation between them (the
#   bidi algorithm keeps "Microsoft Research", "Windows 10", a URL as one run); reversed,
#   it ends with its first Latin letter. Brackets are left out (they take the line's
#   direction next to Arabic);
# * a number after Arabic: digits joined only by , . : / (so "2020-2021" is two numbers
#   with the hyphen between them, placed right-to-left);
# * Arabic-Indic digits (٢٠٢١, ١٬٥٠٠), which are written left-to-right too.
_LATIN = "A-Za-z\u00c0-\u024f"
_LATIN_INNER = _LATIN + "0-9 .,:;/@%_\\-+?=&#~'\u2019!*"
_AR_DIGITS = "\u0660-\u0669\u06f0-\u06f9"
_LTR_RUN = re.compile(
    f"[{_LATIN}0-9][{_LATIN_INNER}]*[{_LATIN}]|[{_LATIN}]"
    "|[0-9]+(?:[.,:/][0-9]+)*"
    f"|[{_AR_DIGITS}]+(?:[.,:/\u066b\u066c][{_AR_DIGITS}]+)*")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _form(char: str) -> str | None:
    """'initial', 'medial', 'final' or 'isolated' for a presentation form, else None."""
    name = unicodedata.name(char, "")
    for form in ("INITIAL", "MEDIAL", "FINAL", "ISOLATED"):
        if name.endswith(f"{form} FORM"):
            return form.lower()
    return None


def order_votes(line: str) -> tuple[int, int]:
    """Votes ``(logical, visual)`` from the words of one line."""
    logical = visual = 0
    for word in _RTL_WORD.findall(line):
        first, last = _form(word[0]), _form(word[-1])
        if first or last:
            if len(word) > 1 and first == "initial" or last == "final":
                logical += 1
            if len(word) > 1 and first == "final" or last == "initial":
                visual += 1
            continue
        if len(word) < 3:
            continue
        if word.startswith("ال") or word[-1] in "ةى":
            logical += 1
        if word.endswith("لا") or word[0] in "ةى":
            visual += 1
    return logical, visual


def is_visual_order(line: str) -> bool | None:
    """True or False when the line's words say so, None when they do not."""
    logical, visual = order_votes(line)
    if logical == visual:
        return None
    return visual > logical


def to_logical(line: str) -> str:
    """Reverse a visual-order line, keeping Latin/digit runs left-to-right."""
    reversed_line = line[::-1].translate(_MIRROR)
    return _LTR_RUN.sub(lambda m: m.group(0)[::-1], reversed_line)


def repair_lines(lines: list[str]) -> tuple[list[str], int]:
    """Lines in logical order and how many were reversed.

    A line without cues follows the majority of the lines that have them.
    """
    verdicts = [is_visual_order(line) for line in lines]
    decided = [v for v in verdicts if v is not None]
    majority = bool(decided) and sum(decided) > len(decided) / 2
    repaired, count = [], 0
    for line, verdict in zip(lines, verdicts):
        visual = majority if verdict is None else verdict
        if visual and _RTL_WORD.search(line):
            repaired.append(to_logical(line))
            count += 1
        else:
            repaired.append(line)
    return repaired, count
