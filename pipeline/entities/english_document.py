"""English mentions over a whole document: the names one sentence found decide the others.

After each block's mentions are found (``english.doc_mentions``):

* an acronym defined in brackets takes its name's type and knows the name it stands for;
* a one-word name that is a word of a longer group or institution name is its short form;
* words of a person's full name are that person;
* a name outside the gazetteer keeps one type through the document;
* a name found once is found wherever else it occurs, a person's surname too.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..resources.gazetteer import Gazetteer
from ..translit import ENGLISH_ARTICLE, is_subsequence
from .english import Found, _common_word, _rules


_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z-]{1,9})\)")


def _type_acronyms(located: list, surfaces: dict, gazetteer: Gazetteer) -> dict[str, Found]:
    """"Makran Coast Army (MCA)": the acronym, wherever it stands alone, has the name's type
    and knows the name it stands for (to find the Arabic, which writes the name out).
    The document's definition beats the gazetteer's: "Jaish Ahl al-Sarhad (JAS)" is not
    the gazetteer's JAS (Boko Haram). Returns the acronyms defined, as mentions for
    ``_propagate`` to find where spaCy did not."""
    defined: dict[str, Found] = {}
    for found, text in located:
        match = _ACRONYM.match(text.text, found.end)
        capitals = "".join(ch for ch in surfaces[id(found)] if ch.isupper())
        if match and capitals and match.group(1)[0] == capitals[0] \
                and is_subsequence(match.group(1).replace("-", ""), capitals):
            defined[match.group(1)] = Found(0, 0, found.label, found.entity, "rule:acronym",
                                            expansion=surfaces[id(found)])
    for found, _ in located:
        name = defined.get(surfaces[id(found)])
        if name is None or (found.entity and (found.entity == name.entity
                                              or _names_share_a_word(gazetteer, found.entity, name.expansion))):
            continue     # the gazetteer's acronym for the name the document spells its own way stays
        found.label, found.entity, found.how, found.expansion = name.label, None, "rule:acronym", name.expansion
    return defined


def _names_share_a_word(gazetteer: Gazetteer, entity_id: str, name: str) -> bool:
    """The gazetteer entry's English names and ``name`` share a word of four letters or more
    ("Tehrik-e-Taliban Pakistan" and the TTP's "Tehrik-i-Taliban Pakistan")."""
    entry = gazetteer.entries[entity_id]
    words = lambda text: {w for w in re.split(r"[\W_]+", text.lower()) if len(w) > 3}   # noqa: E731
    return bool(words(name) & set().union(*(words(n) for n in (entry.en, *entry.en_variants))))


def _short_forms(found: list[Found], text_of, gazetteer: Gazetteer) -> None:
    """A one-word name that is a word of a longer group or institution name of the same
    document is its short form and takes its type ("Murabitin" after "Harakat
    al-Murabitin al-Baluch", "Haixin" after "Haixin Ocean Fisheries"), unless some
    mention of it was typed by its context ("the Makran coast") or it is a word of a
    gazetteer place ("Baltistan" of Gilgit-Baltistan in "Baltistan Qaumi Party")."""
    function_words = _rules()["trailing_words"]
    places = _gazetteer_place_words(gazetteer)
    types: dict[str, set[str]] = {}
    for f in found:
        words = text_of(f).split()
        if f.label in ("GROUP", "ORG") and len(words) > 1 and "and" not in words:    # not "Sost and Gilgit"
            for word in words:
                word = ENGLISH_ARTICLE.sub("", word).lower()
                if word not in function_words and not _common_word(word):
                    types.setdefault(word, set()).add(f.label)
    by_context = {text_of(f).lower() for f in found if f.typed_by_context}
    for f in found:
        surface = text_of(f)
        word = ENGLISH_ARTICLE.sub("", surface).lower()
        if f.entity or f.typed_by_context or " " in surface or surface.lower() in by_context:
            continue
        if len(types.get(word, ())) == 1 and word not in places:
            f.label, f.how = next(iter(types[word])), "rule:short-form"


@lru_cache(maxsize=4)
def _gazetteer_place_words(gazetteer: Gazetteer) -> frozenset[str]:
    """The words (hyphen parts too) of the gazetteer's English place names."""
    words = set()
    for entry in gazetteer.entries.values():
        if entry.type in ("COUNTRY", "PROVINCE", "DISTRICT_CITY"):
            for name in (entry.en, *entry.en_variants):
                words.update(w for w in re.split(r"[\s\-]+", name.lower()) if len(w) > 3)
    return frozenset(words)


def _propagate(located: list, surfaces: dict, texts: list, acronyms: dict[str, Found] | None = None) -> list:
    """Every other occurrence of a name found somewhere in the document (and of a
    person's surname) is that name too: spaCy tags "Turbat" in one sentence and misses
    it in the next, or only "Khan" of "Zarmat Khan" (a shorter name inside gives way);
    so is every occurrence of a defined acronym (``acronyms``).
    Gazetteer names are already found everywhere; dictionary words, words in lower case
    and a word before a people noun ("the Afridi clans") are not propagated."""
    names: dict[str, Found] = dict(acronyms or {})
    for found, _ in located:
        surface = surfaces[id(found)]
        if found.entity:
            continue
        words = surface.split()
        keys = [surface] + ([words[-1]] if found.label == "PERSON" and len(words) > 1 else [])
        for key in keys:
            if key[:1].isupper() and (len(key.split()) > 1 or not _common_word(key)) and len(key) > 2:
                names.setdefault(key, found)
    if not names:
        return located
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?![\w-])")
    people = _rules()["people_nouns"]
    taken: dict[int, list[Found]] = {id(text): [] for text in texts}
    for found, text in located:
        taken[id(text)].append(found)
    added, dropped = [], set()
    for text in texts:
        for match in pattern.finditer(text.text):
            a, b = match.span()
            overlapping = [f for f in taken[id(text)] if a < f.end and f.start < b]
            if any(f.entity or f.start < a or b < f.end or f.end - f.start == b - a for f in overlapping):
                continue                 # found already, or inside or across a name found: it stays
            following = text.text[b:].split(maxsplit=1)
            if following and following[0].strip(",.;:").lower() in people:
                continue                 # "the Afridi clans" is not the surname Afridi
            dropped.update(id(f) for f in overlapping)      # "Khan" inside "Zarmat Khan"
            source = names[match.group(1)]
            found = Found(a, b, source.label, None, "rule:acronym" if source.how == "rule:acronym" else "document",
                          expansion=source.expansion)   # TFB knows its name
            taken[id(text)].append(found)
            surfaces[id(found)] = match.group(1)
            added.append((found, text))
    return [(f, t) for f, t in located if id(f) not in dropped] + added


def _parts_of_persons(found: list[Found], text_of) -> None:
    """"men like Haqyar and Noor Agha": two or more words of a person's full name found in
    the document ("Qari Noor Agha Sherani") are that person, whatever spaCy called them."""
    persons = [f" {text_of(f)} " for f in found if f.label == "PERSON" and len(text_of(f).split()) > 2]
    for f in found:
        surface = text_of(f)
        if f.entity or f.typed_by_context or f.label == "PERSON" or len(surface.split()) < 2:
            continue
        if any(f" {surface} " in person for person in persons):
            f.label, f.how = "PERSON", "document"


def one_type_per_name(found: list[Found], text_of) -> None:
    """A name outside the gazetteer keeps one type through a document: the type its
    context gave it somewhere ("in Sadda"), else the type spaCy gave it most often."""
    by_name: dict[str, list[Found]] = {}
    for f in found:
        if not f.entity:
            by_name.setdefault(text_of(f).lower(), []).append(f)
    for mentions in by_name.values():
        votes = Counter(f.label for f in mentions if f.typed_by_context) or Counter(f.label for f in mentions)
        best, count = votes.most_common(1)[0]
        if list(votes.values()).count(count) > 1:
            continue          # a tie: leave each mention as it is
        for f in mentions:
            if not f.typed_by_context:
                f.label = best


def document_consistency(located: list, surfaces: dict, texts: list, gazetteer: Gazetteer) -> list:
    """The document-level steps in order; returns the mentions with the propagated ones."""
    found = [f for f, _ in located]
    acronyms = _type_acronyms(located, surfaces, gazetteer)
    _short_forms(found, lambda f: surfaces[id(f)], gazetteer)
    _parts_of_persons(found, lambda f: surfaces[id(f)])
    one_type_per_name(found, lambda f: surfaces[id(f)])
    return _propagate(located, surfaces, texts, acronyms)
