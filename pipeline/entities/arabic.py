"""Arabic mentions: the gazetteer first, then rules for names it lacks.

1. Gazetteer names, longest first, on the matching key with attached clitics stripped
   (``وننكرهار`` and ``للدولة الإسلامية`` find their names; the clitic stays outside).
2. A name after a trigger word (``مقاطعة لوكر``, ``جماعة …``) whose words the dictionary
   does not know, or that stands in guillemets.
3. A kunya (``أبو محمد العدناني``) or a name after an honorific (``مولوي``، ``قاري``).
4. Names in guillemets «…» (lists split at ، and و). Without a trigger they are kept
   as *candidates*: the linking stage keeps them only if the English names them too.
A person within ten words after or six words before a leader word (``زعيم``، ``والي``)
gets the role leader.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..align.lexicon import arabic_stem, arabic_stems, load_lexicon
from ..document import Side, Span
from ..resources import load_toml
from ..resources.gazetteer import Gazetteer
from ..spell.resources import word_frequencies
from .tokens import Token, arabic_tokens, clitic_prefix, mention

CANDIDATE = "CANDIDATE"


@lru_cache(maxsize=1)
def _rules() -> dict:
    table = load_toml("ner_rules.toml")["arabic"]
    triggers = {}
    for rule in table["triggers"]:
        for word in rule["words"]:
            triggers[word] = (rule["type"], rule["include"])
    return {"honorifics": set(table["honorifics"]), "outside_titles": set(table["outside_titles"]),
            "name_particles": set(table["name_particles"]),
            "split_name_endings": {ending: tuple(sounds) for ending, sounds in table["split_name_endings"].items()},
            "kunya": set(table["kunya"]), "institution_nouns": set(table["institution_nouns"]),
            "person_cues": set(table["person_cues"]), "leader_cues": set(table["leader_cues"]),
            "triggers": triggers}


_NISBA_ADJECTIVE = re.compile("^(?:[وفبكل]?ال|لل).{3,}(?:ي|يه|يين|يتين|يات|يون)$")


def is_nisba_adjective(key: str) -> bool:
    """(clitics +) ال + a word ending in ي or ية (key form يه), or their dual or plural:
    an adjective of relation (السورية، الباكستاني، الأفغانيتين), not the country it comes
    from."""
    return bool(_NISBA_ADJECTIVE.match(key))


def _is_punctuation(token: Token) -> bool:
    return not any(c.isalnum() for c in token.key)


def _known_word(token: Token) -> bool:
    """True when the dictionary translates the word (so it is probably not a name)."""
    lexicon = load_lexicon()
    return any(stem in lexicon for stem in arabic_stems(token.name))


#: A word at least this frequent in Arabic text (wordfreq) is a common word, not a local
#: name a rule may take (عائدات "revenues" after القبائل); the rarer names of places and
#: tribes stay under it (قندهار 2e-6, تربت 2e-6).
COMMON_WORD_FREQUENCY = 5e-6


def _common_word(token: Token) -> bool:
    frequencies = word_frequencies()
    return max(frequencies.get(token.key, 0.0), frequencies.get(token.name, 0.0)) >= COMMON_WORD_FREQUENCY


def is_name_particle(token: Token) -> bool:
    """A word that joins or ends names though the dictionary knows it (الله، خان، علي —
    but not the preposition على, whose key is علي too)."""
    return token.key in _rules()["name_particles"] and not token.maksura


def _a_word_as_written(key: str, clitics: int) -> bool:
    """The token, read with its first letters as attached words, holds a name; read as
    written, it is a dictionary word of its own (its stem differs and has translations):
    فرقة "division" (not ف + رقة), وعدن "they promised"; not والصين or بكابل, nor وبانو,
    whose stem بان drops the very و that would make it a word as written."""
    written, core = arabic_stem(key), arabic_stem(key[clitics:])
    return written != core and written.startswith(key[:clitics]) and written in load_lexicon()


def _trigger(token: Token) -> tuple[str, bool] | None:
    """(type, include) when the token is a trigger word, with or without attached letters
    (``وولاية``; ``ولاية`` itself, which read with clitics would be و + ل + ايه)."""
    triggers = _rules()["triggers"]
    return triggers.get(token.name) or triggers.get(token.key)


def _name_run(tokens: list[Token], start: int, limit: int = 3, allow_known: bool = False) -> int:
    """The last index of a run of name-like tokens from ``start`` (or start-1 if none)."""
    from ..align.features import ARABIC_STOP_KEYS
    last = start - 1
    for index in range(start, min(len(tokens), start + limit)):
        token = tokens[index]
        particle = is_name_particle(token)      # الله is no ال + له "to him"
        if _is_punctuation(token) or any(c.isdigit() for c in token.key) or (not particle and (token.key in ARABIC_STOP_KEYS
                                                        or token.name in ARABIC_STOP_KEYS)):
            break
        if index > start and token.key != token.name and token.key[0] == "و":
            break  # "و" starts a new phrase
        nisba = token.name.startswith("ال") and token.name.endswith("ي") and index > start
        if not allow_known and not nisba and not particle and (_known_word(token) or _common_word(token)):
            break
        last = index
    return last


def _guillemet_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    spans, opened = [], None
    for index, token in enumerate(tokens):
        if token.key == "«":
            opened = index
        elif token.key == "»" and opened is not None:
            if index - opened > 1:
                spans.append((opened + 1, index - 1))
            opened = None
    return spans


def _list_items(tokens: list[Token], first: int, last: int) -> list[tuple[int, int]]:
    """Items of a guillemet list «أ، وب، وج»: split at ، ; a following و is a clitic."""
    items, start = [], first
    for index in range(first, last + 1):
        if tokens[index].key in ("،", ","):
            if index > start:
                items.append((start, index - 1))
            start = index + 1
    if last >= start:
        items.append((start, last))
    return items


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’\-][A-Za-z0-9]+)*")


def _latin_names(raw: str, tokens: list[Token], gazetteer: Gazetteer):
    """(raw start, raw end, id) of gazetteer names written in Latin letters inside the
    Arabic text ("Al-Bayan Center for Planning and Studies" under the Arabic name)."""
    latin = [t for t in tokens if re.search("[A-Za-z]", t.key)]
    if not latin:
        return
    start, end = latin[0].start, latin[-1].end
    words = list(_LATIN_WORD.finditer(raw, start, end))
    for first, last, entity_id in gazetteer.match_english([w.group() for w in words]):
        yield words[first].start(), words[last - 1].end(), entity_id


def recognize_sentence(raw: str, tokens: list[Token], gazetteer: Gazetteer) -> list[Span]:
    """Mentions in one sentence's tokens."""
    rules = _rules()
    taken = [False] * len(tokens)
    mentions: list[Span] = []

    def add(first: int, last: int, label: str, prefix: int | None = None, **attrs) -> None:
        if last < first or any(taken[first:last + 1]):
            return
        for k in range(first, last + 1):
            taken[k] = True
        mentions.append(mention(raw, tokens, first, last, label, prefix, **attrs))

    keys = [t.key for t in tokens]
    for first, end, entity_id, clitics in gazetteer.match_arabic(keys):
        label = gazetteer.entries[entity_id].type
        if label == "COUNTRY" and end - first == 1 and is_nisba_adjective(tokens[first].key):
            continue    # "الحرب السورية": the adjective, not the country سورية
        if end - first == 1 and clitics and _a_word_as_written(tokens[first].key, clitics):
            continue    # "فرقة" is "a division", not ف + الرقة
        kind = _trigger(tokens[first])
        if end - first > 1 and kind and not kind[1] and label in ("PROVINCE", "DISTRICT_CITY"):
            first, clitics = first + 1, None    # "ولاية خوست": the word saying what kind of place stays outside
        add(first, end - 1, label, clitics, entity=entity_id, how="gazetteer")

    for start, end, entity_id in _latin_names(raw, tokens, gazetteer):
        covered = [k for k, t in enumerate(tokens) if start < t.end and t.start < end]
        if covered and not any(taken[k] for k in covered):
            for k in covered:
                taken[k] = True
            mentions.append(Span(((start, end),), gazetteer.entries[entity_id].type, None,
                                 {"entity": entity_id, "how": "gazetteer:latin"}))

    guillemets = _guillemet_spans(tokens)
    inside = {k for a, b in guillemets for k in range(a, b + 1)}
    for index, token in enumerate(tokens):
        if taken[index]:
            continue
        if kind := _trigger(token):
            if token.key[clitic_prefix(token.key):].startswith("ال"):
                continue  # "الشركة توظف": the company spoken of, not a name after it
            label, include = kind
            start = index + 1
            if start < len(tokens) and tokens[start].key == "«":
                continue  # the guillemet rule below takes it, with this trigger's type
            last = _name_run(tokens, start)
            if last >= start:
                add(index if include else start, last, label, how="rule:trigger")
        elif token.key in rules["kunya"] and index + 1 < len(tokens):
            last = _name_run(tokens, index + 1, limit=1, allow_known=True)
            if last > index and last + 1 < len(tokens) and tokens[last + 1].key.startswith("ال") \
                    and tokens[last + 1].key.endswith("ي"):
                last += 1
            if last > index:
                add(index, last, "PERSON", how="rule:kunya")
        elif token.key in rules["honorifics"] and index not in inside:
            # the first name may be any word (محمد، حكمت); later ones must look like names;
            # titles in a row go before it (القائد حافظ سيف الله)
            first = index + 1
            while first < len(tokens) - 1 and tokens[first].key in rules["honorifics"]:
                first += 1
            last = _name_run(tokens, first, limit=1, allow_known=True)
            if last >= first:
                last = max(last, _name_run(tokens, last + 1, limit=2))
            if last >= first:
                start = index + 1 if token.key in rules["outside_titles"] else index
                add(start, last, "PERSON", how="rule:honorific")

    for first, last in guillemets:
        kind = _trigger(tokens[first])
        if kind and kind[1] and last > first:
            # «حركة سرمجار البلوش»: a group's or an institution's whole name in guillemets,
            # not the place or people named inside it (a group or institution found inside
            # is the name itself: «جماعة لشكر جهنكوي الطائفية»)
            inner = [m for m in mentions if tokens[first].start <= m.start and m.end <= tokens[last].end]
            if inner and not any(m.label in ("GROUP", "ORG") for m in inner):
                mentions[:] = [m for m in mentions if m not in inner]
                taken[first:last + 1] = [False] * (last - first + 1)
                add(first, last, kind[0], 0, how="rule:guillemets+trigger")
        before = tokens[first - 2] if first >= 2 else None
        before_word = before.name if before else ""
        trigger = _trigger(before) if before else None
        honorific = tokens[first].key in rules["honorifics"] or before_word in rules["honorifics"]
        cue = before is not None and (before.key in rules["person_cues"] or before.name in rules["person_cues"])
        for item_first, item_last in _list_items(tokens, first, last):
            whole = 0 if item_first == first else None    # «فرزانة …»: right after « nothing is attached
            if trigger:
                add(item_first, item_last, trigger[0], whole, how="rule:guillemets+trigger")
            elif honorific or cue:
                start = item_first + (1 if tokens[item_first].key in rules["outside_titles"] else 0)
                add(start, item_last, "PERSON", whole if start == item_first else None, how="rule:guillemets+person")
            else:
                add(item_first, item_last, CANDIDATE, whole, how="rule:guillemets")

    for span in mentions:
        if span.label == "PERSON":
            position = next(k for k, t in enumerate(tokens) if t.end >= span.end)
            window = tokens[max(0, position - 10): position] + tokens[position + 1: position + 7]
            if any(t.key in rules["leader_cues"] or t.name in rules["leader_cues"] for t in window):
                span.attrs["role"] = "leader"
    return mentions


def recognize_arabic(side: Side, gazetteer: Gazetteer) -> list[Span]:
    """Mentions (and candidates) in every sentence of the Arabic side."""
    found = []
    for sentence_id, tokens in arabic_tokens(side).items():
        for span in recognize_sentence(side.raw, tokens, gazetteer):
            span.attrs["s"] = sentence_id
            found.append(span)
    return found
