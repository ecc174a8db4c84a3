"""Numbers OCR lost or misread, restored from the aligned English sentence.

A translation keeps its original's numbers, so the numbers of an aligned bead should
match on both sides. After the equal ones are paired, an Arabic number left alone is
compared with the English numbers left alone:

* ``lost-digits``: its digits are a part of one English number (``1`` for ``2021``,
  ``0`` for ``1,150``: the OCR dropped the rest);
* ``percent-misread``: it is one English percentage with one or two digits more before
  or after (tesseract reads the ``%`` of ``40%`` as ``90`` or ``9``: ``9040``);
* ``one-digit-misread``: same length, one digit different (suggested only);
* ``stray-number``: a number of one or two digits standing between two Arabic words
  that no English number of the bead can be: OCR noise read as digits (removed).

An edit is made only when the pairing is unambiguous: the Arabic number has one such
English partner and that partner no other. Edits are ``(start, end, after, rule,
confidence)`` on the Arabic text given (the caller maps offsets to raw ones).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..translit import is_subsequence
from .noise import LETTER

_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_ARABIC_NUMBER = re.compile(r"(?<![\d.,٠-٩])[\d٠-٩]+(?:[.,٫][\d٠-٩]+)*(?![\d٠-٩])(%|٪)?")
_ENGLISH_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(%|percent\b|per cent\b))?", re.IGNORECASE)
_NUMBER_WORDS = {word: str(value) for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_ENGLISH_WORD_NUMBER = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
#: Words after a number that multiply it ("780 ألف" = "780,000", "1.2 million").
_ARABIC_SCALES = {"ألف": 3, "آلاف": 3, "ألفا": 3, "ألفاً": 3, "مليون": 6, "ملايين": 6, "مليار": 9, "مليارات": 9}
_ENGLISH_SCALES = {"thousand": 3, "million": 6, "billion": 9}
#: Longest number (digits) that may be OCR noise standing between words.
STRAY_DIGITS = 2

Edit = tuple[int, int, str, str, float]


@dataclass(frozen=True)
class NumberOptions:
    """Confidences of the number edits (``[stages."ar.spellfix"]``)."""

    restore_confidence: float = 0.95      # lost digits, misread percent sign
    one_digit_confidence: float = 0.75    # one digit read as another: suggested
    stray_confidence: float = 0.9         # a short number nothing in the English can be


@dataclass
class _Number:
    value: str            # digits (and a decimal point), Western, as written
    percent: bool
    start: int = 0
    end: int = 0
    indic: bool = False
    scale: int = 0        # power of ten of the word after it (ألف, million)
    spelled: bool = False  # an English number written as a word ("two")

    @property
    def amount(self) -> Decimal | str:
        """The number's value with its scale word ("780 ألف" = "780,000")."""
        try:
            return (Decimal(self.value) * 10 ** self.scale).normalize()
        except InvalidOperation:
            return self.value


def _scale(following: str, scales: dict[str, int]) -> int:
    word = following.split(maxsplit=1)[0].strip(".,،;:") if following.strip() else ""
    return scales.get(word.lower(), 0)


def arabic_numbers(text: str) -> list[_Number]:
    found = []
    for match in _ARABIC_NUMBER.finditer(text):
        token = match.group(0)
        digits = token.rstrip("%٪").translate(_ARABIC_INDIC).replace("٫", ".").replace(",", ".")
        found.append(_Number(digits, bool(match.group(1)), match.start(), match.end(),
                             indic=any("٠" <= c <= "٩" for c in token),
                             scale=_scale(text[match.end():match.end() + 12], _ARABIC_SCALES)))
    return found


def english_numbers(text: str) -> list[_Number]:
    """Numbers of an English text; thousands commas dropped, small number words as digits."""
    found = [_Number(m.group(1).replace(",", ""), bool(m.group(2)),
                     scale=_scale(text[m.end():m.end() + 12], _ENGLISH_SCALES)) for m in _ENGLISH_NUMBER.finditer(text)]
    found += [_Number(_NUMBER_WORDS[m.group(1).lower()], False, spelled=True)
              for m in _ENGLISH_WORD_NUMBER.finditer(text)]
    return found


def _relation(arabic: _Number, english: _Number) -> str | None:
    """How the Arabic number may be a misreading of the English one, if it may."""
    if arabic.scale != english.scale:
        return None
    a, e = arabic.value.replace(".", ""), english.value.replace(".", "")
    if english.percent and not arabic.percent and len(a) - len(e) in (1, 2) \
            and (a.endswith(e) or a.startswith(e)):
        return "percent-misread"
    if len(a) < len(e) and is_subsequence(a, e):
        return "lost-digits"
    if len(a) == len(e) > 1 and sum(x != y for x, y in zip(a, e)) == 1 and arabic.percent == english.percent:
        return "one-digit-misread"
    return None


def _beside_a_word(number: _Number, text: str) -> bool:
    """An Arabic word of two letters or more right before or after the number (not a run of
    specks: "ظ 0 .")."""
    return bool(re.search(f"[{LETTER}]{{2}}[^\\s]* $", text[:number.start])
                or re.match(f" [{LETTER}]{{2}}", text[number.end:]))


def _stray(number: _Number, text: str) -> bool:
    """A short plain number with an Arabic word on each side (``طهران 22 أن``)."""
    if number.percent or number.scale or len(number.value) > STRAY_DIGITS:
        return False
    before, after = text[:number.start], text[number.end:]
    return bool(re.search(f"[{LETTER}] $", before) and re.match(f" [{LETTER}]", after))


def _written(english: _Number, arabic: _Number) -> str:
    """The English number as the Arabic text writes numbers."""
    text = english.value + ("%" if english.percent else "")
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) if arabic.indic else text


def number_edits(arabic_text: str, english_text: str, options: NumberOptions = NumberOptions()) -> list[Edit]:
    """Edits restoring the numbers of ``arabic_text`` from its aligned ``english_text``."""
    arabic, english = arabic_numbers(arabic_text), english_numbers(english_text)
    spelled = [e for e in english if e.spelled]      # "one diplomat" is rarely "1" in Arabic:
    english = [e for e in english if not e.spelled]  # a spelled number pairs last
    for number in list(arabic):
        twin = next((e for e in english if e.amount == number.amount), None)
        if twin is not None:
            arabic.remove(number)
            english.remove(twin)
    western = any(not n.indic for n in arabic)    # a lone Arabic-Indic digit among Western ones
    speck = lambda n: western and n.indic and len(n.value) == 1   # noqa: E731  is a speck, no number
    pairs = {id(a): [] if speck(a) else [(e, r) for e in english if (r := _relation(a, e))] for a in arabic}
    for number in list(arabic):
        twin = next((e for e in spelled if e.amount == number.amount), None)
        if twin is not None and not pairs[id(number)]:
            arabic.remove(number)
            spelled.remove(twin)
    edits = []
    for number in arabic:
        partners = pairs[id(number)]
        if not partners and _stray(number, arabic_text):
            edits.append((number.start, number.end, "", "stray-number", options.stray_confidence))
            continue
        if len(partners) != 1:
            continue
        partner, rule = partners[0]
        rivals = [a for a in arabic if a is not number and any(e is partner for e, _ in pairs[id(a)])]
        if rivals or not _beside_a_word(number, arabic_text):
            continue
        confidence = options.one_digit_confidence if rule == "one-digit-misread" else options.restore_confidence
        edits.append((number.start, number.end, _written(partner, number), rule, confidence))
    return edits
