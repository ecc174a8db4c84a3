"""Harder copies of an aligned document, with their gold, for tuning and benchmarks.

Perturbations act on the sentence layers (the raw text is untouched): two consecutive
Arabic sentences of one block become one (as translators merge), an Arabic sentence is
dropped (its English becomes an omission), an English sentence is dropped (its Arabic
becomes an addition). The gold follows each change.
"""
from __future__ import annotations

import random
from ..document import Bitext, Side, Span
from .score import BeadIds


def _copy_side(side: Side, sentences: list[Span]) -> Side:
    copy = Side(side.lang, side.raw, side.source)
    copy.layers = dict(side.layers)
    copy.layers["sentences"] = sentences
    copy.views = side.views
    return copy


def perturb(bitext: Bitext, gold: list[BeadIds], rng: random.Random, merge: float = 0.25,
            drop_arabic: float = 0.04, drop_english: float = 0.04) -> tuple[Bitext, list[BeadIds]]:
    """A perturbed copy of ``bitext`` and the matching gold beads."""
    beads = [(list(a), list(e)) for a, e in gold]
    bead_of = {s: k for k, (a, _) in enumerate(beads) for s in a}
    arabic = list(bitext.ar.layer("sentences"))
    english = {s.id: s for s in bitext.en.layer("sentences")}
    merged: list[Span] = []
    for sentence in arabic:
        previous = merged[-1] if merged else None
        if (previous is not None and rng.random() < merge
                and previous.attrs.get("block") == sentence.attrs.get("block")
                and beads[bead_of[previous.id]][1] and beads[bead_of[sentence.id]][1]):
            first, last = bead_of[previous.id], bead_of[sentence.id]
            union_a = [s for k in range(first, last + 1) for s in beads[k][0] if s != sentence.id]
            union_e = [s for k in range(first, last + 1) for s in beads[k][1]]
            for k in range(first, last + 1):
                beads[k] = ([], [])
            beads[first] = (union_a, union_e)
            for s in union_a:
                bead_of[s] = first
            merged[-1] = Span(previous.parts + sentence.parts, "s", previous.id, previous.attrs)
            continue
        merged.append(sentence)
    arabic_kept = {s.id for s in merged}
    english_kept = set(english)
    result: list[BeadIds] = []
    for ar_ids, en_ids in beads:
        if not ar_ids and not en_ids:
            continue
        if len(ar_ids) == 1 and en_ids and rng.random() < drop_arabic:
            arabic_kept.discard(ar_ids[0])
            result.extend(((), (e,)) for e in en_ids)
        elif len(en_ids) == 1 and ar_ids and rng.random() < drop_english:
            english_kept.discard(en_ids[0])
            result.extend(((a,), ()) for a in ar_ids)
        else:
            result.append((tuple(ar_ids), tuple(en_ids)))
    ar_side = _copy_side(bitext.ar, [s for s in merged if s.id in arabic_kept])
    en_side = _copy_side(bitext.en, [s for s in bitext.en.layer("sentences") if s.id in english_kept])
    return Bitext(ar_side, en_side, bitext.meta), result
