"""Monotone bead alignment by dynamic programming over a band.

Cells are ``(i, j)``: the first ``i`` Arabic and ``j`` English sentences are aligned. A
bead ``(a, b)`` ending at ``(i, j)`` covers Arabic ``i-a … i-1`` and English ``j-b … j-1``.
Only cells inside a band ``lo[i] <= j <= hi[i]`` are computed; for long documents the
band comes from a coarse alignment of groups of sentences (coarse-to-fine, as Vecalign
does), so time and memory grow linearly with length. Each row is computed with numpy;
0-1 beads inside a row use a running minimum.

Bead similarity is the cosine of the summed feature vectors, computed from pairwise dot
products: ``(Σ_p a_p)·(Σ_q e_q) = Σ_p Σ_q a_p·e_q``, so no bead vector is ever built.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import log_ndtr

INF = np.inf


@dataclass(frozen=True)
class AlignParams:
    """Weights of the bead cost (documented in the README; tuned on the tuning corpus).

    Attributes:
        bead_types: allowed ``(arabic, english)`` bead sizes.
        type_penalty: extra cost per bead for each size beyond 1-1, by total sentences.
        lexical_weight: weight of ``(1 - cosine) × sentences in the bead``.
        sentence_weight: weight of ``Σ (1 - cosine of each sentence with the other
            side's group)``: every sentence pays once for how badly it fits its partner.
        length_weight: weight of the Gale–Church length cost ``-log P(δ)``.
        length_variance: Gale–Church's s² (variance of the English/Arabic length ratio).
        skip_cost: cost of leaving one sentence unaligned (0-1 or 1-0).
        cross_block_penalty: cost when a bead's Arabic sentences come from two blocks.
        cross_block_penalty_en: the same for the English side (translators merge
            paragraphs, so it is lower).
        kind_mismatch_penalty: cost of pairing a heading/title/caption with body text.
        shared_start_bonus: cost reduction when a bead starts a block on both sides.
        block_end_penalty: cost when a bead ends an Arabic block but not an English one.
        max_cells: above this many cells, align coarse groups first and band around them.
    """

    bead_types: tuple[tuple[int, int], ...] = (
        (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2),
        (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 4))
    type_penalty: float = 0.15
    lexical_weight: float = 0.5
    sentence_weight: float = 0.5
    length_weight: float = 0.3
    length_variance: float = 6.8
    skip_cost: float = 1.2
    cross_block_penalty: float = 1.0
    cross_block_penalty_en: float = 0.15
    kind_mismatch_penalty: float = 2.0
    shared_start_bonus: float = 0.3
    block_end_penalty: float = 0.5
    max_cells: int = 2_000_000


@dataclass
class Side:
    """One side's sentences as the DP sees them."""

    vectors: sparse.csr_matrix
    lengths: np.ndarray          # characters per sentence
    blocks: np.ndarray           # block number per sentence
    classes: np.ndarray          # 0 text, 1 title/heading, 2 caption
    skip: np.ndarray             # cost of leaving each sentence unaligned
    block_start: np.ndarray = field(init=False)
    block_end: np.ndarray = field(init=False)
    class_changes: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        # class_changes[k] = how many sentences before k differ in class from their predecessor
        changed = np.zeros(len(self.classes) + 1, dtype=np.int64)
        if len(self.classes) > 1:
            changed[2:] = np.cumsum(self.classes[1:] != self.classes[:-1])
        self.class_changes = changed
        self.block_start = np.ones(len(self.blocks), dtype=bool)
        self.block_end = np.ones(len(self.blocks), dtype=bool)
        if len(self.blocks) > 1:
            self.block_start[1:] = self.blocks[1:] != self.blocks[:-1]
            self.block_end[:-1] = self.block_start[1:]

    def __len__(self) -> int:
        return self.vectors.shape[0]


@dataclass
class Bead:
    """One link of the alignment: Arabic and English sentence index ranges."""

    ar: tuple[int, ...]
    en: tuple[int, ...]
    cost: float
    cosine: float = 0.0
    length_p: float = 1.0


def _group_norms(vectors: sparse.csr_matrix, max_group: int) -> list[np.ndarray]:
    """``norms[g][i]`` = squared norm of the sum of rows ``i-g … i-1`` (g ≥ 1)."""
    n = vectors.shape[0]
    near = []  # near[d][p] = row p · row p+d
    for d in range(max_group):
        if d >= n:
            near.append(np.zeros(0))
            continue
        product = vectors[: n - d].multiply(vectors[d:]).sum(axis=1)
        near.append(np.asarray(product).ravel())
    cumulative = [np.concatenate([[0.0], np.cumsum(x)]) for x in near]
    norms = [np.zeros(n + 1)]
    for g in range(1, max_group + 1):
        total = np.zeros(n + 1)
        ends = np.arange(g, n + 1)
        for d in range(g):
            # pairs (p, p+d) with i-g <= p and p+d <= i-1
            starts = ends - g
            stops = ends - d
            if d < len(cumulative) and len(cumulative[d]) > 1:
                sums = cumulative[d][np.minimum(stops, len(cumulative[d]) - 1)] - cumulative[d][starts]
                total[ends] += sums if d == 0 else 2 * sums
        norms.append(total)
    return norms


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)) @ matrix


class _Band:
    """Which English positions each Arabic row may use, and the dot products there.

    Three products are kept, as cumulative sums along each row: plain ``a·e`` (bead
    cosine), ``a·ê`` (each English sentence against the Arabic group) and ``â·e`` (each
    Arabic sentence against the English group), where ``^`` is a unit-length row.
    """

    def __init__(self, lo: np.ndarray, hi: np.ndarray, ar: Side, en: Side, max_a: int, max_b: int):
        n, m = len(ar), len(en)
        self.lo, self.hi = lo, hi
        self.width = int((hi - lo).max()) + 1
        # Dot products for Arabic row p are needed at English q in [dlo[p], dhi[p]).
        dlo = np.empty(n, dtype=np.int64)
        dhi = np.empty(n, dtype=np.int64)
        for p in range(n):
            rows = slice(p + 1, min(n, p + max_a) + 1)
            dlo[p] = max(0, int(lo[rows].min()) - max_b)
            dhi[p] = min(m, int(hi[rows].max()))
        self.dlo = dlo
        self.dwidth = int(max(1, (dhi - dlo).max()))
        products = ((ar.vectors, en.vectors), (ar.vectors, _unit_rows(en.vectors)),
                    (_unit_rows(ar.vectors), en.vectors))
        # cumulative[k][p, t] = sum of product k of (p, q) for q in [dlo[p], dlo[p] + t)
        self.cumulative = [np.zeros((n, self.dwidth + 1)) for _ in products]
        chunk = 256
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            q0, q1 = int(dlo[start:stop].min()), int(dhi[start:stop].max())
            if q1 <= q0:
                continue
            for cumulative, (left, right) in zip(self.cumulative, products):
                block = (left[start:stop] @ right[q0:q1].T).toarray()
                for p in range(start, stop):
                    a, b = int(dlo[p]) - q0, int(dhi[p]) - q0
                    if b > a:
                        cumulative[p, 1: b - a + 1] = np.cumsum(block[p - start, a:b])
                        cumulative[p, b - a + 1:] = cumulative[p, b - a]

    def dot_sums(self, p: int, j_end: np.ndarray, b: int) -> tuple[list[np.ndarray], np.ndarray]:
        """Σ_{q=j-b}^{j-1} of each product of (p, q) for each j in ``j_end``, and where known."""
        t_hi = j_end - self.dlo[p]
        t_lo = t_hi - b
        valid = (t_lo >= 0) & (t_hi <= self.dwidth)
        t_hi_c = np.clip(t_hi, 0, self.dwidth)
        t_lo_c = np.clip(t_lo, 0, self.dwidth)
        return [c[p, t_hi_c] - c[p, t_lo_c] for c in self.cumulative], valid


def _length_cost(la: np.ndarray, lb: np.ndarray, ratio: float, variance: float) -> tuple[np.ndarray, np.ndarray]:
    """Gale–Church: ``-log P(|δ|)`` and ``P`` for Arabic and English lengths."""
    delta = (lb - la * ratio) / np.sqrt(np.maximum(la, 1.0) * variance)
    log_p = math.log(2.0) + log_ndtr(-np.abs(delta))
    return -log_p, np.exp(log_p)


def align_sides(ar: Side, en: Side, params: AlignParams = AlignParams(),
                band: tuple[np.ndarray, np.ndarray] | None = None, ratio: float | None = None) -> list[Bead]:
    """The cheapest monotone bead sequence covering both sides.

    ``ratio`` is the expected English/Arabic length ratio (default: the documents').
    """
    n, m = len(ar), len(en)
    if n == 0 or m == 0:
        return [Bead((i,), (), float(ar.skip[i])) for i in range(n)] + \
               [Bead((), (j,), float(en.skip[j])) for j in range(m)]
    types = [t for t in params.bead_types if t != (0, 0)]
    max_a = max(a for a, _ in types)
    max_b = max(b for _, b in types)
    if band is None:
        band = _full_band(n, m) if (n + 1) * (m + 1) <= params.max_cells else _coarse_band(ar, en, params)
    lo, hi = band
    grid = _Band(lo, hi, ar, en, max_a, max_b)
    norms_a = _group_norms(ar.vectors, max_a)
    norms_e = _group_norms(en.vectors, max_b)
    length_a = np.concatenate([[0.0], np.cumsum(ar.lengths)])
    length_e = np.concatenate([[0.0], np.cumsum(en.lengths)])
    skip_e = np.concatenate([[0.0], np.cumsum(en.skip)])
    if ratio is None:
        ratio = max(length_e[-1], 1.0) / max(length_a[-1], 1.0)

    width = grid.width
    cost = np.full((n + 1, width), INF)
    back = np.full((n + 1, width), -1, dtype=np.int16)   # index into types
    type_index = {t: k for k, t in enumerate(types)}
    skip_en_type = type_index.get((0, 1), -1)

    for i in range(n + 1):
        js = lo[i] + np.arange(width)
        in_row = js <= hi[i]
        best = np.full(width, INF)
        best_type = np.full(width, -1, dtype=np.int16)
        if i == 0:
            best[0] = 0.0
        for k, (a, b) in enumerate(types):
            if a == 0 or i - a < 0 or b > m:
                continue
            source = js - b - lo[i - a]
            valid = in_row & (source >= 0) & (source <= hi[i - a] - lo[i - a]) & (js - b >= 0)
            previous = np.where(valid, cost[i - a, np.clip(source, 0, width - 1)], INF)
            if b == 0:
                step = np.full(width, float(ar.skip[i - a: i].sum()))
            else:
                step = _bead_cost(i, js, a, b, grid, norms_a, norms_e, length_a, length_e,
                                  ratio, ar, en, params, valid)
            total = previous + step
            better = total < best
            best = np.where(better, total, best)
            best_type = np.where(better, k, best_type)
        # 0-1 beads within the row: cost[j] = min_k best[k] + skip(k..j-1)
        if skip_en_type >= 0:
            offset = skip_e[np.clip(js, 0, m)]
            shifted = np.where(in_row, best - offset, INF)
            running = np.minimum.accumulate(shifted)
            from_left = running < shifted
            row_cost = np.where(in_row, running + offset, INF)
            best_type = np.where(from_left, skip_en_type, best_type)
            best = row_cost
        cost[i] = np.where(in_row, best, INF)
        back[i] = best_type

    return _trace(cost, back, types, lo, n, m, ar, en, grid, norms_a, norms_e, length_a, length_e,
                  ratio, params)


def _bead_cost(i, js, a, b, grid, norms_a, norms_e, length_a, length_e, ratio, ar, en, params, valid,
               details=False):
    dot = np.zeros(len(js))
    en_to_group = np.zeros(len(js))
    ar_to_group = np.zeros(len(js))
    known = valid.copy()
    for p in range(i - a, i):
        (plain, en_unit, ar_unit), ok = grid.dot_sums(p, js, b)
        dot += plain
        en_to_group += en_unit
        ar_to_group += ar_unit
        known &= ok
    js_c = np.clip(js, b, len(en))
    norm_e = np.sqrt(norms_e[b][js_c])
    norm_a = math.sqrt(norms_a[a][i])
    cosine = _safe_divide(dot, norm_a * norm_e)
    # each sentence against the other side's group: Σ_q cos(e_q, A) + Σ_p cos(a_p, E)
    sentence_fit = _safe_divide(en_to_group, np.full(len(js), norm_a)) + _safe_divide(ar_to_group, norm_e)
    la = length_a[i] - length_a[i - a]
    lb = length_e[js_c] - length_e[js_c - b]
    length_cost, length_p = _length_cost(la, lb, ratio, params.length_variance)
    cost = (params.lexical_weight * (1.0 - cosine) * (a + b)
            + params.sentence_weight * ((a + b) - sentence_fit)
            + params.length_weight * np.minimum(length_cost, 25.0)
            + params.type_penalty * (a + b - 2))
    # structure: blocks and kinds
    first_a = i - a
    if a > 1 and ar.blocks[i - 1] != ar.blocks[first_a]:
        cost = cost + params.cross_block_penalty
    first_e = js_c - b
    last_e = js_c - 1
    if b > 1:
        cost = cost + params.cross_block_penalty_en * (en.blocks[last_e] != en.blocks[first_e])
    mixed_e = (en.class_changes[js_c] - en.class_changes[first_e + 1]) > 0
    mixed_a = (ar.class_changes[i] - ar.class_changes[first_a + 1]) > 0
    mismatch = (en.classes[first_e] != ar.classes[first_a]) | mixed_e | mixed_a
    cost = cost + params.kind_mismatch_penalty * mismatch
    cost = cost - params.shared_start_bonus * (en.block_start[first_e] & ar.block_start[first_a])
    # an Arabic paragraph rarely ends inside an English one: translators merge paragraphs
    cost = cost + params.block_end_penalty * (ar.block_end[i - 1] & ~en.block_end[last_e])
    cost = np.where(known, cost, INF)
    if details:
        return cost, cosine, length_p
    return cost


def _safe_divide(numerator: np.ndarray, denominator) -> np.ndarray:
    denominator = np.asarray(denominator, dtype=float)
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)


def _trace(cost, back, types, lo, n, m, ar, en, grid, norms_a, norms_e, length_a, length_e, ratio, params):
    i, j = n, m
    if not np.isfinite(cost[n, m - lo[n]]):
        raise RuntimeError("no alignment path inside the band (a bug: please report it)")
    beads: list[Bead] = []
    while i > 0 or j > 0:
        k = int(back[i, j - lo[i]])
        a, b = types[k]
        if a and b:
            value, cosine, length_p = _bead_cost(i, np.array([j]), a, b, grid, norms_a, norms_e, length_a,
                                                 length_e, ratio, ar, en, params, np.array([True]), details=True)
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(value[0]),
                              float(cosine[0]), float(length_p[0])))
        else:
            skipped = float(ar.skip[i - 1]) if a else float(en.skip[j - 1])
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), skipped))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _coarse_band(ar: Side, en: Side, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """A band around the alignment of groups of ``k`` sentences on each side."""
    n, m = len(ar), len(en)
    k = max(2, math.ceil(math.sqrt((n + 1) * (m + 1) / (params.max_cells / 4))))
    coarse_a, coarse_e = _coarsen(ar, k), _coarsen(en, k)
    coarse_params = AlignParams(bead_types=((0, 1), (1, 0), (1, 1), (1, 2), (2, 1)),
                                max_cells=params.max_cells, skip_cost=params.skip_cost,
                                kind_mismatch_penalty=0.0, cross_block_penalty=0.0,
                                cross_block_penalty_en=0.0, shared_start_bonus=0.0)
    beads = align_sides(coarse_a, coarse_e, coarse_params)
    margin = 2 * k + 8
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    position_e = 0
    for bead in beads:
        a_rows = range(bead.ar[0] * k, min(n, (bead.ar[-1] + 1) * k) + 1) if bead.ar else \
            range(min(n, position_e and 0), 0)
        e_from = bead.en[0] * k if bead.en else position_e
        e_to = min(m, (bead.en[-1] + 1) * k) if bead.en else position_e
        if bead.ar:
            for i in a_rows:
                lo[i] = min(lo[i], e_from)
                hi[i] = max(hi[i], e_to)
        position_e = e_to
    # rows the coarse path did not touch take their neighbours' range
    for i in range(n + 1):
        if lo[i] > hi[i]:
            lo[i], hi[i] = (lo[i - 1], hi[i - 1]) if i else (0, 0)
    lo = np.maximum(0, lo - margin)
    hi = np.minimum(m, hi + margin)
    lo = np.minimum.accumulate(lo[::-1])[::-1]     # non-decreasing from the end
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def _coarsen(side: Side, k: int) -> Side:
    n = len(side)
    groups = np.arange(n) // k
    count = int(groups[-1]) + 1
    summing = sparse.csr_matrix((np.ones(n), (groups, np.arange(n))), shape=(count, n))
    lengths = np.bincount(groups, weights=side.lengths, minlength=count)
    skip = np.bincount(groups, weights=side.skip, minlength=count)
    return Side(summing @ side.vectors, lengths, np.arange(count), np.zeros(count, dtype=np.int64), skip)
