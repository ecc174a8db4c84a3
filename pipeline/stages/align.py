"""The ``align`` stage: every Arabic sentence linked to the English it translates.

Two passes. The first aligns with the dictionary, numbers, months and name skeletons;
from its confident beads an IBM-model-1 pass learns a translation table for this
document (names and terms the dictionary lacks: طالبان ~ Taliban), and the second pass
aligns again with it. Each bead gets a confidence in [0, 1] and flags: ``omission``
(English without Arabic), ``addition`` (Arabic without English, with what kind of
block it is), ``suspicious_merge``, ``low_confidence``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS

from ..align.diagnostics import link_confidence, random_cosines, unaligned_certainties, weakest_members
from ..align.dp import AlignParams, Bead, Side as DpSide, align_sides, band_around
from ..align.features import (FeatureSpace, arabic_features, arabic_sentence_words, english_features,
                              english_sentence_words, learned_features, sentence_infos)
from ..align.lexicon import arabic_stems, english_stem, load_lexicon
from ..document import Bitext
from ..registry import stage

STRUCTURE_CLASSES = {"title": 1, "heading": 1, "caption": 2, "credit": 2}


@dataclass(frozen=True)
class AlignOptions:
    """Options of ``align`` (the bead cost's weights are documented in AlignParams).

    Attributes:
        skip_cost_by_kind: cost of leaving a sentence of this block kind unaligned
            (publisher front matter, image credits and source lines are expected to
            have no counterpart).
        credit_pattern: caption sentences that are credits (``Source: …``).
        learn_passes: IBM-1 re-alignment passes after the first alignment.
        low_confidence: beads below this confidence are flagged.
        refine_margin: in long documents, how far (in sentences) a later pass may move
            from the path of the pass before.
        merge_fit_ratio: a merged bead is suspicious when one sentence fits the other
            side less than this fraction of the bead's median fit (a hidden omission
            or addition), or when the lengths disagree (P(δ) < 0.05).
    """

    bead_types: tuple[tuple[int, ...], ...] = AlignParams.bead_types
    type_penalty: float = AlignParams.type_penalty
    lexical_weight: float = AlignParams.lexical_weight
    sentence_weight: float = AlignParams.sentence_weight
    length_weight: float = AlignParams.length_weight
    length_variance: float = AlignParams.length_variance
    skip_cost: float = AlignParams.skip_cost
    cross_block_penalty: float = AlignParams.cross_block_penalty
    cross_block_penalty_en: float = AlignParams.cross_block_penalty_en
    kind_mismatch_penalty: float = AlignParams.kind_mismatch_penalty
    shared_start_bonus: float = AlignParams.shared_start_bonus
    block_end_penalty: float = AlignParams.block_end_penalty
    max_cells: int = AlignParams.max_cells
    skip_cost_by_kind: dict = field(default_factory=lambda: {"front": 0.3, "credit": 0.3})
    credit_pattern: str = r"(?i)(?:sources?|credits?|image|photo|photograph)\s*:"
    learn_passes: int = 1
    low_confidence: float = 0.4
    merge_fit_ratio: float = 0.35
    refine_margin: int = 12

    def params(self) -> AlignParams:
        names = {f.name for f in fields(AlignParams)}
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name in names}
        values["bead_types"] = tuple(tuple(t) for t in values["bead_types"])
        return AlignParams(**values)


def _dp_side(infos, bags_matrix, options: AlignOptions, repeated_titles: set[str]) -> DpSide:
    # a credit line ("Source: …") is a block of its own: the caption ends before it
    block_keys = [(i.block, i.kind == "credit") for i in infos]
    block_numbers = {b: k for k, b in enumerate(dict.fromkeys(block_keys))}
    skip = [options.skip_cost_by_kind.get("front" if i.block in repeated_titles else i.kind,
                                          options.skip_cost) for i in infos]
    return DpSide(bags_matrix,
                  np.array([max(1, i.length) for i in infos], dtype=float),
                  np.array([block_numbers[key] for key in block_keys]),
                  np.array([STRUCTURE_CLASSES.get(i.kind, 0) for i in infos]),
                  np.array(skip, dtype=float))


def learn_translations(beads: list[Bead], arabic_words: list[list[str]], english_words: list[list[str]],
                       lexicon: dict[str, frozenset[str]], iterations: int = 5, threshold: float = 0.3,
                       min_count: int = 2, max_bead: int = 6) -> dict[str, dict[str, float]]:
    """IBM model 1 over confident beads: Arabic stem -> {English stem: t(e|a)}.

    Only what the dictionary lacks is learned: Arabic words without a lexicon entry
    (names, terms, broken plurals) against English content words, in beads of at most
    ``max_bead`` sentences.
    """
    pairs = []
    for bead in beads:
        if len(bead.ar) + len(bead.en) > max_bead:
            continue
        ar = [stems[0] for i in bead.ar for w in arabic_words[i]
              if (stems := arabic_stems(w)) and not any(s in lexicon for s in stems)]
        en = [english_stem(w) for j in bead.en for w in english_words[j]
              if len(w) > 2 and w.lower() not in ENGLISH_STOP_WORDS]
        if ar and en:
            pairs.append((ar, en))
    counts_a = Counter(a for ar, _ in pairs for a in set(ar))
    t: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(iterations):
        count: dict[tuple[str, str], float] = defaultdict(float)
        total: dict[str, float] = defaultdict(float)
        for ar, en in pairs:
            for e in en:
                weights = [t[(a, e)] for a in ar]
                norm = sum(weights)
                for a, weight in zip(ar, weights):
                    share = weight / norm
                    count[(a, e)] += share
                    total[a] += share
        t = defaultdict(float, {(a, e): c / total[a] for (a, e), c in count.items()})
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, e), probability in t.items():
        if probability >= threshold and counts_a[a] >= min_count:
            table[a][e] = probability
    return dict(table)


def _length_ratio(beads: list[Bead], ar_infos, en_infos) -> float | None:
    """English/Arabic characters over confidently aligned beads (None if too few)."""
    arabic = sum(ar_infos[i].length for b in beads for i in b.ar)
    english = sum(en_infos[j].length for b in beads for j in b.en)
    return english / arabic if len(beads) >= 5 and arabic else None


def align_bitext(bitext: Bitext, options: AlignOptions) -> list[dict]:
    """Align the two sides; returns the beads as dictionaries (see the module doc)."""
    ar_side, en_side = bitext.ar, bitext.en
    ar_infos = sentence_infos(ar_side, options.credit_pattern)
    en_infos = sentence_infos(en_side, options.credit_pattern)
    ar_words = [arabic_sentence_words(ar_side, s) for s in ar_side.layer("sentences")]
    en_words = [english_sentence_words(en_side, s) for s in en_side.layer("sentences")]
    lexicon = load_lexicon()
    en_bags = [english_features(w) for w in en_words]
    repeated = {b.id for b in ar_side.layer("blocks") if b.attrs.get("repeated")}
    params = options.params()
    ar_bags = [arabic_features(w, lexicon) for w in ar_words]
    space = FeatureSpace.fit(ar_bags + en_bags)
    base_matrix, e_matrix = space.matrix(ar_bags), space.matrix(en_bags)
    a_matrix = base_matrix
    ratio = band = None
    for attempt in range(options.learn_passes + 1):
        beads = align_sides(_dp_side(ar_infos, a_matrix, options, repeated),
                            _dp_side(en_infos, e_matrix, options, set()), params, band=band, ratio=ratio)
        if (len(ar_infos) + 1) * (len(en_infos) + 1) > params.max_cells:
            # later passes refine: search near the path found, not the whole document again
            band = band_around(beads, len(ar_infos), len(en_infos), options.refine_margin)
        mean, std = random_cosines(a_matrix, e_matrix)
        confident = [b for b in beads if link_confidence(b, mean, std) >= 0.6]
        if attempt < options.learn_passes:
            learned = learn_translations(confident, ar_words, en_words, lexicon)
            a_matrix = base_matrix + space.matrix([learned_features(words, learned) for words in ar_words])
            ratio = _length_ratio(confident, ar_infos, en_infos)
    weakest = weakest_members(beads, a_matrix, e_matrix)
    unaligned = unaligned_certainties(beads, a_matrix, e_matrix, mean, std)
    return [_describe(bead, weakest[k], unaligned.get(k), ar_infos, en_infos, mean, std, options)
            for k, bead in enumerate(beads)]


def _describe(bead: Bead, weakest, unaligned_certainty, ar_infos, en_infos, mean, std,
              options: AlignOptions) -> dict:
    confidence = link_confidence(bead, mean, std) if unaligned_certainty is None else unaligned_certainty
    flags = []
    record = {"ar": [ar_infos[i].id for i in bead.ar], "en": [en_infos[j].id for j in bead.en],
              "type": f"{len(bead.ar)}-{len(bead.en)}"}
    if not bead.ar:
        flags.append("omission")
    elif not bead.en:
        flags.append("addition")
        record["addition_kind"] = ar_infos[bead.ar[0]].kind
    else:
        if len(bead.ar) + len(bead.en) >= 3:
            side, index, fit, median = weakest
            if fit < options.merge_fit_ratio * median or bead.length_p < 0.05:
                flags.append("suspicious_merge")
                record["weakest"] = (ar_infos if side == "ar" else en_infos)[index].id
        if confidence < options.low_confidence:
            flags.append("low_confidence")
    record.update(cert=confidence, cosine=round(bead.cosine, 3), length_p=round(bead.length_p, 3),
                  flags=flags)
    return record


@stage("align", requires=("ar.sentences", "en.sentences"), provides=("alignment",),
       options=AlignOptions, needs_english=True)
def align(bitext: Bitext, options: AlignOptions) -> Bitext:
    """Link every Arabic sentence with the English it translates (n-m beads)."""
    bitext.alignment = align_bitext(bitext, options)
    return bitext
