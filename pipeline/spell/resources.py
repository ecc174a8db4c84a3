"""Word frequencies (wordfreq, Arabic 'large'), hunspell-ar and a cached SymSpell index."""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError

HUNSPELL_DIR = Path("/usr/share/hunspell")


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, float]:
    """Arabic word → frequency (wordfreq's large list: no short vowels, hamza and ة kept)."""
    import wordfreq
    return wordfreq.get_frequency_dict("ar", "large")


@lru_cache(maxsize=1)
def hunspell_checker():
    """Arabic hunspell (Debian hunspell-ar, Ayaspell) through the hunspell binding."""
    import hunspell
    dic, aff = HUNSPELL_DIR / "ar.dic", HUNSPELL_DIR / "ar.aff"
    if not dic.is_file():
        raise ConfigError([f"{dic} not found: install the Debian package hunspell-ar (make setup)"],
                          source="typo fixing")
    return hunspell.HunSpell(str(dic), str(aff))


def _cache_path(size: int, distance: int) -> Path:
    import wordfreq
    stamp = f"{getattr(wordfreq, '__version__', '')}:{size}:{distance}"
    return Path.home() / ".cache" / "bayan" / f"symspell-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}.pickle"


@lru_cache(maxsize=2)
def symspell_index(size: int = 150_000, distance: int = 1):
    """A SymSpell index over the ``size`` most frequent Arabic forms (built once, cached)."""
    from symspellpy import SymSpell
    index = SymSpell(max_dictionary_edit_distance=distance, prefix_length=7)
    cache = _cache_path(size, distance)
    if cache.is_file():
        try:
            index.load_pickle(str(cache))
            return index
        except Exception:  # noqa: BLE001 - a stale or partial cache: rebuild it below
            pass
    words = sorted(word_frequencies().items(), key=lambda kv: -kv[1])[:size]
    for word, frequency in words:
        index.create_dictionary_entry(word, max(1, int(frequency * 1e9)))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, suffix=".part")   # workers may race
        os.close(handle)
        index.save_pickle(temporary)
        os.replace(temporary, cache)
    except OSError:
        pass
    return index
