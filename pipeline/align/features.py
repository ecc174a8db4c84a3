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
_ARABIC_STOP_KEYS = frozenset(arabic_key(w) for w in ARABIC_STOP_WORDS)


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
    table = load_toml("months.toml")
    arabic = {arabic_key(k): v for k, v in table["arabic"].items()}
    return arabic, table["english"]


def _number_feature(token: str) -> str | None:
    token = token.translate(_DIGITS)
    if _NUMBER.match(token):
        return "NUM:" + re.sub(r"[.,%]", "", token).lstrip("0")[:12] or "NUM:0"
    return None


def arabic_features(words: Iterable[str], lexicon: dict[str, frozenset[str]],
                    learned: dict[str, dict[str, float]] | None = None) -> Counter:
    """Features of Arabic words (in key form)."""
    months, _ = _months()
    bag: Counter = Counter()
    words = list(words)
    for start, end, entity in load_gazetteer().match_arabic(words):
        bag["ENT:" + entity] += 2
    for index, word in enumerate(words):
        if (number := _number_feature(word)) is not None:
            bag[number] += 1
            continue
        if _LATIN.match(word):
            bag["LAT:" + english_stem(word)] += 1
            continue
        two = f"{word} {words[index + 1]}" if index + 1 < len(words) else ""
        if word in months or two in months:
            bag[f"MON:{months.get(two, months.get(word))}"] += 1
            continue
        if word in _ARABIC_STOP_KEYS or len(word) < 2:
            continue
        translations: set[str] = set()
        for stem in arabic_stems(word):
            translations |= lexicon.get(stem, frozenset())
            if learned and stem in learned:
                for english, weight in learned[stem].items():
                    bag["EN:" + english] += weight
        if translations:
            share = 1.0 / math.sqrt(len(translations))
            for english in translations:
                bag["EN:" + english] += share
        else:
            skeleton = arabic_skeleton(word)
            if len(skeleton) >= 2:
                bag["SK:" + skeleton] += 1
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


def english_sentence_words(side: Side, sentence) -> list[str]:
    view = side.views.get("reading") or side.view("raw")
    return _ENGLISH_WORDS.findall(BlockText.of(view, sentence).text)


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


def to_matrices(arabic: list[Counter], english: list[Counter]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """IDF-weighted sparse matrices over a shared feature vocabulary."""
    document_frequency: Counter = Counter()
    for bag in arabic + english:
        document_frequency.update(bag.keys())
    total = len(arabic) + len(english)
    vocabulary = {f: i for i, f in enumerate(document_frequency)}
    idf = {f: math.log((1 + total) / (1 + df)) + 1.0 for f, df in document_frequency.items()}

    def matrix(bags: list[Counter]) -> sparse.csr_matrix:
        rows, cols, values = [], [], []
        for row, bag in enumerate(bags):
            for feature, weight in bag.items():
                rows.append(row)
                cols.append(vocabulary[feature])
                values.append(weight * idf[feature])
        return sparse.csr_matrix((np.asarray(values, dtype=np.float64), (rows, cols)),
                                 shape=(len(bags), max(1, len(vocabulary))))
    return matrix(arabic), matrix(english)
