"""Linking Arabic mentions to the English mentions they translate, and projecting names.

Within each alignment bead: an Arabic and an English mention are linked when they have
the same gazetteer id, or when their names sound alike (``name_similarity`` ≥ the
threshold validated on ANETAC, see ``scripts/eval_transliteration.py``), best pairs
first. An English name left unlinked is *projected*: the Arabic words of the bead that
sound most like it (1–4 tokens, clitics stripped) become a mention marked ``projected``.
Arabic candidates from guillemets survive only if linked. Names outside the gazetteer
get a document-level id from their English form (``local:hafiz-saeed-khan``).
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..document import Bitext, Span
from ..translit import arabic_skeleton, english_skeleton, name_similarity
from .arabic import CANDIDATE
from .tokens import Token, arabic_tokens, clitic_prefix, mention

#: Projection invents a mention from sound alone: it asks for more than linking does.
PROJECTION_THRESHOLD = 0.8
MIN_SKELETON = 4          # names with fewer consonants project only onto unknown words
MIN_SHORT_SKELETON = 3


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _name_key(bitext: Bitext, span: Span) -> str:
    return bitext.ar.view("key").span_text(span)


def _english(bitext: Bitext, span: Span) -> str:
    view = bitext.en.views.get("reading") or bitext.en.view("raw")
    return view.span_text(span)


def _similarity(bitext: Bitext, arabic: Span, english: Span) -> float:
    """Name similarity, plus 2 for the same gazetteer id (ties: the fuller English name)."""
    sound = name_similarity(_name_key(bitext, arabic), _english(bitext, english))
    if arabic.attrs.get("entity") and arabic.attrs.get("entity") == english.attrs.get("entity"):
        return 2.0 + sound + len(_english(bitext, english)) / 1000
    return sound


def _project(tokens: list[Token], taken: set[int], target: str, threshold: float
             ) -> tuple[int, int, int, float] | None:
    """The Arabic words that sound most like ``target``: (first, last, prefix, score)."""
    from ..align.features import ARABIC_STOP_KEYS
    from .arabic import _known_word
    short = len(english_skeleton(target.replace(" ", ""))) < MIN_SKELETON
    if len(english_skeleton(target.replace(" ", ""))) < MIN_SHORT_SKELETON:
        return None
    best = None
    for first in range(len(tokens)):
        for last in range(first, min(len(tokens), first + 4)):
            window = tokens[first:last + 1]
            if any(k in taken for k in range(first, last + 1)) or any(
                    not any(c.isalpha() for c in t.key) or t.key in ARABIC_STOP_KEYS for t in window):
                break
            if short and (len(window) > 1 or _known_word(window[0])):
                break  # a short name projects only onto one word the dictionary does not know
            rest = " ".join(t.key for t in window[1:])
            for prefix in sorted({0, clitic_prefix(window[0].key)}, reverse=True):
                names = (window[0].key[prefix:] + " " + rest).strip()
                if len(arabic_skeleton(names.replace(" ", ""), strip_article=False)) < MIN_SHORT_SKELETON:
                    continue
                score = name_similarity(names, target)
                if score >= threshold and (best is None or score > best[3]):
                    best = (first, last, prefix, score)
    return best


def _trigger_type(tokens: list[Token], first: int) -> str | None:
    """The type an Arabic trigger word right before a span gives it (مدينة، حركة …)."""
    from .arabic import _rules
    triggers = _rules()["triggers"]
    for index in (first - 1, first - 2):
        if 0 <= index < len(tokens) and tokens[index].key not in ("«", "»"):
            found = triggers.get(tokens[index].name) or triggers.get(tokens[index].key)
            return found[0] if found else None
    return None


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
    for bead in bitext.alignment:
        ar_spans = [s for sid in bead["ar"] for s in ar_by_sentence[sid]]
        en_spans = [s for sid in bead["en"] for s in en_by_sentence[sid]]
        if not ar_spans and not en_spans:
            continue
        scored = sorted(((_similarity(bitext, a, e), k, j) for k, a in enumerate(ar_spans)
                         for j, e in enumerate(en_spans)), reverse=True)
        used_a, used_e = set(), set()
        for score, k, j in scored:
            if score < threshold or k in used_a or j in used_e:
                continue
            used_a.add(k)
            used_e.add(j)
            links[id(ar_spans[k])] = english_index[id(en_spans[j])]
        if not project or not bead["ar"]:
            continue
        for j, target in enumerate(en_spans):
            if j in used_e:
                continue
            name = _english(bitext, target)
            best = None
            for sid in bead["ar"]:
                sentence_tokens = tokens.get(sid, [])
                taken = {k for k, t in enumerate(sentence_tokens)
                         if any(s.start < t.end and t.start < s.end for s in ar_by_sentence[sid] + projected)}
                found = _project(sentence_tokens, taken, name, max(threshold, PROJECTION_THRESHOLD))
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
    kept = [s for s in arabic if s.label != CANDIDATE or id(s) in links] + projected
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
        final_arabic.append(span)
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


def _type_authority(span: Span) -> int:
    """How much a mention's type can be trusted: a type read from the context (a capital
    standing for its country) > gazetteer > Arabic trigger word > model."""
    how = span.attrs.get("how", "")
    if "metonymy" in how:
        return 4
    if how == "gazetteer":
        return 3
    if "trigger" in how or "kunya" in how or "honorific" in how or "person" in how:
        return 2
    return 1


def _harmonize_types(arabic: list[Span], english: list[Span]) -> tuple[list[Span], list[Span]]:
    """Linked mentions share one type: the one from the more trustworthy source."""
    by_id = {s.id: s for s in arabic + english}
    chosen: dict[str, str] = {}
    for span in arabic:
        partner = by_id.get(span.attrs.get("link", ""))
        if partner is None or partner.label == span.label:
            continue
        winner = span if _type_authority(span) >= _type_authority(partner) else partner
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
