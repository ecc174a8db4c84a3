"""Deciding, word by word, to leave it, suggest a fix, or apply one.

For each Arabic word (names, Latin, numbers and words inside guillemets are protected):

1. **Candidates**: SymSpell neighbours (edit distance 1) from the wordfreq list; for a
   word the dictionaries do not know, also the listed words one or two dot-group
   misreadings away (الحشحاش → الخشخاش), and two words it may be a merge of (أسوأموجة;
   never a word and an attached pronoun: أحواضهم).
2. **Score** of a reading ``c`` of the observed word ``w`` (noisy channel):
   ``log P(c) + log P(w | c) + context(c)``, where ``P(c)`` is the word's frequency
   (wordfreq, with a floor), ``P(w | c)`` is the OCR channel learned from real tesseract
   output, and ``context`` rewards a reading that forms word pairs the document (and the
   archive, when given) already contains, or that translates a word of the aligned English
   sentence (FreeDict). The word as written, when hunspell and wordfreq do not both know
   it, has a lower prior: a form hunspell accepts but wordfreq lacks (a rare dual,
   أخبرانا) ``hunspell_floor``, one neither knows ``non_word_floor``, and a form only
   wordfreq lists its frequency times ``unknown_discount`` (its rare forms are often typos).
3. **Decision**: the margin of the best candidate over the word itself, as a confidence
   ``σ(margin)``; at least ``apply_threshold`` → applied, at least ``flag_threshold`` →
   suggested (flagged), else nothing. A word hunspell and wordfreq both know (a real word)
   needs context evidence before it is even suggested, or a typing slip, which is only
   suggested: a rare word whose ending ة/ه, swapped, gives a far more frequent one (هدفة
   for هدفه), a letter typed once for twice where the aligned English has the reading's
   translation (تضيق for تضييق "tightening").
4. **Loanwords**: a word that sounds like a name or borrowing of the aligned English
   sentence (البشتوية "Pashto", جرغة "jirga"), more than its reading does, stays.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from camel_tools.utils.dediac import dediac_ar

from ..resources.gazetteer import PROCLITICS
from ..translit import letter_similarity, name_similarity
from .channel import channel_log_probability, dot_groups
from .resources import hunspell_checker, symspell_index, word_frequencies

_ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
FREQUENCY_FLOOR = 1e-9
#: The prior of a word neither hunspell nor wordfreq knows (tuned on corpora/ocr/tune).
NON_WORD_FLOOR = 1e-10


@dataclass(frozen=True)
class Correction:
    """A decided change of one word."""

    start: int          # raw offsets of the word
    end: int
    before: str
    after: str
    rule: str           # non-word | real-word | merged-words
    confidence: float
    applied: bool


@dataclass(frozen=True)
class FixerOptions:
    apply_threshold: float = 0.9
    flag_threshold: float = 0.6
    context_weight: float = 2.0
    english_weight: float = 4.0
    real_word_margin: float = 3.0
    min_length: int = 3
    min_length_to_apply: int = 4
    non_word_floor: float = NON_WORD_FLOOR
    ending_ratio: float = 30.0
    ending_rare: float = 1e-6
    ending_confidence: float = 0.7
    doubled_ratio: float = 0.5
    doubled_confidence: float = 0.65
    document_weight: float = 4.0
    unknown_discount: float = 0.3      # prior factor of a form only wordfreq lists (tuned)
    hunspell_floor: float = 1e-9       # prior of a form only hunspell accepts (tuned)
    sound_threshold: float = 0.75      # likeness to an English loanword that keeps a word
    rival_ratio: float = 10.0          # a suggestion lists the readings this close to its own


def plain(word: str) -> str:
    """A word as wordfreq stores it: no diacritics or tatweel."""
    return dediac_ar(word).replace("\u0640", "")


def log_frequency(word: str) -> float:
    return math.log(max(word_frequencies().get(word, 0.0), FREQUENCY_FLOOR))


KNOWN_FREQUENCY = 1e-7
COMMON_FREQUENCY = 1e-6

@lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """A word hunspell knows and wordfreq knows too, as written or without the letters
    attached to it (ولاستعراض is و + ل + استعراض: wordfreq lacks the rare combination)."""
    frequencies = word_frequencies()
    if frequencies.get(word, 0.0) >= COMMON_FREQUENCY:
        return True           # common enough that hunspell's older list lacks it: الحوكمة
    if not hunspell_checker().spell(word):
        return False
    if frequencies.get(word, 0.0) > KNOWN_FREQUENCY:
        return True
    if word.startswith("لل") and frequencies.get("ا" + word[1:], 0.0) > KNOWN_FREQUENCY:
        return True           # ل + ال with its alef dropped: للحوكمة
    return any(word.startswith(prefix) and len(word) - len(prefix) >= 3
               and frequencies.get(word[len(prefix):], 0.0) > KNOWN_FREQUENCY for prefix in PROCLITICS if prefix)


class DocumentContext:
    """Word and word-pair counts of the text bayan has seen (this document, the archive)."""

    def __init__(self, texts: list[str]):
        self.pairs: Counter = Counter()
        self.words: Counter = Counter()
        for text in texts:
            tokens = [plain(t) for t in re.findall("[\u0621-\u064a\u064b-\u0652\u0640]+", text)]
            self.words.update(tokens)
            self.pairs.update(zip(tokens, tokens[1:]))

    def add(self, other: "DocumentContext", sign: int = 1) -> None:
        """Join (or, with ``sign`` -1, take away) another text's counts."""
        for mine, theirs in ((self.words, other.words), (self.pairs, other.pairs)):
            if sign > 0:
                mine.update(theirs)
            else:
                mine.subtract(theirs)
        self.__dict__.pop("total", None)      # counted again when next asked

    @cached_property
    def total(self) -> int:
        """How many words the text has."""
        return sum(self.words.values())

    def keyness(self, word: str, discount: int = 0) -> float:
        """How many times more often the text has ``word`` (less ``discount`` occurrences)
        than general Arabic would (wordfreq): الحدود in a text on borders, not من."""
        expected = self.total * word_frequencies().get(word, FREQUENCY_FLOOR)
        return (self.words[word] - discount) / (expected + 1.0)

    def support(self, left: str | None, word: str, right: str | None) -> float:
        """How many times the document has ``word`` next to the same neighbours."""
        return (self.pairs[(left, word)] if left else 0) + (self.pairs[(word, right)] if right else 0)


def candidates(word: str) -> list[tuple[str, str]]:
    """(candidate, kind) readings of an observed word."""
    from symspellpy import Verbosity
    found = [(s.term, "edit") for s in symspell_index().lookup(word, Verbosity.ALL, max_edit_distance=1)
             if s.term != word]
    if not is_known(word):
        seen = {term for term, _ in found}
        found += [(variant, "edit") for variant in dot_variants(word) if variant not in seen]
    glued = glued_punctuation()
    if word[-1:] in glued and is_known(word[:-1]):
        found.append((word[:-1] + glued[word[-1]], "punctuation"))
    if word not in word_frequencies():
        ending = max((e for e in attached_endings() if word.endswith(e)), key=len, default="")
        for cut in range(2, len(word) - 1 - len(ending)):       # not inside an ending: أجندتهما
            left, right = word[:cut], word[cut:]
            if is_known(left) and is_known(right):
                found.append((f"{left} {right}", "merge"))
    return found


def dot_variants(word: str, changes: int = 2) -> list[str]:
    """Words of the frequency list that ``word`` becomes when up to ``changes`` of its
    letters are read as another of their dot group (الحشحاش → الخشخاش), beyond SymSpell's
    one edit and its index of the most frequent forms."""
    groups = dot_groups()
    variants = {word}
    for _ in range(changes):
        variants |= {v[:i] + other + v[i + 1:] for v in variants for i, char in enumerate(v)
                     for other in groups.get(char, "") if other != char}
    frequencies = word_frequencies()
    return sorted(v for v in variants if v != word and v in frequencies)


@lru_cache(maxsize=1)
def attached_endings() -> frozenset[str]:
    """Pronoun and dual/plural endings written attached to a word (أحواضهم is no merge of
    أحواض and هم)."""
    from ..resources import load_toml
    return frozenset(load_toml("ocr_channel.toml")["attached_endings"])


@lru_cache(maxsize=1)
def glued_punctuation() -> dict[str, str]:
    from ..resources import load_toml
    return load_toml("ocr_channel.toml")["glued_punctuation"]


def _score(candidate: str, observed: str, context: DocumentContext, left, right, options: FixerOptions) -> float:
    """The reading's score from the word lists, the OCR channel and the text around it
    (the aligned English is weighed apart: ``_with_english``)."""
    glued = glued_punctuation()
    if candidate[-1:] in glued.values() and candidate[:-1] == observed[:-1]:
        # a comma glued to the word as a hamza: the word's own frequency, the channel's
        # estimate of that misreading
        from .channel import operation_probability
        return log_frequency(candidate[:-1]) + math.log(operation_probability(candidate[-1], observed[-1]))
    parts = candidate.split()
    score = sum(log_frequency(p) for p in parts) + channel_log_probability(candidate, observed)
    support = context.support(left, parts[0], right) if len(parts) == 1 else 0
    if candidate == observed:   # the word's own occurrence is not evidence for itself
        support = max(0, support - (left is not None) - (right is not None))
    score += options.context_weight * math.log1p(support)
    if _one_letter_misread(candidate, observed) or candidate == observed:
        # a word this text writes far more often than Arabic in general does (الحدود in a
        # text on borders) is likelier where OCR shows a word one letter away (الجدود)
        score += options.document_weight * math.log(max(1.0, context.keyness(candidate, candidate == observed)))
    return score


def _with_english(scored: list[tuple[float, str, str]], observed: str, english: set[str], options: FixerOptions,
                  translations, reach: float = 0.0) -> list[tuple[float, str, str]]:
    """(score, reading, kind) with ``english_weight`` added to the readings the aligned
    English has a translation of when it has none of the word as written (only readings
    that this could lift to the top, or to within ``reach`` of it, are looked up)."""
    if not scored or not english or translations is None or translates(observed, english, translations):
        return scored
    top = max(score for score, _, _ in scored)
    return [(score + options.english_weight, reading, kind)
            if score + options.english_weight + reach >= top and any(translates(p, english, translations)
                                                             for p in reading.split())
            else (score, reading, kind) for score, reading, kind in scored]


#: A translation this many letters short of an English stem, or beyond it, still counts
#: (both at least four letters long): "weak" for "weaken".
DERIVED_LETTERS = 3


def translates(word: str, english: set[str], translations) -> bool:
    """The dictionary gives ``word`` a translation among the English stems, or one that a
    stem derives from or that derives from a stem (ضعف "weak" for "weakened")."""
    found = translations(word)
    if found & english:
        return True
    shortened = _shortened(frozenset(english))
    return any(t in shortened or any(t[:k] in english for k in range(max(4, len(t) - DERIVED_LETTERS), len(t)))
               for t in found)


@lru_cache(maxsize=1024)
def _shortened(english: frozenset[str]) -> frozenset[str]:
    """The English stems cut by up to ``DERIVED_LETTERS`` letters (at least four left)."""
    return frozenset(e[:k] for e in english for k in range(max(4, len(e) - DERIVED_LETTERS), len(e)))


def _one_letter_misread(candidate: str, observed: str) -> bool:
    """The two words differ in one letter only (same length): a misread letter, not a
    dropped or added one (ومن and من are different words, not an OCR slip)."""
    return len(candidate) == len(observed) and sum(a != b for a, b in zip(candidate, observed)) == 1


_ENDING_SLIPS = {"ة": "ه", "ه": "ة"}


def ending_slip(word: str, english: set[str], options: FixerOptions, translations=None) -> str | None:
    """The word with ة and ه swapped at its end when that is the word meant: the word as
    written is rare (under ``ending_rare``) and the swapped one ``ending_ratio`` times more
    frequent (هدفة for هدفه "his aim"), unless the aligned English has the translation of
    the word as written and not of the swap (ومؤسسه "and its founder")."""
    if len(word) < 3 or word[-1] not in _ENDING_SLIPS:
        return None
    swapped = word[:-1] + _ENDING_SLIPS[word[-1]]
    frequencies = word_frequencies()
    own, other = frequencies.get(word, 0.0), frequencies.get(swapped, 0.0)
    if own >= options.ending_rare or other < options.ending_ratio * max(own, FREQUENCY_FLOOR):
        return None
    if english and translations is not None and translates(word, english, translations) \
            and not translates(swapped, english, translations):
        return None
    return swapped


def typing_slip(word: str, english: set[str], options: FixerOptions, translations=None
                ) -> tuple[str, float] | None:
    """(reading, confidence) of a valid word that is a typing slip, to suggest only."""
    if (reading := ending_slip(word, english, options, translations)):
        return reading, options.ending_confidence
    if (reading := doubled_slip(word, english, options, translations)):
        return reading, options.doubled_confidence
    return None


def doubled_slip(word: str, english: set[str], options: FixerOptions, translations=None) -> str | None:
    """The word with one of its letters typed twice when the aligned English has the
    translation of that reading and not of the word as written, and the reading is about
    as frequent (``doubled_ratio``): تضيق "narrows" for تضييق "tightening"."""
    if not english or translations is None or translates(word, english, translations):
        return None
    frequencies = word_frequencies()
    floor = options.doubled_ratio * frequencies.get(word, 0.0)
    for index in range(1, len(word)):
        reading = word[:index + 1] + word[index] + word[index + 1:]
        if frequencies.get(reading, 0.0) >= max(floor, KNOWN_FREQUENCY) and translates(reading, english, translations):
            return reading
    return None


def decide(word: str, left: str | None, right: str | None, context: DocumentContext,
           english: set[str] = frozenset(), options: FixerOptions = FixerOptions(),
           translations=None, loanwords: set[str] = frozenset()) -> tuple[str, str, float] | None:
    """(best reading, rule, confidence) for ``word``, or None to leave it: also when the
    word as written sounds like one of the aligned English sentence's ``loanwords`` (its
    words rare in English: names and borrowings the Arabic dictionaries lack, البشتوية
    "Pashto", جرغة "jirga") and its reading does not."""
    decision = _best_reading(word, left, right, context, english, options, translations)
    if decision and loanwords and sounds_like(word, decision[0], loanwords, options.sound_threshold):
        return None
    return decision


def sounds_like(word: str, reading: str, loanwords: set[str], threshold: float) -> bool:
    """The word (or the word after an attached و ف ب ل ك: فلال = ف + Lal) sounds like one of
    ``loanwords`` at least ``threshold``, and more so than ``reading`` does (by consonant
    skeletons, then by letters: ``pipeline/translit.py``)."""
    def likeness(arabic: str, english: str) -> tuple[float, float]:
        return name_similarity(arabic, english), letter_similarity(arabic, english)

    forms = {word} | ({word[1:]} if word[0] in "وفبلك" and len(word) > 3 else set())
    for other in loanwords:
        own = max(likeness(form, other) for form in forms)
        if max(own) >= threshold and own > likeness(reading, other):
            return True
    return False


def _scored_readings(word: str, left: str | None, right: str | None, context: DocumentContext,
                     english: set[str], options: FixerOptions, translations,
                     reach: float = 0.0) -> list[tuple[float, str, str]]:
    """(score, reading, kind) of every candidate reading of ``word``, as listed (the
    English weighed for those it could bring within ``reach`` of the best)."""
    return _with_english([(_score(candidate, word, context, left, right, options), candidate, kind)
                          for candidate, kind in candidates(word)], word, english, options, translations, reach)


def other_readings(word: str, reading: str, left: str | None, right: str | None, context: DocumentContext,
                   english: set[str] = frozenset(), options: FixerOptions = FixerOptions(), translations=None,
                   limit: int = 2) -> list[str]:
    """Up to ``limit`` readings of ``word`` besides ``reading`` that score within a factor
    ``rival_ratio`` of it, best first: for a suggestion, what else the word may be (ضعب:
    صعب "difficult", or ضعف "weakness" that the aligned English has)."""
    reach = math.log(options.rival_ratio)
    scored = _scored_readings(word, left, right, context, english, options, translations, reach)
    best = max((score for score, r, _ in scored if r == reading), default=None)
    if best is None:
        return []
    close = sorted((s for s in scored if s[1] != reading and s[0] >= best - reach),
                   key=lambda item: -item[0])
    return [r for _, r, _ in close[:limit]]


def _best_reading(word: str, left: str | None, right: str | None, context: DocumentContext,
                  english: set[str], options: FixerOptions, translations) -> tuple[str, str, float] | None:
    if len(word) < options.min_length or not _ARABIC_WORD.match(word):
        return None
    known = is_known(word)
    own = _score(word, word, context, left, right, options)
    if not known and word not in word_frequencies():
        floor = options.hunspell_floor if hunspell_checker().spell(word) else options.non_word_floor
        own += math.log(floor / FREQUENCY_FLOOR)
    elif not known:
        own += math.log(options.unknown_discount)
    scored = _scored_readings(word, left, right, context, english, options, translations)
    if not scored:
        return None
    score, reading, kind = max(scored, key=lambda item: item[0])     # the first of equals, as listed
    best = (reading, score, kind)
    margin = best[1] - own
    if known:
        # a real word: the reading must win clearly, with evidence from context or English;
        # else a typing slip of its ending may be suggested
        evidence = (context.support(left, best[0], right) > context.support(left, word, right)
                    or (translations is not None and translates(best[0], english, translations))
                    or (_one_letter_misread(best[0], word)
                        and context.keyness(best[0]) > 2 * max(1.0, context.keyness(word))))
        margin -= options.real_word_margin
        slip = typing_slip(word, english, options, translations)
        if slip and (not evidence or 1.0 / (1.0 + math.exp(-margin)) < slip[1]):
            return slip[0], "real-word", slip[1]
        if not evidence:
            return None
    confidence = 1.0 / (1.0 + math.exp(-margin))
    if len(word) < options.min_length_to_apply:
        confidence = min(confidence, options.apply_threshold - 0.01)   # short words: suggest only
    rule = {"merge": "merged-words", "punctuation": "glued-punctuation"}.get(best[2]) or \
        ("real-word" if known else "non-word")
    return best[0], rule, round(confidence, 3)
