"""Consonant skeletons: a script-neutral key for names (ننكرهار ~ Nangarhar → NNKRHR).

Both scripts map to the same consonant classes (``resources/skeleton.toml``); vowels,
weak letters, hamza and doubled letters are dropped, and an Arabic article ال is
removed. Two spellings of a name usually share a skeleton or differ by one class.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .resources import load_toml

_ARTICLE = re.compile("^(?:ال|لل)(?=..)")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], list[tuple[str, str]]]:
    table = load_toml("skeleton.toml")
    english = sorted(table["english"].items(), key=lambda kv: -len(kv[0]))
    return table["arabic"], english


def _squeeze(classes: str) -> str:
    return re.sub(r"(.)\1+", r"\1", classes)


@lru_cache(maxsize=65536)
def arabic_skeleton(word: str, strip_article: bool = True) -> str:
    """The consonant skeleton of an Arabic word (expects the matching key form)."""
    arabic, _ = _tables()
    if strip_article:
        word = _ARTICLE.sub("", word)
    return _squeeze("".join(arabic.get(char, "") for char in word))


@lru_cache(maxsize=65536)
def english_skeleton(word: str) -> str:
    """The consonant skeleton of a Latin-script word."""
    _, english = _tables()
    word = word.lower()
    out, position = [], 0
    while position < len(word):
        for letters, cls in english:
            if word.startswith(letters, position):
                out.append(cls)
                position += len(letters)
                break
        else:
            position += 1
    return _squeeze("".join(out))


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


#: The Arabic article as English writes it before a name ("al-Baghdadi", "ash-Shami", "al Qaeda").
ENGLISH_ARTICLE = re.compile(r"^(?:al|el|ul|ad|an|ar|as|ash|at|az)[-’' ]", re.I)


def name_similarity(arabic: str, english: str) -> float:
    """How well an Arabic name (key form) and an English name sound alike, in [0, 1].

    One minus the edit distance of their consonant skeletons (each word's article
    removed), over the longer skeleton's length. A final ه may be a written vowel
    (باره = Bara) or a consonant (تيراه = Tirah): both are tried; a ه (ة) ending a word
    before another is also read t (رحمة الله = Rahmatullah) or as a vowel (حمزه زي =
    Hamzazai); a consonant ending one word and starting the next is heard once.
    """
    words = arabic.split()
    lefts = {"".join(arabic_skeleton(w) for w in words)}
    if words and len(words[-1]) > 2 and words[-1].endswith("ه"):
        lefts.add("".join(arabic_skeleton(w) for w in words[:-1]) + arabic_skeleton(words[-1][:-1]))
    construct = [len(w) > 2 and w.endswith("ه") for w in words[:-1]] + [False]
    if any(construct):   # a ة before another word is read t (رحمة الله = Rahmatullah) or a vowel (حمزه زي)
        lefts.add("".join(arabic_skeleton(w[:-1]) + "T" if is_construct else arabic_skeleton(w)
                          for w, is_construct in zip(words, construct)))
        lefts.add("".join(arabic_skeleton(w[:-1]) if is_construct else arabic_skeleton(w)
                          for w, is_construct in zip(words, construct)))
    lefts = {_squeeze(left) for left in lefts}      # حمزه زي: the z of two words heard once (Hamzazai)
    best = 0.0
    for spelling in _english_spellings(english.lower()):
        right = _squeeze("".join(english_skeleton(ENGLISH_ARTICLE.sub("", w))
                                 for w in re.split(r"[\s\-]+", spelling) if w))
        best = max([best] + [_closeness(left, right) for left in lefts])
    return best


def letter_similarity(arabic: str, english: str) -> float:
    """A finer likeness than ``name_similarity``, to break its ties: the Arabic letters
    read as the Latin letters they most often write, against the English letters, both
    without vowels and (but for a first one) without w and y; one minus their edit
    distance over the longer length (الداور ~ "Dawar" 1.0, تدير ~ "Dawar" 0.5)."""
    letters = load_toml("skeleton.toml")["arabic_letters"]
    words = [_ARTICLE.sub("", w) for w in arabic.split()]
    readings = {tuple(words)}
    if words and len(words[-1]) > 2 and words[-1].endswith("ه"):
        readings.add(tuple(words[:-1]) + (words[-1][:-1],))        # a final ه may be a vowel (باره = Bara)
    right = "".join(_consonants(re.sub("[^a-z]", "", ENGLISH_ARTICLE.sub("", w).lower()))
                    for w in re.split(r"[\s\-]+", english) if w)
    return max(_closeness("".join(_consonants("".join(letters.get(c, "") for c in w)) for w in reading), right)
               for reading in readings)


def _closeness(left: str, right: str) -> float:
    """One minus the edit distance of two keys over the longer one's length (0 if one is empty)."""
    if not left or not right:
        return 0.0
    return 1.0 - _levenshtein(left, right) / max(len(left), len(right))


def _consonants(latin: str) -> str:
    """The letters but vowels, and but w and y after the first letter."""
    return re.sub("[aeiou]", "", latin[:1]) + re.sub("[aeiouwy]", "", latin[1:])


@lru_cache(maxsize=65536)
def _english_spellings(name: str) -> tuple[str, ...]:
    """The name and its rewrites by ``[english_alternatives]`` (each group rewritten throughout)."""
    spellings = [name]
    for letters, rewrites in load_toml("skeleton.toml").get("english_alternatives", {}).items():
        if letters in name:
            spellings += [s.replace(letters, r) for s in list(spellings) for r in rewrites]
    return tuple(spellings)


def is_subsequence(short: str, long: str) -> bool:
    """The characters of ``short`` appear in ``long`` in the same order (an acronym's
    letters among a name's capitals, the digits OCR kept of a number)."""
    letters = iter(long)
    return all(char in letters for char in short)
