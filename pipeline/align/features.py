"""Sentences as bags of language-neutral features, for bead similarity.

An Arabic and an English sentence that translate each other share features:

* ``EN:stem`` — English stems; an Arabic word contributes the English stems the
  lexicon gives for it (weight shared among its translations), plus what the learned
  translation table adds;
* ``NUM:2015`` — numbers and years (digits of any script, separators dropped);
* ``MON:8`` — month names (``آب/أغسطس`` and ``Aug.`` alike);
* ``SK:NKRHR`` — consonant skeletons of names (words the lexicon does not know, and
  capitalized English words);
* ``LAT:iskp`` — Latin-script words written in the Arabic;
* ``ENT:grp-taliban`` — names found in the gazetteer (any spelling, any clitics).

Weights are multiplied by an inverse document frequency computed over both sides.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import numpy as np
from scipy import sparse
from spacy.lang.ar.stop_words import STOP_WORDS as ARABIC_STOP_WORDS
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS

from ..document import BlockText, Side
from ..resources import load_toml
from ..resources.gazetteer import load_gazetteer
from ..translit import arabic_skeleton, english_skeleton
from .lexicon import arabic_key, arabic_stems, english_stem

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*%?$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'’\-]*$")
_ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,]\d+)*")
ARABIC_STOP_KEYS = frozenset(arabic_key(w) for w in ARABIC_STOP_WORDS)
_MONTH_FIRST_WORDS: frozenset[str] = frozenset()


@dataclass
class SentenceInfo:
    """What the aligner knows about one sentence."""

    id: str
    length: int
    block: str
    kind: str
    features: Counter = field(default_factory=Counter)


@lru_cache(maxsize=1)
def _months() -> tuple[dict[str, int], dict[str, int]]:
    global _MONTH_FIRST_WORDS
    table = load_toml("months.toml")
    arabic = {arabic_key(k): v for k, v in table["arabic"].items()}
    _MONTH_FIRST_WORDS = frozenset(k.split()[0] for k in arabic)
    return arabic, table["english"]


def _number_feature(token: str) -> str | None:
    token = token.translate(_DIGITS)
    if _NUMBER.match(token):
        return "NUM:" + re.sub(r"[.,%]", "", token).lstrip("0")[:12] or "NUM:0"
    return None


@lru_cache(maxsize=300_000)
def _arabic_word_features(word: str, lexicon_id: int) -> tuple[tuple[str, float], ...]:
    """Features of one Arabic word on its own: a number, a Latin word, or a content word's
    dictionary translations (or, if it has none, its consonant skeleton)."""
    if (number := _number_feature(word)) is not None:
        return ((number, 1.0),)
    if _LATIN.match(word):
        return (("LAT:" + english_stem(word), 1.0),)
    if word in ARABIC_STOP_KEYS or len(word) < 2:
        return ()
    lexicon = _LEXICONS[lexicon_id]
    translations: set[str] = set()
    for stem in arabic_stems(word):
        translations |= lexicon.get(stem, frozenset())
    if translations:
        share = 1.0 / math.sqrt(len(translations))
        return tuple(("EN:" + english, share) for english in sorted(translations))
    skeleton = arabic_skeleton(word)
    return (("SK:" + skeleton, 1.0),) if len(skeleton) >= 2 else ()


_LEXICONS: dict[int, dict[str, frozenset[str]]] = {}


def arabic_features(words: Iterable[str], lexicon: dict[str, frozenset[str]]) -> Counter:
    """Features of Arabic words (in key form)."""
    months, _ = _months()
    _LEXICONS.setdefault(id(lexicon), lexicon)
    bag: Counter = Counter()
    words = list(words)
    for start, end, entity, _ in load_gazetteer().match_arabic(words):
        bag["ENT:" + entity] += 2
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word in _MONTH_FIRST_WORDS:
            two = f"{word} {words[index + 1]}" if index + 1 < len(words) else ""
            if two in months or word in months:
                bag[f"MON:{months.get(two, months.get(word))}"] += 1
                skip_next = two in months
                continue
        for feature, weight in _arabic_word_features(word, id(lexicon)):
            bag[feature] += weight
    return bag


def learned_features(words: Iterable[str], learned: dict[str, dict[str, float]]) -> Counter:
    """The features a learned translation table adds to Arabic words (in key form)."""
    bag: Counter = Counter()
    for word in words:
        for stem in arabic_stems(word):
            for english, weight in learned.get(stem, {}).items():
                bag["EN:" + english] += weight
    return bag


def english_features(words: Iterable[str]) -> Counter:
    """Features of English words (as written)."""
    _, months = _months()
    bag: Counter = Counter()
    words = list(words)
    for start, end, entity in load_gazetteer().match_english(words):
        bag["ENT:" + entity] += 2
    for position, word in enumerate(words):
        if (number := _number_feature(word)) is not None:
            bag[number] += 1
            continue
        lower = word.lower().rstrip(".")
        if lower in months and (word[0].isupper() or lower == "may" and False):
            bag[f"MON:{months[lower]}"] += 1
            continue
        if lower in ENGLISH_STOP_WORDS or len(lower) < 2:
            continue
        bag["EN:" + english_stem(lower)] += 1
        if word[0].isupper() and (position > 0 or word.isupper()):
            skeleton = english_skeleton(word)
            if len(skeleton) >= 2:
                bag["SK:" + skeleton] += 1
            bag["LAT:" + english_stem(lower)] += 0.5
    return bag


def arabic_sentence_words(side: Side, sentence) -> list[str]:
    """The words of an Arabic sentence in key form, from its tokens layer or its text."""
    key = side.views.get("key")
    view = key if key is not None else side.view("reading")
    text = BlockText.of(view, sentence).text
    return re.findall(r"[\w\u0621-\u064a]+(?:[.,]\d+)*", arabic_key(text))


def english_words(text: str) -> list[str]:
    """The words (and numbers) of an English text."""
    return _ENGLISH_WORDS.findall(text)


def english_sentence_words(side: Side, sentence) -> list[str]:
    view = side.views.get("reading") or side.view("raw")
    return english_words(BlockText.of(view, sentence).text)


def english_sentence_stems(side: Side) -> dict[str, set[str]]:
    """English sentence id -> the stems of its words."""
    return {s.id: {english_stem(w) for w in english_sentence_words(side, s)} for s in side.layer("sentences")}


def sentence_infos(side: Side, credit_pattern: str | None = None) -> list[SentenceInfo]:
    """One SentenceInfo per sentence, features left empty.

    A caption sentence matching ``credit_pattern`` (``Source: …``, ``Image: …``) gets the
    kind ``credit``: matter the publisher adds, which translations often leave out.
    """
    kinds = {b.id: b.label for b in side.layer("blocks")}
    credit = re.compile(credit_pattern) if credit_pattern else None
    view = side.views.get("reading") or side.view("raw")
    infos = []
    for sentence in side.layer("sentences"):
        block = sentence.attrs.get("block", "")
        text = BlockText.of(view, sentence).text.strip()
        kind = kinds.get(block, "paragraph")
        if kind == "caption" and credit and credit.match(text):
            kind = "credit"
        infos.append(SentenceInfo(sentence.id, len(text), block, kind))
    return infos


@dataclass
class FeatureSpace:
    """A shared vocabulary of features with their inverse document frequencies."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, bags: list[Counter]) -> "FeatureSpace":
        document_frequency: Counter = Counter()
        for bag in bags:
            document_frequency.update(bag.keys())
        frequencies = np.fromiter(document_frequency.values(), float, len(document_frequency))
        idf = np.log((1 + len(bags)) / (1 + frequencies)) + 1.0
        return cls({f: i for i, f in enumerate(document_frequency)}, idf)

    def matrix(self, bags: list[Counter]) -> sparse.csr_matrix:
        """IDF-weighted rows; features outside the vocabulary are dropped."""
        vocabulary = self.vocabulary
        known = [[(vocabulary[f], w) for f, w in bag.items() if f in vocabulary] for bag in bags]
        indptr = np.zeros(len(bags) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in known], out=indptr[1:])
        size = int(indptr[-1])
        columns = np.fromiter((c for row in known for c, _ in row), np.int64, size)
        values = np.fromiter((w for row in known for _, w in row), float, size)
        return sparse.csr_matrix((values * self.idf[columns], columns, indptr),
                                 shape=(len(bags), max(1, len(vocabulary))))

