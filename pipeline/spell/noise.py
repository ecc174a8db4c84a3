"""OCR noise that is not a misread word: stray specks and misread Arabic commas.

Two conservative repairs, each an edit ``(start, end, after, rule, confidence)`` on the
text it is given (offsets into that text; the caller maps them to raw offsets):

* **Specks** (``stray-speck``): a token standing between words that no printed text has
  there: a lone diacritic, a digit carrying a diacritic, an Arabic-Indic digit in a text
  whose numbers are written in Western digits, a number of zeros, a lone ``.`` or ``:``,
  a lone letter that Arabic never writes alone (``ظ``, ``ا``: ``ocr_channel.toml``).
  Short numbers next to such a speck go with it.
* **Commas** (``comma-misread``): a ``.`` ``:`` or lone ``ء`` where the Arabic comma was
  printed. A naive Bayes model learned from clean Arabic text (``scripts/learn_punctuation.py``,
  ``pipeline/resources/ocr_punctuation.json``) gives P(mark | words since the sentence
  began, next word); the OCR channel P(read | printed) turns that into P(comma | read).
  A mark that ends a paragraph stays. Also a Latin comma after a number (``2021, وهي``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import data_path

Edit = tuple[int, int, str, str, float]     # start, end, after, rule, confidence

LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
MARKS = "\u064b-\u0652\u0670"
INVISIBLE = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff"
_TOKEN = re.compile(r"\S+")
_ARABIC_WORD = re.compile(f"[{LETTER}]")
_WESTERN_NUMBER = re.compile(r"(?<![\d.,/])\d{2,}(?![\d/])")
_ARABIC_INDIC = re.compile("[\u0660-\u0669]")
#: A token that is never printed alone between words (after bidi marks are dropped).
_SPECK = re.compile(f"[{MARKS}]+|[\\d{MARKS}\u0660-\u0669]*[{MARKS}][\\d{MARKS}\u0660-\u0669]*|0+|[.:'<>”“]+")
_SHORT_NUMBER = re.compile(r"[\d\u0660-\u0669]{1,2}")
#: A colon after at most this many words of a paragraph ends a label or heading: it stays.
LABEL_WORDS = 3
#: A . whose P(comma) is below this counts as a sentence end for the marks after it.
RESET = 0.5


@dataclass(frozen=True)
class NoiseOptions:
    """Thresholds of the noise repair (``[stages."ar.spellfix"]`` in configs/default.toml)."""

    apply_threshold: float = 0.9
    flag_threshold: float = 0.6
    speck_confidence: float = 0.95
    number_confidence: float = 0.9


@lru_cache(maxsize=1)
def punctuation_model() -> dict:
    with data_path("ocr_punctuation.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _bare(token: str) -> str:
    return re.sub(f"[{INVISIBLE}]", "", token)


def uses_western_digits(text: str) -> bool:
    """True when the text writes its numbers in Western digits and none in Arabic-Indic."""
    western = len(_WESTERN_NUMBER.findall(text))
    arabic = len(re.findall("[\u0660-\u0669]{2,}", text))
    return western >= 2 and arabic == 0


@lru_cache(maxsize=1)
def _lone_letter() -> re.Pattern:
    """A token made of one letter that is never a word alone (with diacritics, if any)."""
    from ..resources import load_toml
    letters = load_toml("ocr_channel.toml")["letters_never_alone"]
    return re.compile(f"[{letters}][{MARKS}]*")


def _is_word(token: str) -> bool:
    """A token with a letter that may stand for a word."""
    return bool(_ARABIC_WORD.search(token)) and not _lone_letter().fullmatch(_bare(token))


def _is_speck(token: str, western: bool) -> bool:
    """A token no printed text has alone: letterless noise (an Arabic-Indic digit among
    Western ones), or a letter never written alone."""
    bare = _bare(token)
    if not bare:
        return False
    if _ARABIC_WORD.search(bare):
        return bool(_lone_letter().fullmatch(bare))
    return bool(_SPECK.fullmatch(bare)) or (western and bool(_ARABIC_INDIC.search(bare)))


def speck_edits(text: str, western: bool, options: NoiseOptions = NoiseOptions()) -> list[Edit]:
    """Deletions of stray tokens between two Arabic words (or after the last one)."""
    tokens = list(_TOKEN.finditer(text))
    edits: list[Edit] = []
    index = 0
    while index < len(tokens):
        if _is_word(tokens[index].group()):
            index += 1
            continue
        run = index
        while run < len(tokens) and not _is_word(tokens[run].group()):
            run += 1
        edits += _run_edits(tokens[index:run], western, index > 0 and run < len(tokens), options)
        index = run
    return edits


def _run_edits(run: list[re.Match], western: bool, between_words: bool, options: NoiseOptions) -> list[Edit]:
    """A run of letterless tokens: its specks go, and, between two words, the short
    numbers beside them (a run of specks and short numbers is read from noise)."""
    specks = [_is_speck(t.group(), western) and not (k and _bare(t.group()).strip("0") == ""
                                                      and re.fullmatch(r"\d{2,}", _bare(run[k - 1].group())))
              for k, t in enumerate(run)]     # "30 0": a number cut in two
    if not any(specks):
        return []
    sweep = between_words and all(s or _SHORT_NUMBER.fullmatch(_bare(t.group())) for s, t in zip(specks, run))
    return [(t.start(), t.end(), "", "stray-speck", options.speck_confidence if s else options.number_confidence)
            for t, s in zip(run, specks) if s or sweep]


# --- commas -----------------------------------------------------------------------------

_MARK = re.compile(f"(?<=[{LETTER}{MARKS}\\d»)])([.:])(?= \\S)|(?<= )(ء)(?= \\S)")
_LATIN_COMMA = re.compile(f"(?<=\\d),(?= [{LETTER}«])")


def since_bucket(words: int) -> str:
    for limit in (5, 11, 17):
        if words <= limit:
            return f"<={limit}"
    return ">17"


def next_keys(word: str) -> list[str]:
    """The next word as the model knows it: the word, then its first letter class."""
    word = re.sub(f"[{MARKS}\u0640«»\"()،.:؛]", "", word)
    if not word:
        return ["quote"]
    if word[0].isdigit():
        return ["number"]
    if word[0] in "وف" and len(word) > 3:
        return [word, word[0] + "-"]
    return [word, "other"]


def comma_probability(observed: str, since: int, next_word: str, model: dict | None = None,
                      odds: float = 1.0) -> float:
    """P(the printed mark was ، | OCR read ``observed``, the context); ``odds`` multiplies
    the comma's odds (evidence from the English: the mark falls inside what translates
    one English sentence)."""
    model = model or punctuation_model()
    scores = {}
    for label, count in model["labels"].items():
        total = sum(model["labels"].values())
        score = math.log((count + 1) / (total + 3))
        score += _feature_log(model["since"][label], since_bucket(since), 5)
        score += _next_log(model["next"][label], next_keys(next_word), model["vocabulary"])
        score += math.log(model["channel"].get(label, {}).get(observed, 1e-3))
        scores[label] = score
    scores["،"] += math.log(odds)
    top = max(scores.values())
    weights = {k: math.exp(v - top) for k, v in scores.items()}
    return weights["،"] / sum(weights.values())


def _feature_log(counts: dict, key: str, values: int) -> float:
    return math.log((counts.get(key, 0) + 1) / (sum(counts.values()) + values))


def _next_log(counts: dict, keys: list[str], vocabulary) -> float:
    """The next word's likelihood: the word itself when the model knows it, else its class."""
    key = keys[0] if len(keys) > 1 and keys[0] in vocabulary else "class:" + keys[-1]
    return _feature_log(counts, key, 100)


def comma_edits(text: str, options: NoiseOptions = NoiseOptions(), model: dict | None = None,
                comma_odds: dict[int, float] | None = None) -> list[Edit]:
    """``.`` ``:`` ``ء`` read for a printed ``،``, paragraph by paragraph, left to right;
    ``comma_odds``: text offset of a mark -> factor on its comma odds."""
    edits: list[Edit] = []
    offset = 0
    for paragraph in text.split("\n"):
        odds = {k - offset: v for k, v in (comma_odds or {}).items() if offset <= k <= offset + len(paragraph)}
        edits += [(a + offset, b + offset, after, rule, c)
                  for a, b, after, rule, c in _paragraph_commas(paragraph, options, model, odds)]
        offset += len(paragraph) + 1
    return edits


def _paragraph_commas(paragraph: str, options: NoiseOptions, model: dict | None,
                      comma_odds: dict[int, float]) -> list[Edit]:
    edits: list[Edit] = []
    for match in _LATIN_COMMA.finditer(paragraph):
        edits.append((match.start(), match.end(), "،", "comma-after-number", options.speck_confidence))
    since, last = 0, 0
    for match in _MARK.finditer(paragraph):
        since += len([t for t in paragraph[last:match.start()].split() if _ARABIC_WORD.search(t)])
        last = match.end()
        observed = match.group(1) or match.group(2)
        next_word = paragraph[match.end():].split(maxsplit=1)[0]
        if observed == ":" and (next_word[:1] in "«\"“" or since <= LABEL_WORDS):
            continue    # a colon that opens a quotation, or ends a label ("الشكل 2:", "المصدر:")
        probability = comma_probability(observed, since, next_word, model, comma_odds.get(match.start(), 1.0))
        if probability >= options.flag_threshold:
            edits.append((match.start(), match.end(), "،", "comma-misread", round(probability, 3)))
        if probability < RESET and observed == ".":
            since = 0
    return sorted(edits)


def noise_edits(text: str, western: bool | None = None, options: NoiseOptions = NoiseOptions(),
                comma_odds: dict[int, float] | None = None) -> list[Edit]:
    """Speck and comma edits of ``text``, sorted, without overlaps."""
    western = uses_western_digits(text) if western is None else western
    found = sorted(speck_edits(text, western, options) + comma_edits(text, options, comma_odds=comma_odds))
    result, end = [], -1
    for edit in found:
        if edit[0] >= end:
            result.append(edit)
            end = edit[1]
    return result
