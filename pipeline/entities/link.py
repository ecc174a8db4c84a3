"""Linking Arabic mentions to the English mentions they translate, and projecting names.

Within each alignment bead: an Arabic and an English mention are linked when they have
the same gazetteer id, or when their names sound alike (``name_similarity`` ≥ the
threshold validated on ANETAC, see ``scripts/eval_transliteration.py``), best pairs
first. An English name left unlinked is *projected*: the Arabic words of the bead that
sound most like it (1–4 tokens, clitics stripped) become a mention marked ``projected``.
A multi-word English name outside the gazetteer ("Aftab Development Organization") is
first looked for as a *translation*: the Arabic words of the bead in which every word
translates (FreeDict) or sounds like one of its words, and each of its words is met
(``منظمة آفتاب للتنمية``); that span replaces the partial Arabic mentions inside it.
Arabic candidates from guillemets survive only if linked. A name found once is found
wherever else it occurs (``how=document``). Names outside the gazetteer
get a document-level id from their English form (``local:hafiz-saeed-khan``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..align.features import ARABIC_STOP_KEYS, english_sentence_stems, english_words
from ..align.lexicon import arabic_key, arabic_stems, arabic_translations, english_stem, load_lexicon
from ..document import Bitext, Span
from ..resources import data_path
from ..resources.gazetteer import PROCLITICS
from ..translit import ENGLISH_ARTICLE, arabic_skeleton, english_skeleton, letter_similarity, name_similarity
from .arabic import CANDIDATE, _known_word, _rules, is_name_particle, is_nisba_adjective
from .english import _institution_heads
from .tokens import Token, arabic_tokens, clitic_prefix, mention

#: Projection invents a mention from sound alone: it asks for more than linking does.
PROJECTION_THRESHOLD = 0.8
MIN_SKELETON = 4          # names with fewer consonants project only onto unknown words
MIN_SHORT_SKELETON = 3    # names with fewer project only onto a word that sounds exactly like them
MIN_TINY_SKELETON = 2


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _name_key(bitext: Bitext, span: Span) -> str:
    return bitext.ar.view("key").span_text(span)


def _english(bitext: Bitext, span: Span) -> str:
    """An English mention's name: as written, or, for an acronym, the name it stands for."""
    if span.attrs.get("expansion"):
        return span.attrs["expansion"]
    view = bitext.en.views.get("reading") or bitext.en.view("raw")
    return view.span_text(span)


def _similarity(bitext: Bitext, arabic: Span, english: Span) -> float:
    """Name similarity, plus 2 for the same gazetteer id (ties: the fuller English name).
    A gazetteer name and a name outside it must sound alike as much as projection asks:
    the gazetteer knows the English spellings of its names (الصين is not "Pasni")."""
    key, name = _name_key(bitext, arabic), _english(bitext, english)
    ids = [str(span.attrs.get("entity") or "local:") for span in (arabic, english)]
    sound = name_similarity(key, name)
    if all(i.startswith("local:") for i in ids) and (core := _core_name(name)):
        sound = max(sound, name_similarity(key, core))   # داغاري ~ "Dagari Network" (not خيبر ~ "Khyber Rifles")
    if arabic.label == CANDIDATE and english.label in ("ORG", "GROUP") and len(key.split()) > 1 \
            and len(name.split()) > 1 and name_similarity(key.split()[0], name.split()[0]) == 1.0:
        # «زرغون لتعدين الكروميت» for the Zarghun Chromite Mining Company: a name in
        # guillemets that starts as the institution's name does is its translation
        sound = max(sound, PROJECTION_THRESHOLD)
    if ids[0] == ids[1] and not ids[0].startswith("local:"):
        return 2.0 + sound + len(_english(bitext, english)) / 1000
    if [i.startswith("local:") for i in ids].count(True) == 1 and sound < PROJECTION_THRESHOLD:
        return 0.0
    return sound


@lru_cache(maxsize=4096)
def _core_name(name: str) -> str:
    """An English institution's name without its institution words, which a translation
    renders apart or leaves out ("Dagari Network" → "Dagari": شبكة داغاري, داغاري);
    empty when nothing is left or nothing was taken off."""
    words = name.split()
    core = [w for w in words if w.lower() not in _institution_heads()]
    return " ".join(core) if core and len(core) < len(words) else ""


_NISBA_AR = re.compile("(?:يين|يون|ين|ون|يه|ي)$")
_NISBA_EN = re.compile("(?:is|i|s)$")


def _without_nisba(key: str) -> str:
    """An Arabic word without a relation ending (الباميريين → البامير, الواخيه → الواخ)."""
    base = _NISBA_AR.sub("", key)
    return base if len(base) >= 4 else key


#: A w or y between vowels or before a first vowel is heard as a consonant ("Shewa" شيوه,
#: "Dawar", "Weesh" ويش) though the skeleton leaves it out.
_SEMIVOWEL = re.compile("(?:(?<=[aeiou])|^)[wy](?=[aeiou])")


#: The English first letters of the sounds an attachable Arabic letter writes.
_CLITIC_SOUNDS = {"و": "wv", "ك": "k", "ب": "bp", "ف": "f", "ل": "l"}


def _project(tokens: list[Token], taken: set[int], target: str, threshold: float, target_type: str = "",
             english_words: frozenset[str] = frozenset(), sound_only: bool = True
             ) -> tuple[int, int, int, float] | None:
    """The Arabic words that sound most like ``target``: (first, last, prefix, score).

    A short name (few consonants) projects only onto one word, and onto a word the
    dictionary knows only when it sounds exactly like the name and none of its
    translations is in the aligned English (``english_words``, stems): دبي for "Dubai"
    where the sentence says nothing of bears; and never for a gazetteer name
    (``sound_only`` False: its Arabic spellings are known, "China" is not كانوا)."""
    consonants = len(english_skeleton(target.replace(" ", ""))) + len(_SEMIVOWEL.findall(target.lower()))
    if consonants < MIN_TINY_SKELETON:
        return None
    short, tiny = consonants < MIN_SKELETON, consonants < MIN_SHORT_SKELETON
    best, best_finer = None, 0.0
    for first in range(len(tokens)):
        for last in range(first, min(len(tokens), first + 4)):
            window = tokens[first:last + 1]
            if any(k in taken for k in range(first, last + 1)) or any(
                    not any(c.isalpha() for c in t.key) or t.tanween
                    or (t.key in ARABIC_STOP_KEYS and not is_name_particle(t)) for t in window):
                break
            if short and len(window) > 1 and not (len(window) == 2 and window[1].key in _rules()["split_name_endings"]):
                break  # a short name projects only onto one word (or a word and an ending: علي آباد)
            exact_only = tiny or (short and _known_word(window[0]))
            if exact_only and (not sound_only or arabic_translations(window[0].name) & english_words):
                break  # a common word used as itself ("عمان" when the English says Amman)
            rest = " ".join(t.key for t in window[1:])
            prefixes = {clitic_prefix(window[0].key)} | _attached_prefixes(window[0].key)
            contracted = window[0].key.startswith("لل") and len(window[0].key) > 4
            if contracted:
                prefixes.discard(0)      # للتيراهي: ل + (ا)ل, the first lam is the preposition
            # of equally good readings, the one with fewer attached letters when the name
            # starts with the sound the first letter writes (ورايتش is Warraich, كاكر
            # Kakar), else with more
            keeps_first = target[:1].lower() in _CLITIC_SOUNDS.get(window[0].key[:1], "")
            for prefix in sorted(prefixes, reverse=not keeps_first):
                heard = 2 if contracted and prefix == 1 else prefix     # the article's lam is not heard
                names = (window[0].key[heard:] + " " + rest).strip()
                if tiny and target_type != "ETHNIC_RELIGIOUS" and names.startswith("ال") \
                        and not ENGLISH_ARTICLE.match(target):
                    continue   # a tiny place or person name takes no article: الصدع "the rift" is not Sost
                if len(arabic_skeleton(names.replace(" ", ""), strip_article=False)) + (names[:1] in ("و", "ي")) \
                        < MIN_TINY_SKELETON:
                    continue   # (a first و or ي is a consonant: ويش is Weesh)
                if target_type == "COUNTRY" and len(window) == 1 and is_nisba_adjective(window[0].key):
                    continue   # "الباكستاني" is the adjective, not Pakistan
                score = name_similarity(names, target)
                if len(window) == 1 and (base := _without_nisba(names)) != names:
                    score = max(score, name_similarity(base, _NISBA_EN.sub("", target)))  # الباميريين ~ Pamiris
                if exact_only and score < 1.0:
                    continue
                if score < threshold:
                    continue
                finer = letter_similarity(names, target)      # of skeletons alike, the likest letters
                if best is None or (score, finer) > (best[3], best_finer):
                    best, best_finer = (first, last, prefix, score), finer
    return best


_NAME_FUNCTION_WORDS = {"of", "for", "the", "and", "in", "on", "at", "to", "e", "i", "ye", "de"}


def _name_words(name: str) -> list[str]:
    """The words of an English name that a translation must render ("Gorno-Badakhshan"
    and "Ittehad-e-Mujahideen" are two; "al-Farisi" one)."""
    words = []
    for word in name.split():
        parts = word.split("-")
        if len(parts) > 1 and all(p[:1].isupper() or p.lower() in _NAME_FUNCTION_WORDS for p in parts if p):
            words += [p for p in parts if p]         # "Ittehad-e-Mujahideen": the ezafe e is no word
        else:
            words.append(word)
    return [w for w in words if w.lower() not in _NAME_FUNCTION_WORDS and any(c.isalpha() for c in w)]


def _glossary_rows() -> list[tuple[str, str]]:
    """(English word, Arabic forms joined by "|") rows of the data file name_words.tsv."""
    with data_path("name_words.tsv").open(encoding="utf-8") as handle:
        rows = [tuple(line.rstrip("\n").split("\t")) for line in handle if line.strip() and not line.startswith("#")]
    return rows[1:]


@lru_cache(maxsize=1)
def _name_glossary() -> dict[str, frozenset[str]]:
    """English word of institution names -> stems of its Arabic renderings (data file)."""
    glossary = {}
    for english, arabic in _glossary_rows():
        glossary[english] = frozenset(stem for form in arabic.split("|") for stem in arabic_stems(arabic_key(form)))
    return glossary


@lru_cache(maxsize=1)
def _name_glossary_forms() -> dict[str, frozenset[str]]:
    """English word of institution names -> its Arabic renderings as written (key form,
    with and without the article): فيلق is "corps" itself, not ف + يلق."""
    forms = {}
    for english, arabic in _glossary_rows():
        keys = {arabic_key(form) for form in arabic.split("|")}
        forms[english] = frozenset(keys | {k[2:] for k in keys if k.startswith("ال")})
    return forms


def _with_institution_word(tokens: list[Token], first: int, last: int, taken: frozenset[int]) -> int:
    """Where a translated institution's name starts: one word earlier when that word is an
    institution word and the run has none ("Pakistan Customs" = مصلحة الجمارك الباكستانية;
    not مكتب before إدارة تنمية المناجم والمعادن, "the office of the department")."""
    heads = _rules()["institution_nouns"]
    is_head = lambda token: token.key in heads or token.name in heads   # noqa: E731  (وإدارة، الإدارة)
    if first == 0 or first - 1 in taken or any(is_head(t) for t in tokens[first:last + 1]):
        return first
    return first - 1 if is_head(tokens[first - 1]) else first


def _means(token: Token, word: str) -> bool:
    """The Arabic token translates the English word (FreeDict or the glossary of
    institution words)."""
    lexicon = load_lexicon()
    stems = arabic_stems(token.key)
    stem = english_stem(word)
    return any(stem in lexicon.get(s, ()) for s in stems) \
        or bool(set(stems) & _name_glossary().get(word.lower(), set()))


def _sounds_like(token: Token, word: str, threshold: float) -> bool:
    """The Arabic token sounds like the English word, with or without what may be an
    attached letter (بيشاور is Peshawar; a final ة read as t: كتيبة ~ Katibat)."""
    written = token.key[1:] if token.key[:1] in "وف" else token.key    # بيشاور, not يشاور
    names = {token.name, written} | ({token.name[:-1] + "ت"} if token.name.endswith("ه") else set())
    return any(name_similarity(name, word) >= threshold for name in names)


def _attached_words(token: Token, name: str) -> int:
    """How many leading characters of a translated name's first word are attached words
    (و ف ب ك ل): stripped only when the rest sounds more like a word of the name
    (لمولوي → مولوي, but كتيبة stays), or, for و, as much when the word as written is no
    dictionary headword and no word of the name starts with a sound و may write (w, v,
    o, u: وزارة and وردك keep it); an article that is part of the name stays."""
    if token.key.startswith("لل") or (token.key[:1] in "بكلوف" and token.key[1:2] == token.key[:1]):
        return 1          # للسلام, ببخت: no word starts with a letter written twice
    prefix = len(token.key) - len(token.name) if token.key.endswith(token.name) else 0
    if token.key[:prefix].endswith("ال"):
        prefix -= 2
    if prefix <= 0:
        return 0
    words = _name_words(name)
    if _translates(token.key, words):
        return 0          # لجنة is "committee", not ل + جنة
    if _translates(token.key[prefix:], words):
        return prefix     # وقسم: و + قسم "department"
    whole = max(name_similarity(token.key, w) for w in words)
    sounds = {p: max(name_similarity(token.key[p:], w) for w in words)
              for p in _attached_prefixes(token.key) | {prefix} if 0 < p <= prefix}
    best = max(sounds, key=lambda p: (sounds[p], -p))     # ولاندي: و + لاندي, not ول + اندي
    if sounds[best] > whole:
        return best
    if sounds.get(1) == whole and token.key[0] == "و" and not any(w[:1].lower() in "wvou" for w in words) \
            and not _headword_with_waw(token.key):
        return 1          # وملكدين: و is weak in the sound skeleton; no word of the name starts with it
    return 0


def _headword_with_waw(key: str) -> bool:
    """A dictionary word whose first letter و is its own (وزارة "ministry"), not the
    conjunction: its translations are not just those of the word without it (وبير, بير)."""
    lexicon = load_lexicon()
    return key in lexicon and not lexicon[key] <= lexicon.get(key[1:], frozenset())


def _translates(key: str, words: list[str]) -> bool:
    """The Arabic word, exactly as written, is a dictionary or glossary translation of a
    word of the name."""
    lexicon = load_lexicon()
    return any(english_stem(w) in lexicon.get(key, ()) or key in _name_glossary_forms().get(w.lower(), set())
               for w in words)


def _each_word_its_own_token(rendered: list[set[str]], words: list[str]) -> bool:
    """Every token renders some word, and the words can be given distinct tokens."""
    if not all(rendered) or len(rendered) < len(set(words)):
        return False
    owner: dict[str, int] = {}

    def assign(k: int, seen: set[str]) -> bool:        # augmenting path (bipartite matching)
        for word in rendered[k]:
            if word not in seen:
                seen.add(word)
                if word not in owner or assign(owner[word], seen):
                    owner[word] = k
                    return True
        return False
    for k in range(len(rendered)):
        assign(k, set())
    return set(owner) == set(words)


def _in_order(rendered: list[set[str]], words: list[str]) -> bool:
    """The window's tokens render the name's words in the name's order (a transliterated
    name keeps it: ملكدين خيل, not خيل وملكدين across two names)."""
    position = 0
    for token_words in rendered:
        while position < len(words) and words[position] not in token_words:
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _translated(tokens: list[Token], name: str, threshold: float,
                context: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The shortest run of tokens that renders ``name`` word for word: every token renders
    a word of the name and every word has a token of its own (a translated name). A word
    whose translation is in the aligned English (``context``, stems) is used as itself
    there and does not stand for a name by its sound (وأغلق المعابر "closed the
    crossings" is not "Pir Kalag"), unless that translation is the name's own word
    (الباكستانية "Pakistani" for "Pakistan"). A في inside the run renders the English
    word order of "Peace Research Institute Oslo" (معهد أبحاث السلام في أوسلو). Of two
    runs, the one with more words translated (not only sounding alike) wins."""
    words = _name_words(name)
    if len(words) < 2:
        return None
    own = {english_stem(w) for w in words}

    def used_as_itself(token: Token) -> bool:   # "pakistani" for "Pakistan" is the name's own word
        return any(not any(u.startswith(o) for o in own) for u in arabic_translations(token.name) & context)

    by_meaning = [{w for w in words if _means(t, w)} for t in tokens]
    rendered = [meaning | ({w for w in words if _sounds_like(t, w, threshold)} if not used_as_itself(t) else set())
                if any(c.isalpha() for c in t.key) else None
                for t, meaning in zip(tokens, by_meaning)]   # None: punctuation, which no name crosses
    meant = [bool(r and by_meaning[k]) for k, r in enumerate(rendered)]
    filler = [t.key == "في" and not r for t, r in zip(tokens, rendered)]   # جرغة السلام في تيراه
    best, best_key = None, None
    for first in range(len(tokens)):
        for last in range(first + len(words) - 1, min(len(tokens), first + len(words) + 2)):
            if None in rendered[first:last + 1]:
                break
            window = [r for k, r in enumerate(rendered[first:last + 1], first) if not (filler[k] and first < k < last)]
            if len(window) > len(words) + 1:
                continue
            if _each_word_its_own_token(window, words):
                # shortest, then most words rendered by meaning (محكمة بيشاور العليا, not
                # بيشاور العليا إدارة where إدارة only sounds like "Court"), then in the name's
                # order, then sounding most like it as a whole (وكابل خيل, not خيل وكابل)
                sound = name_similarity(" ".join(t.name for t in tokens[first:last + 1]), name)
                key = (last - first, -sum(meant[first:last + 1]), not _in_order(window, words), -sound)
                if best_key is None or key < best_key:
                    best, best_key = (first, last), key
    ending = _rules()["split_name_endings"].get(tokens[best[1] + 1].key) if best and best[1] + 1 < len(tokens) else None
    if ending and name.lower().endswith(ending):
        best = (best[0], best[1] + 1)    # حمزه + زي: the ending written apart (Hamzazai)
    return best


def _trigger_type(tokens: list[Token], first: int) -> str | None:
    """The type an Arabic trigger word right before a span gives it (مدينة، حركة …)."""
    triggers = _rules()["triggers"]
    for index in (first - 1, first - 2):
        if 0 <= index < len(tokens) and tokens[index].key not in ("«", "»"):
            found = triggers.get(tokens[index].name) or triggers.get(tokens[index].key)
            return found[0] if found else None
    return None


def _english_context(sentence_stems: dict[str, set[str]], bead: dict, name: str) -> frozenset[str]:
    """The stems of a bead's English sentences, but for the words of ``name``."""
    return frozenset(set().union(*(sentence_stems.get(i, set()) for i in bead["en"]))
                     - {english_stem(w) for w in english_words(name)})


def _author_note_beads(bitext: Bitext) -> list[dict]:
    """Author notes pair with the English author bios, in order, for linking names: the
    Arabic puts them as footnotes after the first paragraph, the English at the end, so
    the (monotone) alignment leaves them apart."""
    markers = [a.get("marker") for b in bitext.ar.layer("blocks") if b.label == "byline"
               for a in (b.attrs or {}).get("authors", []) if a.get("marker")]
    notes = [b.id for b in bitext.ar.layer("blocks") if b.label == "footnote" and (b.attrs or {}).get("n") in markers]
    bios = [b.id for b in bitext.en.layer("blocks") if b.label == "bio"]
    if not notes or len(notes) != len(bios):
        return []

    def sentences(side, block_id):
        return [s.id for s in side.layer("sentences") if s.attrs.get("block") == block_id]
    return [{"ar": sentences(bitext.ar, note), "en": sentences(bitext.en, bio)} for note, bio in zip(notes, bios)]


def link_and_project(bitext: Bitext, arabic: list[Span], english: list[Span], threshold: float,
                     project: bool = True) -> tuple[list[Span], list[Span]]:
    """Links (attrs ``link``), projected Arabic mentions, and canonical ids."""
    ar_by_sentence, en_by_sentence = defaultdict(list), defaultdict(list)
    for span in arabic:
        ar_by_sentence[span.attrs["s"]].append(span)
    for span in english:
        en_by_sentence[span.attrs["s"]].append(span)
    tokens = arabic_tokens(bitext.ar)
    links: dict[int, int] = {}                      # id(arabic span) -> index in english
    english_index = {id(s): k for k, s in enumerate(english)}
    projected: list[Span] = []
    replaced: set[int] = set()                      # ids of Arabic spans a translated name took over
    sentence_stems = english_sentence_stems(bitext.en)
    for bead in list(bitext.alignment) + _author_note_beads(bitext):
        ar_spans = [s for sid in bead["ar"] for s in ar_by_sentence[sid]]
        en_spans = [s for sid in bead["en"] for s in en_by_sentence[sid]]
        if not ar_spans and not en_spans:
            continue
        used_a, used_e = set(), set()
        for j, target in enumerate(en_spans):
            if target.attrs.get("entity") or not bead["ar"]:
                continue
            name = _english(bitext, target)
            context = _english_context(sentence_stems, bead, name)
            for sid in bead["ar"]:
                found = _translated(tokens.get(sid, []), name, threshold, context)
                if not found:
                    continue
                first, last = found
                prefix = _attached_words(tokens[sid][first], name)
                projected_here = frozenset(k for p in projected if p.attrs["s"] == sid for k in _covered(tokens[sid], p))
                if target.label in ("ORG", "GROUP") and (head := _with_institution_word(tokens[sid], first, last,
                                                                                         projected_here)) < first:
                    first, prefix = head, None
                span = mention(bitext.ar.raw, tokens[sid], first, last, target.label, prefix,
                               how="projected:translation", s=sid)
                inside = [k for k, a in enumerate(ar_spans) if a.attrs["s"] == sid and span.start <= a.start < span.end]
                if any(k in used_a for k in inside) or any(p.attrs["s"] == sid and p.start < span.end
                                                           and span.start < p.end for p in projected):
                    continue     # "Peace Research Institute Oslo (PRIO)": the Arabic writes the name once
                replaced.update(id(ar_spans[k]) for k in inside)
                used_a.update(inside)
                used_e.add(j)
                projected.append(span)
                links[id(span)] = english_index[id(target)]
                break
        scored = sorted(((_similarity(bitext, a, e), k, j) for k, a in enumerate(ar_spans)
                         for j, e in enumerate(en_spans)), reverse=True)
        for score, k, j in scored:
            if score < threshold or k in used_a or j in used_e:
                continue
            used_a.add(k)
            used_e.add(j)
            links[id(ar_spans[k])] = english_index[id(en_spans[j])]
        for k, j, grown in _grown_to_partners(bitext, ar_spans, en_spans, used_a, used_e, tokens,
                                           [p for p in projected if p.attrs["s"] in bead["ar"]], threshold):
            used_a.add(k)
            used_e.add(j)
            replaced.add(id(ar_spans[k]))
            projected.append(grown)
            links[id(grown)] = english_index[id(en_spans[j])]
        if not project or not bead["ar"]:
            continue
        for j, target in enumerate(en_spans):
            if j in used_e:
                continue
            name = _english(bitext, target)
            context = _english_context(sentence_stems, bead, name)
            best = None
            for sid in bead["ar"]:
                sentence_tokens = tokens.get(sid, [])
                taken = {k for k, t in enumerate(sentence_tokens)
                         if any(s.start < t.end and t.start < s.end for s in ar_by_sentence[sid] + projected)}
                found = _project(sentence_tokens, taken, name, max(threshold, PROJECTION_THRESHOLD), target.label,
                                 context, sound_only=not target.attrs.get("entity"))
                if found and (best is None or found[3] > best[4]):
                    best = (sid, *found)
            if best:
                sid, first, last, prefix, _ = best
                label = _trigger_type(tokens[sid], first) or target.label
                span = mention(bitext.ar.raw, tokens[sid], first, last, label, prefix,
                               how="projected", s=sid)
                if target.attrs.get("entity"):
                    span.attrs["entity"] = target.attrs["entity"]
                projected.append(span)
                links[id(span)] = english_index[id(target)]
    kept = [s for s in arabic if (s.label != CANDIDATE or id(s) in links) and id(s) not in replaced] + projected
    final_arabic = []
    for span in kept:
        if span.label == CANDIDATE:
            partner = english[links[id(span)]]
            attrs = dict(span.attrs, how=span.attrs["how"] + "+linked")
            if partner.attrs.get("entity"):
                attrs["entity"] = partner.attrs["entity"]
            new = Span(span.parts, partner.label, None, attrs)
            if id(span) in links:
                links[id(new)] = links[id(span)]
            span = new
        if id(span) in links:
            span = _trimmed_to_partner(bitext, span, english[links[id(span)]], tokens, links)
        span = _with_adjectives(bitext, span, tokens, links)
        final_arabic.append(span)
    final_arabic += _propagate(bitext, final_arabic, links, english, tokens)
    final_arabic.sort(key=lambda s: s.start)
    english_ids = [f"en.e{k}" for k in range(1, len(english) + 1)]
    arabic_out, english_links = [], defaultdict(list)
    for number, span in enumerate(final_arabic, 1):
        attrs = dict(span.attrs)
        if id(span) in links:
            attrs["link"] = english_ids[links[id(span)]]
            english_links[links[id(span)]].append(f"ar.e{number}")
        arabic_out.append(Span(span.parts, span.label, f"ar.e{number}", attrs))
    english_out = []
    for k, span in enumerate(english):
        attrs = dict(span.attrs)
        if english_links.get(k):
            attrs["link"] = english_links[k][0]
        english_out.append(Span(span.parts, span.label, english_ids[k], attrs))
    arabic_out, english_out = _harmonize_types(arabic_out, english_out)
    _canonical_ids(bitext, arabic_out, english_out)
    return arabic_out, english_out


def _trimmed_to_partner(bitext: Bitext, span: Span, partner: Span, tokens: dict[str, list[Token]],
                        links: dict[int, int]) -> Span:
    """A place or community a trigger word found, cut after the words that sound like its
    English partner (مدينة جلجت تتوزع → جلجت, "Gilgit"): the rule takes up to two words."""
    if span.attrs.get("how") != "rule:trigger" or span.label not in ("DISTRICT_CITY", "PROVINCE", "ETHNIC_RELIGIOUS"):
        return span
    sentence = tokens.get(span.attrs["s"], [])
    covered = _covered(sentence, span)
    name = _english(bitext, partner)
    best, best_score = len(covered), name_similarity(_name_key(bitext, span), name)
    for size in range(len(covered) - 1, 0, -1):
        key = " ".join([_key_from(sentence[covered[0]], span.start)] + [sentence[k].key for k in covered[1:size]])
        if (score := name_similarity(key, name)) > best_score:
            best, best_score = size, score
    if best == len(covered):
        return span
    end = sentence[covered[best - 1]].end
    trimmed = Span(tuple((a, min(b, end)) for a, b in span.parts if a < end), span.label, span.id, dict(span.attrs))
    links[id(trimmed)] = links[id(span)]
    return trimmed


def _outside_gazetteer(span: Span) -> bool:
    return str(span.attrs.get("entity") or "local:").startswith("local:")


def _grown_to_partners(bitext: Bitext, ar_spans: list[Span], en_spans: list[Span], used_a: set[int],
                       used_e: set[int], tokens: dict[str, list[Token]], projected: list[Span], threshold: float):
    """(Arabic index, English index, grown span) for an Arabic person a rule cut short
    (النواب غازان خان and not موسى خيل, a known word) that, with up to three words after
    it, sounds like an English person left unlinked in the bead ("Ghazan Khan Musakhel").
    The caller marks each pair used before the next is made."""
    taken = {(s.attrs["s"], k) for s in ar_spans + projected for k in _covered(tokens.get(s.attrs["s"], []), s)}
    pairs = []
    for k, arabic in enumerate(ar_spans):
        if k in used_a or arabic.label != "PERSON" or not _outside_gazetteer(arabic):
            continue
        sentence = tokens.get(arabic.attrs["s"], [])
        covered = _covered(sentence, arabic)
        if not covered:
            continue
        key = _name_key(bitext, arabic)
        for j, english in enumerate(en_spans):
            if j in used_e or english.label != "PERSON" or not _outside_gazetteer(english):
                continue
            name = _english(bitext, english)
            best, best_score = None, max(threshold, name_similarity(key, name) + 1e-9)
            words = []
            for index in range(covered[-1] + 1, min(len(sentence), covered[-1] + 4)):
                token = sentence[index]
                if (arabic.attrs["s"], index) in taken or not any(c.isalpha() for c in token.key) \
                        or (token.key in ARABIC_STOP_KEYS and not is_name_particle(token)):
                    break
                words.append(token.key)
                if (score := name_similarity(" ".join([key] + words), name)) >= best_score:
                    best, best_score = index, score
            if best is not None:
                pairs.append((best_score, k, j, best))
    for _, k, j, last in sorted(pairs, reverse=True):
        if k in used_a or j in used_e:
            continue
        arabic = ar_spans[k]
        sentence = tokens[arabic.attrs["s"]]
        yield k, j, Span(_parts_to(bitext.ar.raw, arabic, sentence, last), arabic.label, None,
                         dict(arabic.attrs, how=arabic.attrs["how"] + "+grown"))


def _parts_to(raw: str, span: Span, sentence: list[Token], last: int) -> tuple[tuple[int, int], ...]:
    """The span's parts grown over the tokens after it up to ``last`` (a page break or a
    note between two tokens starts a new part, as in ``mention``)."""
    parts = [list(p) for p in span.parts]
    for token in sentence[_covered(sentence, span)[-1] + 1:last + 1]:
        if "\n" in raw[parts[-1][1]:token.start]:
            parts.append([token.start, token.end])
        else:
            parts[-1][1] = token.end
    return tuple((a, b) for a, b in parts)


def _with_adjectives(bitext: Bitext, span: Span, tokens: dict[str, list[Token]], links: dict[int, int]) -> Span:
    """An institution's name outside the gazetteer takes the definite adjectives after it
    (منظمة لمر للرعاية الاجتماعية, الهيئة الوطنية للطرق السريعة, مجلس جلجت بلتستان
    التشريعي): the English name ("Welfare", "Assembly") need not render them word for word."""
    if span.label not in ("ORG", "GROUP") or not _outside_gazetteer(span):
        return span
    sentence = tokens.get(span.attrs["s"], [])
    covered = _covered(sentence, span)
    if len(covered) < 2:
        return span
    adjective = _ADJECTIVE if sentence[covered[-1]].key.startswith("لل") else _NISBA
    last = covered[-1]
    while last + 1 < len(sentence) and last - covered[-1] < 2 and adjective.match(sentence[last + 1].key) \
            and _known_word(sentence[last + 1]):      # a word of the dictionary, not a people (السالارزاي)
        last += 1
    if last == covered[-1]:
        return span
    grown = Span(_parts_to(bitext.ar.raw, span, sentence, last), span.label, span.id, dict(span.attrs))
    if id(span) in links:
        links[id(grown)] = links[id(span)]
    return grown


#: A definite adjective (key form) after a لل phrase: الاجتماعيه، السريعه، القومي; after
#: any other name only one of relation: مجلس جلجت بلتستان التشريعي.
_ADJECTIVE = re.compile("^ال.{3,}(?:يه|ي|ه)$")
_NISBA = re.compile("^ال.{3,}(?:يه|ي)$")


def _covered(tokens: list[Token], span: Span) -> list[int]:
    """Indexes of the tokens a mention overlaps."""
    return [k for k, t in enumerate(tokens) if t.start < span.end and span.start < t.end]


def _key_from(token: Token, start: int) -> str:
    """The token's key form from raw offset ``start`` on (a mention that leaves an attached
    letter outside starts inside its first token)."""
    return token.key[sum(1 for offset in token.char_starts if offset < start):]


def _attached_prefixes(key: str) -> set[int]:
    """Lengths of the attached conjunctions and prepositions a word may start with (بجمال: 0, 1)."""
    return {len(p) for p in PROCLITICS if key.startswith(p) and len(key) - len(p) >= 3}


def _with_clitics(key: str, word: str) -> bool:
    """``key`` is ``word`` with nothing or attached conjunctions and prepositions before it."""
    return key.endswith(word) and key[:len(key) - len(word)] in PROCLITICS


def _propagate(bitext: Bitext, arabic: list[Span], links: dict[int, int], english: list[Span],
               tokens: dict[str, list[Token]]) -> list[Span]:
    """Mentions for every other occurrence of a name found somewhere in the document by
    rules, projection or linking (gazetteer names are found everywhere already), linked
    to the same English name when its bead has it. A name only of words the dictionary
    knows is not propagated: ودبي was Dubai once, دبي is not a name everywhere, and
    الدولة الإسلامية is often a part of a longer name."""
    names: dict[tuple[str, ...], Span] = {}
    for span in arabic:
        if span.attrs.get("how") == "gazetteer":
            continue
        covered = _covered(tokens.get(span.attrs["s"], []), span)
        words = [tokens[span.attrs["s"]][k] for k in covered]
        if not words or all(_known_word(t) for t in words) or len(words) == 1 and len(words[0].name) < 3:
            continue
        names.setdefault((_key_from(words[0], span.start), *(t.key for t in words[1:])), span)
    if not names:
        return []
    bead_of = {sid: bead for bead in bitext.alignment for sid in bead["ar"]}
    english_text = lambda k: _english(bitext, english[k]).lower()  # noqa: E731
    taken = defaultdict(set)
    for span in arabic:
        taken[span.attrs["s"]].update(_covered(tokens.get(span.attrs["s"], []), span))
    added = []
    longest_first = sorted(names.items(), key=lambda item: -len(item[0]))
    for sid, sentence in tokens.items():
        for first in range(len(sentence)):
            for key, source in longest_first:
                last = first + len(key) - 1
                if last >= len(sentence) or not _with_clitics(sentence[first].key, key[0]) \
                        or any(k in taken[sid] for k in range(first, last + 1)) \
                        or tuple(t.key for t in sentence[first + 1:last + 1]) != key[1:]:
                    continue
                prefix = len(sentence[first].key) - len(key[0])     # لجيش ساحل مكران: ل stays outside
                new = mention(bitext.ar.raw, sentence, first, last, source.label, prefix, how="document", s=sid)
                if source.attrs.get("entity"):
                    new.attrs["entity"] = source.attrs["entity"]
                if id(source) in links:
                    wanted = english_text(links[id(source)])
                    bead_sentences = set(bead_of.get(sid, {}).get("en", []))
                    partner = next((k for k, e in enumerate(english) if e.attrs["s"] in bead_sentences
                                    and english_text(k) == wanted), None)
                    if partner is not None:
                        links[id(new)] = partner
                taken[sid].update(range(first, last + 1))
                added.append(new)
                break
    return added


def _type_authority(span: Span) -> int:
    """How much a mention's type can be trusted: a type read from the context (a capital
    standing for its country, a describing noun: "the Orakzai tribes") > gazetteer >
    Arabic trigger word > model."""
    how = span.attrs.get("how", "")
    if "metonymy" in how or how == "rule:descriptor":
        return 4
    if how == "gazetteer":
        return 3
    if "trigger" in how or "kunya" in how or "honorific" in how or "person" in how:
        return 2
    return 1


def _harmonize_types(arabic: list[Span], english: list[Span]) -> tuple[list[Span], list[Span]]:
    """Linked mentions share one type: the one from the more trustworthy source; of two
    gazetteer entries, the English one gives type and id (an Arabic form may serve two
    names)."""
    by_id = {s.id: s for s in arabic + english}
    chosen: dict[str, str] = {}
    for span in arabic:
        partner = by_id.get(span.attrs.get("link", ""))
        if partner is None or partner.label == span.label:
            continue
        winner = span if _type_authority(span) >= _type_authority(partner) else partner
        if span.attrs.get("how") == partner.attrs.get("how") == "gazetteer":
            winner = partner      # two entries: the English spelling tells them apart (Zabol, Zabul: زابل)
            span.attrs["entity"] = partner.attrs["entity"]
        chosen[span.id] = chosen[partner.id] = winner.label
    relabel = lambda spans: [Span(s.parts, chosen.get(s.id, s.label), s.id, s.attrs) for s in spans]  # noqa: E731
    return relabel(arabic), relabel(english)


def _canonical_ids(bitext: Bitext, arabic: list[Span], english: list[Span]) -> None:
    """Names outside the gazetteer get ``local:<english-slug>`` (or the Arabic key)."""
    by_id = {s.id: s for s in english}
    for span in english:
        if not span.attrs.get("entity"):
            span.attrs["entity"] = "local:" + _slug(_english(bitext, span))
    for span in arabic:
        partner = by_id.get(span.attrs.get("link", ""))
        if partner and str(span.attrs.get("entity", "local:")).startswith("local:"):
            span.attrs["entity"] = partner.attrs["entity"]
        elif not span.attrs.get("entity"):
            span.attrs["entity"] = "local:ar:" + " ".join(_name_key(bitext, span).split())
