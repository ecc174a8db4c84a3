"""English mentions: spaCy's en_core_web_sm NER with a gazetteer EntityRuler before it.

The ruler tags every gazetteer name (any listed spelling, case-insensitive) with its
type and id, so spaCy's statistical NER only decides the rest. spaCy's labels map to
bayan's types (GPE/LOC by the words around them: "Logar province", "Achin district");
its known slips are fixed: a trailing period or a leading "the" is trimmed, nationality
adjectives (NORP "Afghan") are dropped, a surname alone ("al-Muhajir") takes the id of
the full name met earlier.
"""
from __future__ import annotations

import bisect
import re
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
    return {k: set(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _english_headwords() -> frozenset[str]:
    from ..resources.freedict import dictd_entries
    return frozenset(headword.lower() for headword, _ in dictd_entries("freedict-eng-ara"))


def _common_word(word: str) -> bool:
    """A word the English–Arabic dictionary lists (in lower case): probably not a name."""
    return word.lower() in _english_headwords() or word.lower().rstrip("s") in _english_headwords()


def _type_from_context(label: str, doc, ent) -> str:
    rules = _rules()
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    preceding = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if label in ("GPE", "LOC"):
        if following in rules["province_words"] or preceding in rules["province_words"]:
            return "PROVINCE"
        return "DISTRICT_CITY"
    if label in ("ORG", "PERSON"):
        words = {t.lower_ for t in ent}
        if label == "ORG" and words & rules["group_words"] or ent[0].lower_ in rules["group_first_words"]:
            return "GROUP"
        if ent[0].lower_ in rules["org_first_words"] or ent[-1].lower_ in rules["org_last_words"]:
            return "ORG"
        if label == "ORG" and len(ent) == 1:
            return "DISTRICT_CITY"   # a one-word "organization" in this domain is mostly a place
    return SPACY_TYPES[label]


def recognize_english(side: Side, gazetteer: Gazetteer, model: str, exclude: tuple[str, ...] = ()) -> list[Span]:
    """Mentions in every English block (parsed once, shared with ``en.sentences``)."""
    nlp = english_pipeline(model, exclude)
    rules = _rules()
    view = side.views.get("reading") or side.view("raw")
    blocks = [b for b in side.layer("blocks") if any(s.attrs.get("block") == b.id for s in side.layer("sentences"))]
    texts = [BlockText.of(view, b) for b in blocks]
    sentence_starts = sorted((s.start, s.id) for s in side.layer("sentences"))
    mentions: list[Span] = []
    full_names: dict[str, tuple[str, str | None]] = {}   # surname -> (type, id)
    for text, doc in zip(texts, english_docs(nlp, [t.text for t in texts])):
        for ent in doc.ents:
            tokens = list(ent)
            while tokens and tokens[0].lower_ in ("the", "a", "an"):
                tokens = tokens[1:]
            if not tokens:
                continue
            if ent.ent_id_ and len(tokens) > 1 and tokens[-1].lower_ in rules["province_words"] \
                    and ent.label_ in ("PROVINCE", "DISTRICT_CITY"):
                # "Nangarhar province" -> "Nangarhar", when that is the same gazetteer name
                shorter = tuple(t.lower_.rstrip(".") for t in tokens[:-1])
                if gazetteer.english.get(shorter) == ent.ent_id_:
                    tokens = tokens[:-1]
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            surface = text.text[start:end]
            if surface.endswith(".") and not _ABBREVIATION.search(surface):
                surface = surface.rstrip(".")
            end = start + len(surface)
            if ent.ent_id_:
                label, entity_id, how = ent.label_, ent.ent_id_, "gazetteer"
            elif ent.label_ in SPACY_TYPES:
                if ent.label_ == "NORP" and surface.lower() in rules["demonyms"]:
                    continue
                if len(tokens) == 1 and _common_word(surface):
                    continue  # "Objectives", "West": title-case words, not names
                label, entity_id, how = _type_from_context(ent.label_, doc, ent), None, "spacy"
            else:
                continue  # DATE, CARDINAL, … (not entities bayan tracks)
            if label == "PERSON":
                last_word = surface.split()[-1].lower()
                if entity_id is None and len(surface.split()) == 1 and last_word in full_names:
                    label, entity_id = full_names[last_word]
                    how = "spacy+surname"
                elif len(surface.split()) > 1:
                    full_names.setdefault(last_word, (label, entity_id))
            role = None
            if label == "PERSON":
                window = [t.lower_ for t in doc[max(0, ent.start - 4): ent.start]] + \
                         [t.lower_ for t in doc[ent.end: ent.end + 4]]
                if set(window) & rules["leader_cues"]:
                    role = "leader"
            parts = text.raw_parts(start, end)
            if not parts:
                continue
            sentence_id = sentence_starts[max(0, bisect.bisect_right(sentence_starts, (parts[0][0], "\uffff")) - 1)][1]
            attrs = {"s": sentence_id, "how": how}
            if entity_id:
                attrs["entity"] = entity_id
            if role:
                attrs["role"] = role
            mentions.append(Span(parts, label, None, attrs))
    return mentions
