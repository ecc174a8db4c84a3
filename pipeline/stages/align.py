"""The ``align`` stage: every Arabic sentence linked to the English it translates.

Two passes. The first aligns with the dictionary, numbers, months and name skeletons;
from its confident beads an IBM-model-1 pass learns a translation table for this
document (names and terms the dictionary lacks: طالبان ~ Taliban), and the second pass
aligns again with it. Each bead gets a confidence in [0, 1] and flags: ``omission``
(English without Arabic), ``addition`` (Arabic without English, with what kind of
block it is), ``suspicious_merge``, ``low_confidence``.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields

import numpy as np

from ..align.dp import AlignParams, Bead, Side as DpSide, align_sides
from ..align.features import (arabic_features, arabic_sentence_words, english_features,
                              english_sentence_words, sentence_infos, to_matrices)
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
                       iterations: int = 5, threshold: float = 0.3, min_count: int = 2
                       ) -> dict[str, dict[str, float]]:
    """IBM model 1 over confident beads: Arabic stem -> {English stem: t(e|a)}."""
    pairs = []
    for bead in beads:
        ar = [s for i in bead.ar for w in arabic_words[i] for s in arabic_stems(w)[:1]]
        en = [english_stem(w) for j in bead.en for w in english_words[j] if len(w) > 2]
        if ar and en:
            pairs.append((ar, en))
    counts_a = Counter(a for ar, _ in pairs for a in set(ar))
    t: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(iterations):
        count: dict[tuple[str, str], float] = defaultdict(float)
        total: dict[str, float] = defaultdict(float)
        for ar, en in pairs:
            for e in en:
                norm = sum(t[(a, e)] for a in ar)
                for a in ar:
                    share = t[(a, e)] / norm
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


def _confidence(bead: Bead, random_mean: float, random_std: float) -> float:
    if not bead.ar or not bead.en:
        return 0.0
    z = (bead.cosine - random_mean) / max(random_std, 1e-6)
    lexical = 1.0 / (1.0 + math.exp(-1.5 * (z - 2.0)))
    return round(lexical * (0.6 + 0.4 * bead.length_p), 3)


def _random_cosines(a_matrix, e_matrix, seed: int = 0) -> tuple[float, float]:
    """Mean and spread of the cosine between unrelated sentences of the document."""
    n, m = a_matrix.shape[0], e_matrix.shape[0]
    if n < 2 or m < 2:
        return 0.0, 1.0
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n, 400)
    cols = (rows * m // n + rng.integers(m // 4, 3 * m // 4 + 1, 400)) % m
    dots = np.asarray(a_matrix[rows].multiply(e_matrix[cols]).sum(axis=1)).ravel()
    norms = np.sqrt(np.asarray(a_matrix[rows].multiply(a_matrix[rows]).sum(axis=1)).ravel()
                    * np.asarray(e_matrix[cols].multiply(e_matrix[cols]).sum(axis=1)).ravel())
    cosines = np.where(norms > 0, dots / np.where(norms > 0, norms, 1), 0)
    return float(cosines.mean()), float(cosines.std() or 1.0)


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
    learned: dict[str, dict[str, float]] | None = None
    ratio = None
    for attempt in range(options.learn_passes + 1):
        ar_bags = [arabic_features(w, lexicon, learned) for w in ar_words]
        a_matrix, e_matrix = to_matrices(ar_bags, en_bags)
        beads = align_sides(_dp_side(ar_infos, a_matrix, options, repeated),
                            _dp_side(en_infos, e_matrix, options, set()), params, ratio=ratio)
        mean, std = _random_cosines(a_matrix, e_matrix)
        confident = [b for b in beads if _confidence(b, mean, std) >= 0.6]
        if attempt < options.learn_passes:
            learned = learn_translations(confident, ar_words, en_words)
            ratio = _length_ratio(confident, ar_infos, en_infos)
    records = [_describe(b, ar_infos, en_infos, mean, std, options, a_matrix, e_matrix) for b in beads]
    for k, bead in enumerate(beads):
        if not bead.ar or not bead.en:
            records[k]["cert"] = _unaligned_certainty(k, beads, a_matrix, e_matrix, mean, std)
    return records


def _unaligned_certainty(k: int, beads: list[Bead], a_matrix, e_matrix, mean: float, std: float) -> float:
    """How sure an unaligned sentence has no partner: 1 − the best fit with a neighbour."""
    bead = beads[k]
    if bead.ar:
        own, own_matrix, other_matrix = bead.ar[0], a_matrix, e_matrix
    else:
        own, own_matrix, other_matrix = bead.en[0], e_matrix, a_matrix
    others: list[int] = []
    for neighbour in beads[max(0, k - 2): k + 3]:
        others.extend(neighbour.en if bead.ar else neighbour.ar)
    if not others:
        return 1.0
    row = own_matrix[own]
    candidates = other_matrix[others]
    dots = np.asarray((candidates @ row.T).todense()).ravel()
    norms = np.sqrt(np.asarray(candidates.multiply(candidates).sum(axis=1)).ravel() * row.multiply(row).sum())
    best = float(np.max(np.where(norms > 0, dots / np.where(norms > 0, norms, 1), 0)))
    z = (best - mean) / max(std, 1e-6)
    return round(1.0 - 1.0 / (1.0 + math.exp(-1.5 * (z - 2.0))), 3)


def _weakest_member(bead: Bead, a_matrix, e_matrix) -> tuple[str, int, float, float]:
    """The bead sentence that fits the other side worst: (side, index, fit, median fit)."""
    arabic_sum = np.asarray(a_matrix[list(bead.ar)].sum(axis=0)).ravel()
    english_sum = np.asarray(e_matrix[list(bead.en)].sum(axis=0)).ravel()
    fits = []
    for side, indices, matrix, other in (("ar", bead.ar, a_matrix, english_sum),
                                         ("en", bead.en, e_matrix, arabic_sum)):
        other_norm = np.linalg.norm(other)
        for index in indices:
            row = matrix[index].toarray().ravel()
            norm = np.linalg.norm(row) * other_norm
            fits.append((float(row @ other / norm) if norm else 0.0, side, index))
    fit, side, index = min(fits)
    return side, index, fit, float(np.median([f for f, _, _ in fits]))


def _describe(bead: Bead, ar_infos, en_infos, mean, std, options: AlignOptions, a_matrix, e_matrix) -> dict:
    confidence = _confidence(bead, mean, std)
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
            side, index, fit, median = _weakest_member(bead, a_matrix, e_matrix)
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
