"""The bilingual gazetteer (``gazetteer.tsv``) and longest-match lookup in token lists.

Arabic names are matched on the matching key with attached clitics (و ف ب ك ل ال لل)
stripped from every token, so ``والولايات المتحدة`` finds ``الولايات المتحدة``; English
names are matched case-insensitively on word tokens.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from . import data_path

_CLITICS = re.compile("^(?:[وف]?(?:[بكل]?ال|لل)|[وف]?[بكل]|[وف])(?=[\u0621-\u064a]{2})")
_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’\-][A-Za-z0-9]+)*\.?")


@dataclass(frozen=True)
class Entry:
    """One gazetteer row."""

    id: str
    type: str
    role: str
    en: str
    en_variants: tuple[str, ...]
    ar: str
    ar_variants: tuple[str, ...]
    wikidata: str
    parent: str
    note: str


def _arabic_key(text: str) -> str:
    from ..align.lexicon import arabic_key
    return arabic_key(text)


@lru_cache(maxsize=100_000)
def strip_clitics(key: str) -> str:
    """A key-form Arabic token without attached conjunction, preposition or article."""
    return _CLITICS.sub("", key)


def arabic_name_tokens(text: str) -> tuple[str, ...]:
    """A listed Arabic name as index tokens: key form, article removed."""
    return tuple(_without_article(_arabic_key(t)) for t in text.split())


def english_name_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.lower().rstrip(".") for t in _EN_WORD.findall(text))


#: Conjunctions and prepositions written attached to the word after them.
PROCLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "ول", "وك", "فب", "فل", "فك")


def _without_article(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 3 else key


def arabic_cores(key: str) -> list[tuple[str, int]]:
    """Ways to read a key-form token as clitics + a name word: (name word without its
    article, number of clitic characters), most literal first."""
    cores = []
    for prefix in PROCLITICS:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            cores.append((_without_article(key[len(prefix):]), len(prefix)))
    if key.startswith("لل") and len(key) > 4:      # ل + ال with its alef dropped: للدولة
        cores.append((key[2:], 1))
    return cores


def _community_adjectives(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The inflected adjectives of a one-word community name ending in the nisba ي or
    ية: شيعي gives شيعية, شيعيون, شيعيين (key forms: ة is ه)."""
    if len(tokens) != 1 or len(tokens[0]) < 3:
        return []
    word = tokens[0]
    stem = word[:-1] if word.endswith("يه") else word if word.endswith("ي") else None
    if stem is None:
        return []
    return [(stem + ending,) for ending in ("", "ه", "ون", "ين")]


class Gazetteer:
    """Entries by id and token-sequence indexes for both languages."""

    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        self.arabic: dict[tuple[str, ...], str] = {}
        self.english: dict[tuple[str, ...], str] = {}
        for entry in entries:
            for name in (entry.ar, *entry.ar_variants):
                if name:
                    self.arabic.setdefault(arabic_name_tokens(name), entry.id)
                    if entry.type == "ETHNIC_RELIGIOUS":
                        for inflected in _community_adjectives(arabic_name_tokens(name)):
                            self.arabic.setdefault(inflected, entry.id)
            for name in (entry.en, *entry.en_variants):
                if name:
                    self.english.setdefault(english_name_tokens(name), entry.id)
        self.longest = max([len(k) for k in self.arabic] + [len(k) for k in self.english] + [1])
        self.arabic_first = {k[0] for k in self.arabic}
        self.english_first = {k[0] for k in self.english}

    def without(self, ids: set[str]) -> "Gazetteer":
        """A copy without some entries (to test what bayan finds without them)."""
        return Gazetteer([e for e in self.entries.values() if e.id not in ids])

    def country_of(self, entity_id: str) -> str | None:
        """The nearest COUNTRY among an entry's parents (a capital's country)."""
        seen = set()
        while entity_id in self.entries and entity_id not in seen:
            seen.add(entity_id)
            entry = self.entries[entity_id]
            if entry.type == "COUNTRY":
                return entry.id
            entity_id = entry.parent
        return None

    def match_arabic(self, keys: list[str]):
        """``(start, end, id, clitics)`` for names in key-form tokens, longest first;
        ``clitics`` is how many leading characters of the first token are attached words."""
        rest = [_without_article(k) for k in keys]
        position = 0
        while position < len(keys):
            found = None
            for core, clitics in arabic_cores(keys[position]):
                if core not in self.arabic_first:
                    continue
                for size in range(min(self.longest, len(keys) - position), 0, -1):
                    entity = self.arabic.get((core, *rest[position + 1: position + size]))
                    if entity and (found is None or size > found[1] - found[0]):
                        found = (position, position + size, entity, clitics)
                        break
            if found:
                yield found
                position = found[1]
            else:
                position += 1

    def match_english(self, words: list[str]):
        """``(start, end, id)`` token ranges of names in English word tokens."""
        tokens = [w.lower().rstrip(".") for w in words]
        position = 0
        while position < len(tokens):
            if tokens[position] in self.english_first:
                for size in range(min(self.longest, len(tokens) - position), 0, -1):
                    entity = self.english.get(tuple(tokens[position:position + size]))
                    if entity:
                        yield position, position + size, entity
                        position += size
                        break
                else:
                    position += 1
            else:
                position += 1


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, parsed once per process."""
    with data_path("gazetteer.tsv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    split = lambda value: tuple(v.strip() for v in (value or "").split("|") if v.strip())  # noqa: E731
    return Gazetteer([Entry(r["id"], r["type"], r["role"], r["en"], split(r["en_variants"]), r["ar"],
                            split(r["ar_variants"]), r["wikidata"], r["parent"], r["note"]) for r in rows])
