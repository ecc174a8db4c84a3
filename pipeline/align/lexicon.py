"""The bilingual lexicon for alignment: FreeDict pairs keyed by light stems.

Arabic words are reduced to their matching key, stripped of attached clitics
(و ف ب ك ل ال لل) and stemmed with the Snowball Arabic stemmer; English words are
lower-cased and Snowball-stemmed. The lexicon maps an Arabic stem to English stems.
Built once per process, cached on disk per dictionary version.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import re
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar)

from ..resources.freedict import DICTD_DIR, translation_pairs

_AR_STEMMER = snowballstemmer.stemmer("arabic")
_EN_STEMMER = snowballstemmer.stemmer("english")
_PROCLITICS = re.compile("^(?:[وف]?(?:[بكل]?ال|لل|[بكل])|[وف])(?=...)")
_NON_LETTERS = re.compile("[^\u0621-\u064a]")


def arabic_key(word: str) -> str:
    """A word's matching key (no diacritics or tatweel, alef/yeh/teh marbuta folded)."""
    word = dediac_ar(word).replace("\u0640", "")
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(word)))


@lru_cache(maxsize=200_000)
def arabic_stems(key: str) -> tuple[str, ...]:
    """Candidate stems of an Arabic word in key form: as written and without clitics."""
    key = _NON_LETTERS.sub("", key)
    if len(key) < 2:
        return ()
    forms = {key}
    stripped = _PROCLITICS.sub("", key)
    forms.add(stripped)
    if key[0] in "وف" and len(key) > 3:
        forms.add(key[1:])
    return tuple(sorted({_AR_STEMMER.stemWord(f) for f in forms if len(f) >= 2}))


def arabic_stem(key: str) -> str:
    """The Snowball stem of an Arabic word in key form, as written (no clitics stripped first)."""
    return _AR_STEMMER.stemWord(key)


@lru_cache(maxsize=200_000)
def english_stem(word: str) -> str:
    """A lower-cased Snowball stem of an English word."""
    return _EN_STEMMER.stemWord(word.lower().removesuffix("'s").removesuffix("’s"))


def _cache_file(folder: Path) -> Path:
    stamp = "".join(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}"
                    for p in sorted(folder.glob("freedict-*.index")))
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return Path.home() / ".cache" / "bayan" / f"lexicon-{digest}.pickle"


def _build(folder: Path) -> dict[str, frozenset[str]]:
    lexicon: dict[str, set[str]] = {}
    for arabic, english in translation_pairs(folder):
        english_words = [w for w in re.findall(r"[A-Za-z]+", english) if len(w) > 2]
        if len(english_words) != 1:
            continue
        first = arabic.split()[0]
        for stem in arabic_stems(arabic_key(first)):
            lexicon.setdefault(stem, set()).add(english_stem(english_words[0]))
    return {stem: frozenset(words) for stem, words in lexicon.items()}


@lru_cache(maxsize=2)
def load_lexicon(folder: Path = DICTD_DIR) -> dict[str, frozenset[str]]:
    """Arabic stem -> English stems, from the FreeDict files in ``folder``."""
    cache = _cache_file(folder)
    if cache.is_file():
        try:
            with open(cache, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
    lexicon = _build(folder)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, suffix=".part")   # workers may race
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(lexicon, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        pass  # a read-only home: rebuild next time
    return lexicon


def arabic_translations(word: str) -> frozenset[str]:
    """English stems the dictionary gives for an Arabic word (any of its stems)."""
    lexicon = load_lexicon()
    return frozenset().union(*(lexicon.get(stem, frozenset()) for stem in arabic_stems(word))) if word else frozenset()
