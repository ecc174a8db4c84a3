"""English mentions: spaCy's en_core_web_sm NER with a gazetteer EntityRuler before it.

The ruler tags every gazetteer name (any listed spelling, case-insensitive) with its
type and id, so spaCy's statistical NER only decides the rest. spaCy's labels map to
bayan's types (GPE/LOC by the words around them: "Logar province", "Achin district").
Its known slips are fixed in small steps over token ranges (:class:`Candidate`):

* a hyphenated compound is one name ("Gorno-Badakhshan", not "Badakhshan");
* a place followed by capitalized words ending in an institution word is that
  institution ("Central Asia Security Initiative", "Chitral Scouts");
* "X Organization in Khorog" is two names;
* leading "the" and titles ("Sheikh", "Colonel"), trailing "of"/"in", a trailing
  period are trimmed; all-lower-case matches ("us") are not names;
* a name before or in apposition with a people noun is a community ("Wakhi
  families", "the Kyrgyz, the nomadic herders");
* a national capital that is the subject of a verb not said of places, or whose will
  a noun of deciding names, is its country ("Beijing has raised …", "the will of Kabul");
* nationality adjectives (NORP "Afghan") are dropped, a surname alone ("al-Muhajir")
  takes the id of the full name met earlier;
* an ezafe compound is one name ("Shams-ul-Haq", "Haq-e-Darya Tehreek"); the proper
  nouns after a title are a person ("Engineer Karim Dad Hunzai");
* an institution name grows over what spaCy left out or split ("the Home and Tribal
  Affairs Department", "the University of Peshawar", "the Salarzai Qaumi Lashkar");
* the names of a list that ends in a people noun are communities ("the Salarzai, Mamund,
  and Tarkani tribes"), and so is "the X" as the subject of a plural verb.

Then the whole document is made consistent (``english_document``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..document import BlockText, Side, Span
from ..resources import english_docs, english_pipeline, load_toml
from ..resources.gazetteer import Gazetteer

_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.)+$")
SPACY_TYPES = {"PERSON": "PERSON", "NORP": "ETHNIC_RELIGIOUS", "ORG": "ORG", "GPE": "DISTRICT_CITY",
               "LOC": "DISTRICT_CITY", "FAC": "DISTRICT_CITY"}


@lru_cache(maxsize=1)
def _rules() -> dict:
    table = load_toml("ner_rules.toml")["english"]
    return {k: set(v) if isinstance(v, list) else v for k, v in table.items()}


@lru_cache(maxsize=1)
def _english_headwords() -> frozenset[str]:
    from ..resources.freedict import dictd_entries
    return frozenset(headword.lower() for headword, _ in dictd_entries("freedict-eng-ara"))


def _common_word(word: str) -> bool:
    """A word the English–Arabic dictionary lists (in lower case): probably not a name."""
    return word.lower() in _english_headwords() or word.lower().rstrip("s") in _english_headwords()


def _head_type(ent) -> str | None:
    """The type a multi-word name's institution word gives it, whatever spaCy's label:
    "Dagari Network", "Arabian Sea Policy Institute", "Makran Herald"; a clan word makes a
    community ("Kuki Khel")."""
    rules = _rules()
    if len(ent) > 2 and ent[0].lower_ == "the":
        ent = ent[1:]
    if len(ent) < 2:
        return None
    if ent[0].lower_ in rules["group_first_words"] or ent[-1].lower_ in rules["group_words"] \
            or " ".join(t.lower_ for t in ent[-2:]) in rules["group_last_phrases"]:
        return "GROUP"
    if ent[0].lower_ in rules["org_first_words"] or ent[-1].lower_ in rules["org_last_words"]:
        return "ORG"
    if ent[-1].lower_ in rules["community_last_words"]:
        return "ETHNIC_RELIGIOUS"
    return None


def _type_from_context(label: str, doc, ent) -> str:
    rules = _rules()
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    preceding = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if (head := _head_type(ent)) is not None:
        return head
    if label in ("GPE", "LOC"):
        if following in rules["province_words"] or preceding in rules["province_words"]:
            return "PROVINCE"
        return "DISTRICT_CITY"
    if label in ("ORG", "PERSON"):
        words = {t.lower_ for t in ent}
        if label == "ORG" and words & rules["group_words"] or ent[0].lower_ in rules["group_first_words"] \
                or len(ent) > 1 and ent[-1].lower_ in rules["group_words"]:   # "Haidari Lashkar"
            return "GROUP"
        if ent[0].lower_ in rules["org_first_words"] or ent[-1].lower_ in rules["org_last_words"]:
            return "ORG"
        if label == "ORG" and len(ent) == 1 and not (ent.text.isupper() and len(ent.text) > 1):
            return "DISTRICT_CITY"   # a one-word "organization" in this domain is mostly a place
    return SPACY_TYPES[label]


_NAME_PARTICLES = ("al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-", "ul-", "bin ", "ibn ", "bint ")
_PLACE_TYPES = {"PROVINCE", "DISTRICT_CITY", "COUNTRY", "GPE", "LOC"}


#: Words between the names of a list: "Wakhi and Burusho", "Salarzai, Mamund, and Tarkani".
_LIST_JOINS = {",", "and", "or"}


@dataclass
class Candidate:
    """A name over tokens ``start:end`` of a Doc: a spaCy label (or a bayan type for a
    gazetteer match, which has ``entity``), and how it was found."""

    start: int
    end: int
    label: str
    entity: str | None
    how: str


def _covered(candidates: list[Candidate]) -> set[int]:
    """The token indices some candidate covers."""
    return {k for c in candidates for k in range(c.start, c.end)}


def _without(candidates: list[Candidate], dropped: list[Candidate]) -> list[Candidate]:
    """The candidates but the dropped ones (merged into another)."""
    gone = {id(c) for c in dropped}
    return [c for c in candidates if id(c) not in gone]


def _candidates(doc) -> list[Candidate]:
    return [Candidate(e.start, e.end, e.label_, e.ent_id_ or None, "gazetteer" if e.ent_id_ else "spacy")
            for e in doc.ents]


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first; a candidate overlapping a kept one is dropped."""
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= k.start or k.end <= c.start for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _join_hyphenated(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Gorno-Badakhshan": a name glued by a hyphen to a capitalized word that is not a
    name of its own is one name, and no longer the gazetteer's "Badakhshan"
    ("Afghanistan-Pakistan" stays two names)."""
    named = {k for c in candidates if c.entity for k in range(c.start, c.end)}

    def glued(left: int) -> bool:   # tokens left, "-" and the next written as one word
        return doc[left + 1].text == "-" and not doc[left].whitespace_ and not doc[left + 1].whitespace_

    for c in candidates:
        while c.start >= 2 and glued(c.start - 2) and doc[c.start - 2].is_alpha \
                and doc[c.start - 2].is_title and c.start - 2 not in named:
            c.start -= 2
            c.entity, c.how = None, "gazetteer+compound"
        while c.end + 1 < len(doc) and glued(c.end - 1) and doc[c.end + 1].is_alpha \
                and doc[c.end + 1].is_title and c.end + 1 not in named:
            c.end += 2
            c.entity, c.how = None, "gazetteer+compound"
        if c.entity is None and c.end < len(doc) and doc[c.end - 1].text == "-" \
                and not doc[c.end - 1].whitespace_ and doc[c.end].is_alpha \
                and (c.end not in named or doc[c.end - 2].is_lower):
            c.end += 1      # "Harakat al-Murabitin al-" + "Baluch": a particle never ends a name
    return _without_overlaps(candidates)


_EZAFE = {"e", "i", "ul", "ud", "ur", "us", "un", "ut", "uz", "al"}


def _ezafe_names(doc, candidates: list[Candidate]) -> list[Candidate]:
    """Urdu and Persian compounds joined by an ezafe or an Arabic article are one name,
    with the capitalized words after them: "Shams-ul-Haq", "Sarhad-e Broghil",
    "Haq-e-Darya Tehreek", "Mahaz-e-Shuhada Kunar" (spaCy tags a part or nothing). Its
    label: an organization's if an institution word types it, else spaCy's for a part,
    else a person's for an article-joined name (-ul-, -ud-, -ur-), else no name is made."""
    found, dropped = [], []
    i = 0
    while i + 3 < len(doc):
        start = i
        if not (doc[i].is_title and doc[i].is_alpha and doc[i + 1].text == "-" and doc[i + 2].lower_ in _EZAFE):
            i += 1
            continue
        after = i + 3 + (doc[i + 3].text == "-")
        if after >= len(doc) or not (doc[after].is_title and doc[after].is_alpha):
            i += 1
            continue
        end = after + 1
        while end < len(doc) and end - after < 3 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        inside = [c for c in candidates if start <= c.start and c.end <= end]
        if any(c.start < start < c.end or c.start < end < c.end for c in candidates) or any(c.entity and
                                                                                         c.end - c.start == end - start
                                                                                         for c in inside):
            i = end
            continue
        label = ("ORG" if _head_type(doc[start:end]) else None) \
            or next((c.label for c in inside if c.label in SPACY_TYPES), None) \
            or ("PERSON" if doc[i + 2].lower_ not in ("e", "i") else None)
        if label:             # a spaCy label: the words around the name still type it
            dropped += inside
            found.append(Candidate(start, end, label, None, "spacy"))
        i = end
    return sorted(_without(candidates, dropped) + found, key=lambda c: c.start)


def _name_after_title(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Engineer Karim Dad Hunzai" where spaCy tagged only "Hunzai" (or nothing): the
    capitalized proper nouns right after an untagged title are one person's name, with
    the (short, untyped) name spaCy found at their end."""
    rules = _rules()
    titles = rules["person_titles"] | rules["outside_titles"]
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    found = []
    for i, token in enumerate(doc[:-1]):
        if token.lower_.rstrip(".") not in titles or not token.is_title or i in owner:
            continue
        end = i + 1
        while end < len(doc) and end - i <= 4 and end not in owner and doc[end].is_title and doc[end].pos_ == "PROPN":
            end += 1
        tail = owner.get(end)
        if tail is not None and tail.start == end and tail.entity is None and tail.end - tail.start <= 2 \
                and _head_type(doc[tail.start:tail.end]) is None and end > i + 1:
            tail.start, tail.label = i + 1, "PERSON"
        elif tail is None and end > i + 1:
            found.append(Candidate(i + 1, end, "PERSON", None, "spacy"))
    return sorted(candidates + found, key=lambda c: c.start)


_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _join_adjacent_persons(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Nawab Murad" + "Khan Buledi": two person names with nothing between are one; so
    are a lone title spaCy tagged apart and the person after it ("Mufti" + "Abdul Wali"),
    tagged or not."""
    titles = _rules()["person_titles"]
    result: list[Candidate] = []
    covered = _covered(candidates)
    covered_by_names = {k for c in candidates if c.label in SPACY_TYPES or c.entity for k in range(c.start, c.end)}
    outside = _rules()["outside_titles"]
    for c in candidates:
        if c.end - c.start > 1 and c.entity is None and doc[c.start].lower_ in outside and doc[c.start].is_title \
                and c.label in ("FAC", "GPE", "LOC", "ORG", "NORP") and _head_type(doc[c.start:c.end]) is None:
            c.start, c.label = c.start + 1, "PERSON"    # "Sahibzada Fazal" that spaCy called a facility
        last = result[-1] if result else None
        if last is not None and last.end == c.start and last.label == "PERSON" and last.entity is None \
                and c.entity and c.end - c.start == 1 and c.label == "PERSON" and doc[last.end - 1].whitespace_:
            c.entity, c.how = None, "spacy"     # "Fazal" + the gazetteer's "Ghani": another person's surname
        elif c.entity and c.end - c.start == 1 and c.label == "PERSON" and c.start > 0 \
                and c.start - 1 not in covered and doc[c.start - 1].is_title and doc[c.start - 1].pos_ == "PROPN" \
                and doc[c.start - 1].lower_ not in titles | outside and doc[c.start - 1].whitespace_:
            c.start, c.entity, c.how = c.start - 1, None, "spacy"     # the same, the first name untagged
        if c.end - c.start == 1 and doc[c.start].lower_ in titles and c.entity is None:
            end = c.end
            while end < len(doc) and end - c.end < 4 and doc[end].is_title and end not in covered:
                end += 1
            if end > c.end:
                c.end, c.label = end, "PERSON"       # "Qari" + untagged "Mustaqeem Jan"
        if c.label == "PERSON" and c.entity is None and c.end < len(doc) and c.end not in covered_by_names \
                and doc[c.end].pos_ == "PROPN" and doc[c.end].is_title and doc[c.end].lower_ not in _CALENDAR:
            c.end += 1             # "Malik Bakht" + "Zameen" that spaCy took for a date
        last = result[-1] if result else None
        lone_title = last is not None and last.end - last.start == 1 and doc[last.start].lower_ in titles
        if last is not None and last.end == c.start and c.label == "PERSON" and (last.label == "PERSON" or lone_title) \
                and last.entity is None and c.entity is None and doc[last.end - 1].whitespace_:
            last.end, last.label = c.end, "PERSON"
            continue
        result.append(c)
    return result


@lru_cache(maxsize=1)
def _institution_heads() -> frozenset[str]:
    """Words that end an institution's or a group's name (Network, Company, FM …)."""
    rules = _rules()
    return frozenset(rules["org_last_words"] | rules["group_words"])


def _extend_to_institution(doc, candidates: list[Candidate]) -> list[Candidate]:
    """A place followed by capitalized words (and "and") that end in an institution word
    names the institution: "Central Asia Security Initiative", "Wakhan Martyrs Movement",
    "Sistan Farmers and Fishermen Union"."""
    heads = _institution_heads()
    found = []
    for c in candidates:
        if c.label not in _PLACE_TYPES:
            continue
        end = c.end
        while end < len(doc) and end - c.end < 5 and doc[end].is_alpha and (
                doc[end].is_title or (doc[end].is_upper and doc[end].lower_ in heads)   # "Swat FM"
                or (doc[end].lower_ == "and" and end > c.end and end + 1 < len(doc) and doc[end + 1].is_title)):
            end += 1
            if doc[end - 1].lower_ in heads:
                found.append(Candidate(c.start, end, "ORG", None, "spacy+institution"))
                break
    return _without_overlaps(found + candidates)


def _institution_from_other_labels(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"The Tirah Peace Jirga" that spaCy called a work of art or an event: a name ending
    in an institution or group word is an organization (its type from that word)."""
    heads = _institution_heads()
    for c in candidates:
        if c.label in ("WORK_OF_ART", "EVENT", "PRODUCT", "LAW") and c.entity is None \
                and doc[c.end - 1].lower_ in heads and doc[c.end - 1].is_title:
            c.label, c.how = "ORG", "spacy+institution"
    return candidates


def _institution_grown_left(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the Salarzai Qaumi Lashkar" where spaCy tagged "Qaumi Lashkar" (and "Salarzai"
    alone): an institution name takes the proper nouns right before it."""
    heads = _institution_heads()
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    merged = []
    for c in candidates:
        if c.entity is not None or doc[c.end - 1].lower_ not in heads or _head_type(doc[c.start:c.end]) is None:
            continue
        while c.start > 0 and doc[c.start - 1].pos_ == "PROPN" and doc[c.start - 1].is_title \
                and doc[c.start - 1].is_alpha and c.end - c.start < 5:
            before = owner.get(c.start - 1)
            if before is not None and (before.entity or before.end - before.start > 1
                                       or before.label not in ("PERSON", "NORP", "GPE", "LOC")):
                break
            if before is not None:
                merged.append(before)
            c.start -= 1
    return _without(candidates, merged)


def _untagged_institution(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"a front company, Sadaf Fuel Traders" that spaCy left untagged: two or more
    capitalized words ending in an institution or group word are a name (its type from
    that word)."""
    heads = _institution_heads()
    covered = _covered(candidates)
    found = []
    for head in doc:
        if head.lower_ not in heads or not (head.is_title or head.is_upper) or head.i in covered:
            continue
        start = head.i
        while start > 0 and head.i - start < 4 and start - 1 not in covered and doc[start - 1].is_title \
                and doc[start - 1].is_alpha and doc[start - 1].lower_ != "the":
            start -= 1
        if start < head.i and (start == 0 or start - 1 not in covered):
            found.append(Candidate(start, head.i + 1, "ORG", None, "spacy+institution"))
            covered.update(range(start, head.i + 1))
    return sorted(candidates + found, key=lambda c: c.start)


def _institution_of_place(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the University of Peshawar", "the Bank of Khyber": an institution word, "of" and a
    place are one institution name."""
    firsts = _rules()["org_first_words"]
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    dropped = []
    for c in candidates:
        first = c.start - 2
        if first < 0 or c.label not in _PLACE_TYPES or doc[c.start - 1].lower_ != "of" \
                or doc[first].lower_ not in firsts or not doc[first].is_title:
            continue
        before = owner.get(first)       # spaCy's "the University of"
        if before is not None and (before.entity or before.end != c.start or before.label != "ORG"):
            continue
        if before is not None:
            dropped.append(before)
        c.start, c.label, c.entity, c.how = first, "ORG", None, "spacy+institution"
    return _without(candidates, dropped)


def _institution_of_common_words(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the Bannu Chamber of Commerce and Industry": after its institution word, a name
    goes on over "of" and capitalized dictionary words (not over a place's name: "the
    Kavir Fuel Transport Company of Saravan")."""
    heads = _rules()["org_last_words"]
    covered = _covered(candidates)
    for c in candidates:
        if c.entity or doc[c.end - 1].lower_ not in heads or c.end + 1 >= len(doc) or doc[c.end].lower_ != "of":
            continue
        end = c.end + 1
        while end < len(doc) and end - c.end <= 5 and end not in covered and (
                doc[end].is_title and _common_word(doc[end].text)
                or doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].is_title):
            end += 1
        if end > c.end + 1 and doc[end - 1].is_title:
            c.end, c.label, c.how = end, "ORG", "spacy+institution"
    return candidates


def _institution_for_its_field(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the Centre for Pashtun Borderland Studies", "the Council for Mineral Affairs": an
    opening institution word, "for" or "of", and capitalized dictionary words (a people's
    name among them) are one name, whatever spaCy made of its parts."""
    rules = _rules()
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    found, dropped = [], []
    for head in doc[:-2]:
        if head.lower_ not in rules["org_first_words"] or not head.is_title \
                or doc[head.i + 1].lower_ not in ("for", "of"):
            continue
        end, common = head.i + 2, 0
        while end < len(doc) and end - head.i <= 7 and doc[end].is_alpha and (
                doc[end].is_title and (_common_word(doc[end].text) or ((other := owner.get(end)) is not None
                                                                       and other.label == "ETHNIC_RELIGIOUS"
                                                                       and other.end == end + 1))
                or doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].is_title):
            common += _common_word(doc[end].text) and doc[end].lower_ != "and"
            end += 1
        if doc[end - 1].lower_ == "and":
            end -= 1
        start = owner[head.i].start if head.i in owner and owner[head.i].entity is None else head.i
        inside = {id(owner[k]) for k in range(start, end) if k in owner}
        if common == 0 or any(c.start < start or c.end > end for c in candidates if id(c) in inside) \
                or any(c.start == start and c.end == end for c in candidates):
            continue
        dropped += [c for c in candidates if id(c) in inside]
        found.append(Candidate(start, end, "ORG", None, "spacy+institution"))
    return sorted(_without(candidates, dropped) + found, key=lambda c: c.start)


def _institution_then_its_city(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the University of Science and Technology Bannu": an institution named with its
    city written right after it (no comma) takes the city into its name."""
    rules = _rules()
    merged, dropped = [], []
    for c, after in zip(candidates, candidates[1:]):
        if after.start == c.end and c.label == "ORG" and not c.entity and after.label in _PLACE_TYPES \
                and after.end - after.start == 1 and c.end - c.start > 2 and doc[c.end - 1].is_title \
                and (doc[c.start].lower_ in rules["org_first_words"] or doc[c.end - 1].lower_ in rules["org_last_words"]
                     or _common_word(doc[c.end - 1].text)):
            merged.append(Candidate(c.start, after.end, "ORG", None, "spacy+institution"))
            dropped += [c, after]
    return sorted(_without(candidates, dropped) + merged, key=lambda c: c.start)


def _extend_over_and(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the Home and Tribal Affairs Department", "the Khar Traders and Transporters
    Association": an institution's name may start with capitalized words and "and" that
    spaCy left out or tagged apart as an organization."""
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    dropped = []
    for c in candidates:
        last = c.start - 2            # the word before "and"
        if last < 0 or _head_type(doc[c.start:c.end]) not in ("ORG", "GROUP") or doc[c.start - 1].lower_ != "and" \
                or not (doc[last].is_alpha and doc[last].is_title):
            continue
        before = owner.get(last)
        if before is None and not (last and doc[last - 1].is_title):
            c.start = last
        elif before is not None and before.end == last + 1 and before.entity is None and (
                before.label == "ORG" or (before.end - before.start == 1 and before.label in ("GPE", "LOC", "NORP"))):
            c.start = before.start
            dropped.append(before)
    firsts = _rules()["org_first_words"]
    owner = {k: c for c in _without(candidates, dropped) for k in range(c.start, c.end)}
    for c in candidates:      # "the Institute for Border and Tribal Studies": a name that opens with an
        opening = c.start + (doc[c.start].lower_ == "the" and c.end - c.start > 1)
        if id(c) in {id(d) for d in dropped} or c.entity or doc[opening].lower_ not in firsts \
                or c.end + 1 >= len(doc) or doc[c.end].lower_ != "and" or not doc[c.end + 1].is_title:
            continue          # institution word goes on over "and" and the capitalized words after it
        after = owner.get(c.end + 1)
        if after is not None and after.start == c.end + 1 and after.entity is None and after.label in ("ORG", "GPE"):
            c.end = after.end
            dropped.append(after)
        elif after is None:
            end = c.end + 1
            while end < len(doc) and end not in owner and doc[end].is_title and doc[end].is_alpha and end - c.end < 4:
                end += 1
            c.end = end
    return _without(candidates, dropped)


_ACRONYM_TOKEN = re.compile(r"[A-Z][A-Z-]{1,9}")
#: Small words inside a name that give no letter to its acronym.
_ACRONYM_GAPS = {"-", "e", "i", "ul", "al", "of", "and", "for", "the", "&", "de", "ye"}


def _name_before_acronym(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Ittehad-e-Mujahideen Khyber (IMK)": the capitalized words whose initials spell the
    acronym in brackets after them are one name, whatever spaCy made of parts of them
    (its type from its head word, else ORG). A name found as long already stays."""
    found = []
    for i in range(1, len(doc) - 2):
        if doc[i].text != "(" or doc[i + 2].text != ")" or not _ACRONYM_TOKEN.fullmatch(doc[i + 1].text):
            continue
        acronym, initials, start = doc[i + 1].text.replace("-", ""), "", None
        for k in range(i - 1, max(-1, i - 12), -1):
            if doc[k].is_title or doc[k].is_upper:
                initials = doc[k].text[0] + initials
            elif doc[k].lower_ not in _ACRONYM_GAPS:
                break
            if initials == acronym and doc[k].is_title:
                start = k
                break
            if len(initials) >= len(acronym):
                break
        if start is None or any(c.start <= start and i <= c.end for c in candidates):
            continue      # already a name as long (a gazetteer name keeps its id)
        words = {t.lower_ for t in doc[start:i]}
        label = _head_type(doc[start:i]) or ("GROUP" if words & _rules()["group_words"] else "ORG")
        found.append(Candidate(start, i, label, None, "rule:acronym-name"))
    return _without_overlaps(found + candidates)


def _split_institution_location(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Aftab Development Organization in Khorog", "the Kavir Fuel Transport Company of
    Saravan": the institution and the place (not "the University of Peshawar", whose
    institution word comes first, nor "the Margalla Institute of Strategic Studies")."""
    heads = _rules()["org_last_words"]
    result = []
    for c in candidates:
        cut = next((k for k in range(c.start + 1, c.end - 1) if c.entity is None and doc[k].lower_ in ("in", "at", "of")
                    and doc[k - 1].lower_ in heads and doc[k + 1].is_title
                    and (doc[k].lower_ != "of" or k - 1 > c.start + (doc[c.start].lower_ == "the")
                         and not all(_common_word(t.text) for t in doc[k + 1:c.end]))), None)
        if cut is None:
            result.append(c)
        else:
            result += [Candidate(c.start, cut, c.label, None, c.how), Candidate(cut + 1, c.end, "GPE", None, c.how)]
    return result


def _add_conjunct_places(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"in Khorog, Faizabad, and Chitral": a proper noun coordinated with a place (of the
    gazetteer, or so tagged by spaCy, or a name right after a locative word) is a place
    too, whether spaCy left it untagged or called it a person, a people or an
    organization without an institution word."""
    by_root = {doc[c.start:c.end].root.i: c for c in candidates}
    covered = _covered(candidates)
    locative = _rules()["locative_words"]
    found = []
    for c in candidates:
        after_locative = c.entity is None and c.start > 0 and doc[c.start - 1].lower_ in locative \
            and (c.label in ("PERSON", "NORP") or c.label == "ORG" and _head_type(doc[c.start:c.end]) is None)
        if not (c.label in _PLACE_TYPES or c.label == "FAC" or after_locative):  # "through Hunza and Gojal"
            continue
        for token in doc[c.start:c.end].root.conjuncts:
            other = by_root.get(token.i)
            if other is not None and other.label in ("GPE", "LOC") and c.how == "spacy" and not after_locative:
                continue     # two names spaCy alone calls places: no more than spaCy's word
            if other is not None and other.entity is None and (
                    other.label in ("NORP", "GPE", "LOC", "FAC")
                    or other.label == "PERSON" and (c.entity or other.end - other.start == 1)  # not "Zarmat Khan"
                    or other.label == "ORG" and _head_type(doc[other.start:other.end]) is None):
                other.label, other.how = "GPE", "spacy+conjunct"     # "Jamrud, Landi Kotal, and Kohat"
            elif token.i not in covered and token.pos_ == "PROPN" and token.is_title and token.i > 0:
                found.append(Candidate(token.i, token.i + 1, "GPE", None, "spacy+conjunct"))
                covered.add(token.i)
    return sorted(candidates + found, key=lambda c: c.start)


def _untagged_place_after_locative(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"traders in Weesh and Shamulzai" that spaCy left untagged: proper nouns right after
    a locative word, none a dictionary word, month or language, are a place (and the
    names coordinated with it, by ``_add_conjunct_places``)."""
    rules = _rules()
    covered = _covered(candidates)
    found = []
    for token in doc[1:]:
        if doc[token.i - 1].lower_ not in rules["locative_words"] or token.i in covered:
            continue
        end = token.i
        while end < len(doc) and end - token.i < 3 and end not in covered and doc[end].pos_ == "PROPN" \
                and doc[end].is_title and doc[end].is_alpha and not _common_word(doc[end].text) \
                and doc[end].lower_ not in _CALENDAR and doc[end].lower_ not in rules["languages"]:
            end += 1
        if end > token.i and (end == len(doc) or not (doc[end].is_title or doc[end].text == "-")):
            found.append(Candidate(token.i, end, "GPE", None, "spacy"))
    return sorted(candidates + found, key=lambda c: c.start)


def _keep_gazetteer_in_titles(doc, candidates: list[Candidate]) -> list[Candidate]:
    """In a title-cased heading every word looks like a name: only gazetteer names count."""
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    if len(words) >= 3 and sum(t.is_title for t in words) >= 0.8 * len(words):
        return [c for c in candidates if c.entity]
    return candidates


def _trim(doc, candidates: list[Candidate]) -> list[Candidate]:
    """Leading articles and titles, trailing function words; names in lower case dropped."""
    rules = _rules()
    inside_titles = rules["person_titles"] - rules["outside_titles"]
    titles_and_modifiers = rules["person_titles"] | rules["outside_titles"] | rules["title_modifiers"]
    result = []
    for c in candidates:
        while c.end - c.start > 1 and (doc[c.start].lower_ in ("the", "a", "an") or (
                c.entity is None and doc[c.start].lower_.rstrip(".") in rules["outside_titles"])):   # not a
            # gazetteer name's own word: the General Directorate of Intelligence
            c.start += 1
        while c.end - c.start > 1 and (doc[c.end - 1].lower_ in rules["trailing_words"]
                                       or doc[c.end - 1].lower_ in ("'s", "’s")):
            c.end -= 1                 # "Bakht Zameen's": the possessive is not part of the name
        if c.label == "PERSON" and c.start and doc[c.start - 1].lower_ in inside_titles:
            c.start -= 1   # "Agha Baqir Hussain Najafi": a title that is part of the name
        text = doc[c.start:c.end].text
        if c.entity is None and all(t.lower_.rstrip(".") in titles_and_modifiers for t in doc[c.start:c.end]):
            continue       # "Second Brigadier General": titles without the name
        if not any(ch.isupper() for ch in text):
            continue       # "us" is not the US
        if text[0].islower() and not text.lower().startswith(_NAME_PARTICLES):
            continue       # "non-Muslim"
        if c.entity is None and c.end - c.start > 1 and (doc[c.end - 1].lower_ in rules["untyped_last_words"]
                                                         or doc[c.start].lower_ in rules["untyped_first_words"]):
            continue       # "Karakoram Highway", "Dasht River", "Mount Tirich": no type of bayan's
        if c.entity is None and c.end < len(doc) and doc[c.end].is_lower \
                and doc[c.end].lower_ in rules["feature_nouns"]:
            continue       # "the Gomal river", "the Hamoun wetlands"
        result.append(c)
    return result


def _split_at_commas(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Zhob, Sherani" that spaCy tagged as one name is a list: each part between the
    commas is a name of its own (a gazetteer name keeps its words)."""
    result = []
    for c in candidates:
        commas = [k for k in range(c.start + 1, c.end - 1) if doc[k].text == ","]
        if not commas or c.entity:
            result.append(c)
            continue
        for start, end in zip([c.start] + [k + 1 for k in commas], commas + [c.end]):
            if any(t.is_title for t in doc[start:end]):
                result.append(Candidate(start, end, c.label, None, c.how))
    return result


def _split_lists(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Sost and Gilgit" tagged as one name is two, when no institution word makes it one
    ("Home and Tribal Affairs Department" stays)."""
    result = []
    for c in candidates:
        cut = next((k for k in range(c.start + 1, c.end - 1) if doc[k].lower_ == "and"), None)
        if cut is None or c.entity or c.how == "spacy+institution" or _head_type(doc[c.start:c.end]) is not None:
            result.append(c)
        else:
            result += [Candidate(c.start, cut, c.label, None, c.how), Candidate(cut + 1, c.end, c.label, None, c.how)]
    return result


def _descriptor_type(doc, c: Candidate) -> str | None:
    """The type a noun just before the name (or its list) gives it: "the newspaper Sadoi
    Pomir", "the town of Sadda", "the districts of Zhob, Sherani, and Loralai", "men
    like Gorgij and Rakhshani"."""
    rules = _rules()
    before = _list_start(doc, c) - 1
    people = before >= 2 and doc[before].lower_ == "the" and doc[before - 1].lower_ == "of"
    if people:
        before -= 2                      # "elders of the …"
    elif before >= 1 and doc[before].lower_ == "of":
        before -= 1                      # "the town of …"
    noun = doc[before] if before >= 0 else None
    if noun is None or not (noun.is_lower or noun.is_sent_start):
        return None
    if people:        # "elders of the Mandokhel, Kakar, and Sherani": a people, not a place
        return "ETHNIC_RELIGIOUS" if noun.lower_ in rules["people_nouns"] and c.end - c.start == 1 else None
    if noun.lower_ == "like" and before >= 1 and (doc[before - 1].lemma_.lower() in rules["person_nouns"]
                                                  or doc[before - 1].lower_ in ("men", "women")):
        return "PERSON"   # "men like Haqyar and Noor Agha", "commanders like …"
    return rules["descriptor_nouns"].get(noun.lower_) or rules["descriptor_nouns"].get(noun.lemma_.lower())


def _list_start(doc, c: Candidate) -> int:
    """Where the list holding the name starts ("Mir Ali, Eidak, and Haider Khel" from
    Haider Khel or Eidak), or the name's own start when it is in no list."""
    k = c.start
    while True:
        joins = 2 if k >= 3 and doc[k - 1].lower_ in ("and", "or") and doc[k - 2].text == "," else 1  # ", and"
        if not (k > joins and doc[k - 1].lower_ in _LIST_JOINS and doc[k - joins - 1].is_title
                and doc[k - joins - 1].pos_ == "PROPN"):
            break
        k -= joins + 1
        while k >= 1 and doc[k - 1].is_title and doc[k - 1].pos_ == "PROPN":
            k -= 1
    listed = doc[k:c.start]
    after = doc[c.end:c.end + 2]
    joined = any(t.lower_ in ("and", "or") for t in listed) or (
        len(after) == 2 and after[0].lower_ in _LIST_JOINS and (after[1].is_title or after[1].lower_ in ("and", "or")))
    return k if k < c.start and joined else c.start


def _appositive_noun(doc, comma: int) -> str | None:
    """The noun of an appositive opening at ``comma``: "…, a market town" → town,
    "…, a pine nut trader" → trader, "…, the region's capital" → capital."""
    if comma + 1 >= len(doc) or doc[comma].text != "," or doc[comma + 1].lower_ not in ("a", "an", "the"):
        return None
    for token in doc[comma + 2: comma + 8]:
        if token.pos_ in ("ADJ", "ADV", "X") or token.text == "-" or token.tag_ in ("JJ", "JJS", "POS") \
                or token.is_title or token.dep_ in ("compound", "poss", "case"):
            continue
        return token.lower_
    return None


def _untagged_person_before_apposition(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Amanullah Jan, a pine nut trader, said …", "Gul Rahim Daulatzai, who taught …":
    proper nouns spaCy left untagged before an appositive that names an office or trade,
    or two or more of them before a clause opening with "who", are a person."""
    person_nouns = _rules()["person_nouns"]
    covered = _covered(candidates)
    found = []
    for comma in (t.i for t in doc if t.text == "," and t.i > 0):
        who = comma + 1 < len(doc) and doc[comma + 1].lower_ == "who"
        if _appositive_noun(doc, comma) not in person_nouns and not who:
            continue
        start = comma
        while start > 0 and comma - start < 4 and doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN" \
                and start - 1 not in covered:
            start -= 1
        if start < comma - who and (start == 0 or not doc[start - 1].is_title):
            found.append(Candidate(start, comma, "PERSON", None, "spacy"))
    return sorted(candidates + found, key=lambda c: c.start)


def _untagged_person_after_office(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Zhob's deputy commissioner, Tariq Javed Cheema, concedes …": two or more proper
    nouns set off by commas after a noun naming an office or trade are a person, if spaCy
    left them untagged or called them a work of art, an event, a law or a product."""
    person_nouns = _rules()["person_nouns"]
    owner = {k: c for c in candidates for k in range(c.start, c.end)}
    found, dropped = [], []
    for comma in (t.i for t in doc[1:-2] if t.text == ","):
        if doc[comma - 1].lower_ not in person_nouns or not doc[comma - 1].is_lower:
            continue
        end = comma + 1
        while end < len(doc) and end - comma <= 4 and doc[end].is_title and doc[end].pos_ == "PROPN" \
                and doc[end].is_alpha:
            end += 1
        tagged = {id(owner[k]): owner[k] for k in range(comma + 1, end) if k in owner}
        if end - comma > 2 and end < len(doc) and doc[end].text == "," and all(
                c.start == comma + 1 and c.end == end and c.entity is None and c.label not in SPACY_TYPES
                for c in tagged.values()):
            dropped += tagged.values()
            found.append(Candidate(comma + 1, end, "PERSON", None, "spacy"))
    return sorted(_without(candidates, dropped) + found, key=lambda c: c.start)


def _apposition_type(doc, c: Candidate) -> str | None:
    """The type a describing noun gives a name: "Wakhi families", "the Kyrgyz, the nomadic
    herders", "young Pamiris" (communities); "Tashkurgan, the nearest town"; "Qaiser
    Mehmood Tarar, the federal minister"."""
    rules = _rules()
    if c.end - c.start > 3:
        return None
    word = doc[c.start].lower_
    after = doc[c.end] if c.end < len(doc) else None
    noun = None
    if after is not None and after.lower_ in rules["people_nouns"] and word not in rules["demonyms"] \
            and c.end - c.start == 1:
        return "ETHNIC_RELIGIOUS"
    if after is not None and after.lower_ in ("and", "or") and c.end - c.start == 1 and word not in rules["demonyms"]:
        k = c.end + 1
        while k < len(doc) and doc[k].is_title:
            k += 1
        if k > c.end + 1 and k < len(doc) and doc[k].lower_ in rules["people_nouns"]:
            return "ETHNIC_RELIGIOUS"                     # "Brahui or Jadgal migrants"
    if after is not None:
        noun = _appositive_noun(doc, c.end)
    if noun in rules["people_nouns"] and c.end - c.start == 1:
        return "ETHNIC_RELIGIOUS"
    if noun in rules["city_words"]:
        return "DISTRICT_CITY"
    if noun in rules["province_words"]:
        return "PROVINCE"
    if c.label in SPACY_TYPES and noun in rules["person_nouns"] and not _after_locative(doc, c):
        return "PERSON"                                   # "…, the federal minister for …" (not "In Deshu, the
        #                                                    district chief, …": a place)
    if c.label in SPACY_TYPES and noun in rules["descriptor_nouns"]:
        return rules["descriptor_nouns"][noun]            # "…, a Chinese company" (not "First, the group")
    if c.label in SPACY_TYPES and c.start >= 2 and doc[c.start - 1].text == "," \
            and doc[c.start - 2].lower_ in rules["person_nouns"]:
        return "PERSON"                                   # "Its leader, Habibullah Tangiri"
    before = doc[c.start - 1] if c.start else None
    if c.label == "PERSON" and word.endswith("is") and before is not None \
            and (before.tag_ == "JJ" or before.lower_ in ("the", "many", "some", "most")):
        return "ETHNIC_RELIGIOUS"
    return None


def _predicate_type(doc, c: Candidate) -> str | None:
    """"Hamza Naveed Siddiqui is a senior fellow at …", "Sewai is a village": the noun a
    name is said to be ("X is a/an N") types it — an office or trade a person, a
    describing noun its type."""
    rules = _rules()
    root = doc[c.start:c.end].root
    if root.dep_ != "nsubj" or root.head.lemma_ != "be":
        return None
    noun = next((t for t in root.head.children if t.dep_ == "attr" and t.pos_ == "NOUN"), None)
    if noun is None or not any(t.lower_ in ("a", "an") for t in noun.children):
        return None
    if noun.lemma_ in rules["person_nouns"]:
        return "PERSON"
    return rules["descriptor_nouns"].get(noun.lemma_)


def _who_clause_type(doc, c: Candidate) -> str | None:
    """"Bakht Jamal Saqib, who reported on Zhob …": a name of two or more words that a
    clause opening with "who" describes is a person (an institution takes "which")."""
    if c.entity is None and c.label in SPACY_TYPES and c.end - c.start > 1 and c.end + 1 < len(doc) \
            and doc[c.end].text == "," and doc[c.end + 1].lower_ == "who" and _head_type(doc[c.start:c.end]) is None \
            and doc[c.start].lower_ != "the":
        return "PERSON"
    return None


def _people_subject(doc, c: Candidate) -> str | None:
    """"The Mamund, for their part, complain …", "The Mangal have resisted …": "the" and a
    one-word name that is the subject of a plural verb is a people (a place or a person
    takes a singular verb)."""
    if c.end - c.start != 1 or c.start == 0 or doc[c.start - 1].lower_ != "the" or c.label == "ORG":
        return None           # "the Taliban say": a group spaCy calls an organization stays one
    token = doc[c.start]
    if token.dep_ != "nsubj":
        return None
    head = token.head
    plural = head.tag_ == "VBP" or any(child.dep_ == "aux" and child.tag_ == "VBP" for child in head.children)
    return "ETHNIC_RELIGIOUS" if plural else None


def _after_title(doc, c: Candidate) -> bool:
    """A person's title before the name or as its first word ("Haji …", "Mir …", "Dr. …")."""
    rules = _rules()
    titles = rules["person_titles"] | rules["outside_titles"]
    before = doc[c.start - 1].lower_.rstrip(".") if c.start else ""
    return before in titles or (c.end - c.start > 1 and doc[c.start].lower_ in rules["person_titles"])


def _title_inside(doc, c: Candidate) -> bool:
    """The name's own first word is a person's title ("Mir Dilawar Kahdai", "Mir Ali")."""
    return c.end - c.start > 1 and doc[c.start].lower_ in _rules()["person_titles"]


def _after_locative(doc, c: Candidate) -> bool:
    """"in Turbat", "near Pasni": a one-word name after a locative preposition, not an
    adjective before a noun ("in Baloch areas")."""
    if c.start == 0 or doc[c.start - 1].lower_ not in _rules()["locative_words"]:
        return False
    after = doc[c.end] if c.end < len(doc) else None
    return c.end - c.start > 1 or after is None or not (after.is_lower and after.pos_ == "NOUN")


def _is_state(token, gazetteer: Gazetteer) -> bool:
    """A token of a gazetteer country or national capital."""
    entry = gazetteer.entries.get(token.ent_id_)
    return entry is not None and (entry.type == "COUNTRY" or entry.role == "capital")


def _stands_for_government(doc, c: Candidate, gazetteer: Gazetteer) -> bool:
    """A capital that is the subject (or a conjunct of the subject) of a verb not said of
    places (``place_verbs``: "Tehran has taken a harder line"), or whose will a noun of
    deciding names ("at the will of Islamabad and Kabul", "Islamabad's decision";
    ``government_nouns``), or the object of a state's verb ("Islamabad promised Beijing")
    or of a verb of asking ("asked Tehran to …"; ``request_verbs``)."""
    rules = _rules()
    token = doc[c.start:c.end].root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ == "nsubj" and token.head.pos_ in ("VERB", "AUX") and token.head.lemma_ not in rules["place_verbs"]:
        return True
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_ in rules["government_nouns"]:
        return True
    if token.dep_ in ("dobj", "dative") and any(child.dep_ == "nsubj" and _is_state(child, gazetteer)
                                                for child in token.head.children):
        return True       # "Islamabad promised Beijing a police unit": one state to another
    if token.dep_ == "dobj" and token.head.lemma_ in rules["request_verbs"]:
        return True       # "they have asked Tehran to let …"
    return token.dep_ == "poss" and token.head.lemma_ in rules["government_nouns"]


@dataclass
class Found:
    """A typed English mention in one Doc: character offsets into the Doc's text."""

    start: int
    end: int
    label: str
    entity: str | None
    how: str
    role: str | None = None
    expansion: str | None = None     # the name an acronym stands for in this document

    @property
    def typed_by_context(self) -> bool:
        """The type came from the words around the name, not from the statistical model."""
        return self.how.startswith("rule:") or self.how in ("spacy+kind", "spacy+surname", "spacy+locative",
                                                             "spacy+conjunct")


def doc_mentions(doc, gazetteer: Gazetteer, heading: bool = False,
                 full_names: dict[str, tuple[str, str | None]] | None = None) -> list[Found]:
    """The mentions of one parsed block. ``full_names`` (surname -> type and id) carries
    full person names from block to block so that a later surname alone is known."""
    rules = _rules()
    full_names = {} if full_names is None else full_names
    candidates = _candidates(doc)
    if heading:
        candidates = _keep_gazetteer_in_titles(doc, candidates)
    for step in (_split_at_commas, _join_hyphenated, _ezafe_names, _name_after_title, _join_adjacent_persons,
                 _extend_to_institution, _institution_from_other_labels, _institution_grown_left,
                 _untagged_institution, _institution_of_place, _extend_over_and, _split_institution_location,
                 _institution_of_common_words, _institution_for_its_field, _institution_then_its_city, _clan_names,
                 _person_with_community_surname, _untagged_place_after_locative, _add_conjunct_places,
                 _untagged_before_people_noun, _untagged_person_before_apposition, _untagged_person_after_office,
                 _name_before_acronym, _split_lists, _trim):
        candidates = step(doc, candidates)
    communities = {k for c in candidates if c.entity and c.label == "ETHNIC_RELIGIOUS" for k in range(c.start, c.end)}
    found, kept = [], []
    for c in candidates:
        ent = doc[c.start:c.end]
        tokens = list(ent)
        kind_word = tokens[-1].lower_ if len(tokens) > 1 else ""
        lower_kind = kind_word in rules["lower_kind_words"] and tokens[-1].is_lower
        if (kind_word in rules["place_kind_words"] or lower_kind) and c.label in _PLACE_TYPES:
            # "Nangarhar province", "Kurram district": the word saying what kind of place
            # it is stays outside the name (and tells its type)
            tokens = tokens[:-1]
            if c.entity is None:
                c.label, c.how = ("PROVINCE" if kind_word in rules["province_words"] | rules["region_words"]
                                  else "DISTRICT_CITY"), "spacy+kind"
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        surface = doc.text[start:end]
        if surface.endswith(".") and not _ABBREVIATION.search(surface):
            surface = surface.rstrip(".")
        end = start + len(surface)
        entity_id, how = c.entity, c.how
        described = None if entity_id else (_apposition_type(doc, c) or _descriptor_type(doc, c)
                                            or _people_subject(doc, c) or _predicate_type(doc, c)
                                            or _who_clause_type(doc, c))
        if entity_id is None and len(tokens) == 1 and surface.lower() in full_names and not described:
            # "Zebaki" after "… Zebaki" (not in "the Afridi clans", "elders of the Sherani")
            (label, entity_id), how = full_names[surface.lower()], "spacy+surname"
        elif entity_id:
            label = c.label
            if gazetteer.entries[entity_id].role == "capital" and _stands_for_government(doc, c, gazetteer):
                label, entity_id, how = "COUNTRY", gazetteer.country_of(entity_id), "gazetteer+metonymy"
            elif label in ("PROVINCE", "DISTRICT_CITY") and c.end < len(doc) \
                    and doc[c.end].lower_ in rules["tribe_nouns"]:
                label, entity_id, how = "ETHNIC_RELIGIOUS", None, "rule:descriptor"   # "the Orakzai tribes"
        elif described:
            label, how = described, "rule:descriptor"
        elif c.how in ("gazetteer+compound", "spacy+kind", "rule:acronym-name"):
            label = c.label          # a gazetteer name grown into a longer one ("Gorno-Badakhshan")
        elif c.label in SPACY_TYPES:
            if c.label == "NORP" and surface.lower() in rules["demonyms"]:
                continue
            if len(tokens) == 1 and _common_word(surface):
                continue  # "Objectives", "West": title-case words, not names
            if len(tokens) == 1 and surface.lower() in rules["languages"]:
                continue  # "in Pashto and Urdu": a language
            label = _type_from_context(c.label, doc, ent)
            if c.how == "spacy+conjunct" and label == "ETHNIC_RELIGIOUS":
                label = "DISTRICT_CITY"     # "between Datta Khel and Miranshah": a place named after a clan
        else:
            continue  # DATE, CARDINAL, … (not entities bayan tracks)
        following = doc[c.end].lower_ if c.end < len(doc) else ""
        if entity_id is None and how == "spacy" and following in rules["region_words"]:
            label, how = "PROVINCE", "spacy+kind"               # "the Makran coast": a region
        elif entity_id is None and how == "spacy" and following in rules["place_thing_words"] \
                and len(tokens) == 1 and doc[c.end].is_lower:
            label, how = "DISTRICT_CITY", "spacy+kind"          # "the Yakaghund road": named after a place
        elif entity_id is None and how == "spacy" and len(tokens) == 1 and label != "ETHNIC_RELIGIOUS" \
                and (c.start - 1 in communities or c.end in communities):
            label, how = "ETHNIC_RELIGIOUS", "rule:descriptor"  # "Ismaili Wakhi", "Balti Shias"
        elif entity_id is None and how not in ("rule:descriptor", "spacy+conjunct") and _after_title(doc, c) \
                and not (_title_inside(doc, c) and _after_locative(doc, c)):
            # "Haji Rasool Bakhsh"; a title that is the name's first word only suggests a
            # person, for places are named so too ("near Mir Ali"; the document decides)
            label, how = "PERSON", "spacy+title" if _title_inside(doc, c) else "rule:title"
        elif label in ("PERSON", "ETHNIC_RELIGIOUS", "DISTRICT_CITY") and entity_id is None \
                and how == "spacy" and _after_locative(doc, c):
            label, how = "DISTRICT_CITY", "spacy+locative"      # "in Sadda", not a person
        if label == "PERSON" and len(surface.split()) > 1:
            full_names.setdefault(surface.split()[-1].lower(), (label, entity_id))
        role = None
        if label == "PERSON":
            window = [t.lower_ for t in doc[max(0, ent.start - 4): ent.start]] + \
                     [t.lower_ for t in doc[ent.end: ent.end + 4]]
            if set(window) & rules["leader_cues"]:
                role = "leader"
        found.append(Found(start, end, label, entity_id, how, role))
        kept.append(c)
    return _listed_communities(doc, kept, _conjunct_communities(doc, kept, found))


def _listed_beside(doc, c: Candidate, tokens: set[int]) -> bool:
    """The name and one of ``tokens`` are listed together: "Wakhi and Burusho", "Burusho, Wakhi"."""
    return (c.start >= 2 and doc[c.start - 1].lower_ in _LIST_JOINS and c.start - 2 in tokens) or \
        (c.end + 1 < len(doc) and doc[c.end].lower_ in _LIST_JOINS and c.end + 1 in tokens)


def _clan_names(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Kabul Khel", "Tori Khel": a capitalized clan word (``community_last_words``) and
    the word before it are one name, even where the first is a gazetteer place (the clan
    Kabul Khel is not Kabul) or spaCy left both untagged."""
    clan_words = _rules()["community_last_words"]
    covered, ending_at = _covered(candidates), {c.end: c for c in candidates}
    found, grown = [], []
    for token in doc[1:]:
        if token.lower_ not in clan_words or not token.is_title or not doc[token.i - 1].is_title or token.i in covered:
            continue
        before = ending_at.get(token.i)
        if before is None:
            found.append(Candidate(token.i - 1, token.i + 1, "NORP", None, "spacy"))
        elif before.end - before.start == 1:
            grown.append(before)
            found.append(Candidate(before.start, token.i + 1, "NORP", None, "spacy"))
    return sorted(_without(candidates, grown) + found, key=lambda c: c.start)


def _person_with_community_surname(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"Gohram Baloch, the commander": an untagged first name before a gazetteer community
    (a surname taken from a people), with no noun after it, is one person ("Sindhi
    Baloch families", "Balti Shias" stay communities)."""
    rules = _rules()
    covered = _covered(candidates)
    result = []
    for c in candidates:
        before = doc[c.start - 1] if c.start else None
        after = doc[c.end] if c.end < len(doc) else None
        if c.entity and c.label == "ETHNIC_RELIGIOUS" and c.end - c.start == 1 and not doc[c.start].lower_.endswith("s") \
                and before is not None and before.pos_ == "PROPN" and before.is_title and before.i not in covered \
                and before.lower_ not in rules["demonyms"] and not _common_word(before.text) \
                and not (after is not None and after.pos_ == "NOUN"):
            result.append(Candidate(before.i, c.end, "PERSON", None, "spacy"))
        else:
            result.append(c)
    return result


def _untagged_before_people_noun(doc, candidates: list[Candidate]) -> list[Candidate]:
    """"the Daulatzai, Ismailzai, and Lashkarzai tribes", "whose Halimzai and Safi
    sections": the proper nouns spaCy left untagged in a list that ends in a people noun
    are names (one word each)."""
    people = _rules()["people_nouns"]
    covered = _covered(candidates)
    found = []
    for noun in doc[1:]:
        if noun.lower_ not in people:
            continue
        for i in range(noun.i - 1, -1, -1):
            token = doc[i]
            joined = token.lower_ in _LIST_JOINS
            if not (joined or i in covered or (token.is_title and token.pos_ == "PROPN")):
                break
            if joined:
                continue
            if i not in covered and i > 0:
                found.append(Candidate(i, i + 1, "NORP", None, "spacy"))
                covered.add(i)
            elif i + 1 < noun.i and doc[i + 1].lower_ not in _LIST_JOINS:
                break     # a tagged name that is not an item of the list
    return sorted(candidates + found, key=lambda c: c.start)


def _listed_communities(doc, candidates: list[Candidate], found: list[Found]) -> list[Found]:
    """"the Salarzai, Mamund, Utmankhel, and Tarkani tribes", "whose Halimzai and Safi
    sections": every name of a list that ends in a people noun is a community (a
    gazetteer place too, as in "the Orakzai tribes")."""
    people = _rules()["people_nouns"]
    group: list[int] = []
    for k, c in enumerate(candidates):
        if group and all(t.lower_ in _LIST_JOINS for t in doc[candidates[group[-1]].end:c.start]) \
                and c.start > candidates[group[-1]].end:
            group.append(k)
        else:
            group = [k]
        if c.end < len(doc) and doc[c.end].lower_ in people and len(group) > 1:
            for j in group:
                f = found[j]
                if c.end - c.start <= 2 and (f.entity is None or f.label in ("PROVINCE", "DISTRICT_CITY")):
                    f.label, f.entity, f.how = "ETHNIC_RELIGIOUS", None, "rule:descriptor"
    return found


def _conjunct_communities(doc, candidates: list[Candidate], found: list[Found]) -> list[Found]:
    """A one-word name that only spaCy typed, coordinated with a community, is a community
    too: "Wakhi and Burusho villages"."""
    community_tokens = {k for c, f in zip(candidates, found) if f.label == "ETHNIC_RELIGIOUS"
                        for k in range(c.start, c.end)}
    for c, f in zip(candidates, found):
        if f.how == "spacy" and f.entity is None and c.end - c.start == 1 and f.label != "ETHNIC_RELIGIOUS" \
                and (any(t.i in community_tokens for t in doc[c.start].conjuncts)
                     or _listed_beside(doc, c, community_tokens)):
            f.label, f.how = "ETHNIC_RELIGIOUS", "spacy+conjunct"
    return found


def recognize_english(side: Side, gazetteer: Gazetteer, model: str, exclude: tuple[str, ...] = ()) -> list[Span]:
    """Mentions in every English block (parsed once, shared with ``en.sentences``), made
    consistent over the document (``english_document``)."""
    from .english_document import document_consistency      # it builds on this module
    nlp = english_pipeline(model, exclude)
    view = side.views.get("reading") or side.view("raw")
    blocks = [b for b in side.layer("blocks") if any(s.attrs.get("block") == b.id for s in side.layer("sentences"))]
    texts = [BlockText.of(view, b) for b in blocks]
    sentence_starts = sorted((s.start, s.id) for s in side.layer("sentences"))
    mentions: list[Span] = []
    full_names: dict[str, tuple[str, str | None]] = {}
    located = []
    for block, text, doc in zip(blocks, texts, english_docs(nlp, [t.text for t in texts])):
        located += [(found, text) for found in doc_mentions(doc, gazetteer, block.label in ("title", "heading"),
                                                            full_names)]
    surfaces = {id(found): text.text[found.start:found.end] for found, text in located}
    located = document_consistency(located, surfaces, texts, gazetteer)
    for found, text in located:
        parts = text.raw_parts(found.start, found.end)
        if not parts:
            continue
        sentence_id = sentence_starts[max(0, bisect.bisect_right(sentence_starts, (parts[0][0], "\uffff")) - 1)][1]
        attrs = {"s": sentence_id, "how": found.how}
        if found.entity:
            attrs["entity"] = found.entity
        if found.role:
            attrs["role"] = found.role
        if found.expansion:
            attrs["expansion"] = found.expansion
        mentions.append(Span(parts, found.label, None, attrs))
    return mentions
