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
        coarse_factor: about how many sentences a coarse group holds.
        max_coarse_cells: the coarse alignment searches everything up to this many
            cells, and recurses (coarser groups, a band) above it.
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
    max_cells: int = 400_000
    coarse_factor: float = 8.0
    max_coarse_cells: int = 4_000_000


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

    def __init__(self, lo: np.ndarray, hi: np.ndarray, ar: Side, en: Side, max_a: int, max_b: int,
                 with_sentence_fit: bool = True):
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
        products = [(ar.vectors, en.vectors)]
        if with_sentence_fit:
            products += [(ar.vectors, _unit_rows(en.vectors)), (_unit_rows(ar.vectors), en.vectors)]
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

    def dot_sums(self, p: np.ndarray, j_end: np.ndarray, b: int) -> tuple[list[np.ndarray], np.ndarray]:
        """Σ_{q=j-b}^{j-1} of each product of (p[r], q) for each j in row r of ``j_end``."""
        t_hi = j_end - self.dlo[p][:, None]
        t_lo = t_hi - b
        valid = (t_lo >= 0) & (t_hi <= self.dwidth)
        t_hi_c = np.clip(t_hi, 0, self.dwidth)
        t_lo_c = np.clip(t_lo, 0, self.dwidth)
        rows = p[:, None]
        sums = [c[rows, t_hi_c] - c[rows, t_lo_c] for c in self.cumulative]
        while len(sums) < 3:
            sums.append(np.zeros(t_hi.shape))
        return sums, valid


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
    grid = _Band(lo, hi, ar, en, max_a, max_b, with_sentence_fit=params.sentence_weight > 0)
    norms_a = _group_norms(ar.vectors, max_a)
    norms_e = _group_norms(en.vectors, max_b)
    length_a = np.concatenate([[0.0], np.cumsum(ar.lengths)])
    length_e = np.concatenate([[0.0], np.cumsum(en.lengths)])
    skip_e = np.concatenate([[0.0], np.cumsum(en.skip)])
    skip_a = np.concatenate([[0.0], np.cumsum(ar.skip)])
    if ratio is None:
        ratio = max(length_e[-1], 1.0) / max(length_a[-1], 1.0)

    width = grid.width
    offsets = np.arange(width)
    # Bead costs do not depend on the search: compute them for every cell at once.
    stacked = [(k, a, b) for k, (a, b) in enumerate(types) if a > 0 and b <= m and a <= n]
    steps = np.full((len(stacked), n + 1, width), INF, dtype=np.float32)
    for t, (k, a, b) in enumerate(stacked):
        for chunk in range(a, n + 1, 2048):           # bounded temporaries
            rows = np.arange(chunk, min(n + 1, chunk + 2048))
            columns = lo[rows][:, None] + offsets
            valid = ((columns <= hi[rows][:, None]) & (columns - b >= lo[rows - a][:, None])
                     & (columns - b <= hi[rows - a][:, None]) & (columns - b >= 0))
            if b == 0:
                steps[t, rows] = np.where(valid, (skip_a[rows] - skip_a[rows - a])[:, None], INF)
            else:
                steps[t, rows] = _bead_cost(rows, columns, a, b, grid, norms_a, norms_e, length_a,
                                            length_e, ratio, ar, en, params, valid)
    type_of = np.array([k for k, _, _ in stacked], dtype=np.int16)
    a_of = np.array([a for _, a, _ in stacked])
    b_of = np.array([b for _, _, b in stacked])

    cost = np.full((n + 1, width), INF)
    back = np.full((n + 1, width), -1, dtype=np.int16)   # index into types
    skip_en_type = {t: k for k, t in enumerate(types)}.get((0, 1), -1)
    columns_all = np.arange(width)
    for i in range(n + 1):
        js = lo[i] + offsets
        in_row = js <= hi[i]
        source_rows = np.maximum(i - a_of, 0)
        source_columns = np.clip(js[None, :] - b_of[:, None] - lo[source_rows][:, None], 0, width - 1)
        total = cost[source_rows[:, None], source_columns] + steps[:, i, :]
        total[a_of > i] = INF
        choice = total.argmin(axis=0)
        best = total[choice, columns_all]
        best_type = np.where(np.isfinite(best), type_of[choice], -1).astype(np.int16)
        if i == 0:
            best[0], best_type[0] = 0.0, -1
        # 0-1 beads within the row: cost[j] = min_k best[k] + skip(k..j-1)
        if skip_en_type >= 0:
            offset = skip_e[np.clip(js, 0, m)]
            shifted = np.where(in_row, best - offset, INF)
            running = np.minimum.accumulate(shifted)
            from_left = running < shifted
            best_type = np.where(from_left, skip_en_type, best_type)
            best = np.where(in_row, running + offset, INF)
        cost[i] = np.where(in_row, best, INF)
        back[i] = best_type

    return _trace(cost, back, types, lo, n, m, ar, en, grid, norms_a, norms_e, length_a, length_e,
                  ratio, params)


def _bead_cost(rows, columns, a, b, grid, norms_a, norms_e, length_a, length_e, ratio, ar, en, params,
               valid, details=False):
    """Costs of bead (a, b) ending at cells (rows[r], columns[r, c]); INF where not valid."""
    dot = np.zeros(columns.shape)
    en_to_group = np.zeros(columns.shape)
    ar_to_group = np.zeros(columns.shape)
    known = valid.copy()
    for r in range(a):
        (plain, en_unit, ar_unit), ok = grid.dot_sums(rows - a + r, columns, b)
        dot += plain
        en_to_group += en_unit
        ar_to_group += ar_unit
        known &= ok
    columns_c = np.clip(columns, b, len(en))
    norm_e = np.sqrt(norms_e[b][columns_c])
    norm_a = np.sqrt(norms_a[a][rows])[:, None]
    cosine = _safe_divide(dot, norm_a * norm_e)
    # each sentence against the other side's group: Σ_q cos(e_q, A) + Σ_p cos(a_p, E)
    sentence_fit = _safe_divide(en_to_group, np.broadcast_to(norm_a, columns.shape)) + _safe_divide(ar_to_group, norm_e)
    la = (length_a[rows] - length_a[rows - a])[:, None]
    lb = length_e[columns_c] - length_e[columns_c - b]
    length_cost, length_p = _length_cost(la, lb, ratio, params.length_variance)
    cost = (params.lexical_weight * (1.0 - cosine) * (a + b)
            + params.sentence_weight * ((a + b) - sentence_fit)
            + params.length_weight * np.minimum(length_cost, 25.0)
            + params.type_penalty * (a + b - 2))
    # structure: blocks and kinds
    first_a = rows - a
    last_a = rows - 1
    if a > 1:
        cost = cost + params.cross_block_penalty * (ar.blocks[last_a] != ar.blocks[first_a])[:, None]
    first_e = columns_c - b
    last_e = columns_c - 1
    if b > 1:
        cost = cost + params.cross_block_penalty_en * (en.blocks[last_e] != en.blocks[first_e])
    mixed_e = (en.class_changes[columns_c] - en.class_changes[first_e + 1]) > 0
    mixed_a = ((ar.class_changes[rows] - ar.class_changes[first_a + 1]) > 0)[:, None]
    mismatch = (en.classes[first_e] != ar.classes[first_a][:, None]) | mixed_e | mixed_a
    cost = cost + params.kind_mismatch_penalty * mismatch
    cost = cost - params.shared_start_bonus * (en.block_start[first_e] & ar.block_start[first_a][:, None])
    # an Arabic paragraph rarely ends inside an English one: translators merge paragraphs
    cost = cost + params.block_end_penalty * (ar.block_end[last_a][:, None] & ~en.block_end[last_e])
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
    path: list[tuple[int, int, int, int]] = []
    while i > 0 or j > 0:
        a, b = types[int(back[i, j - lo[i]])]
        path.append((i, j, a, b))
        i, j = i - a, j - b
    path.reverse()
    details: dict[int, tuple[float, float, float]] = {}
    for a, b in {(a, b) for _, _, a, b in path if a and b}:
        members = [k for k, (_, _, x, y) in enumerate(path) if (x, y) == (a, b)]
        rows = np.array([path[k][0] for k in members])
        columns = np.array([[path[k][1]] for k in members])
        value, cosine, length_p = _bead_cost(rows, columns, a, b, grid, norms_a, norms_e, length_a, length_e,
                                             ratio, ar, en, params, np.ones(columns.shape, bool), details=True)
        for row, k in enumerate(members):
            details[k] = (float(value[row, 0]), float(cosine[row, 0]), float(length_p[row, 0]))
    beads = []
    for k, (i, j, a, b) in enumerate(path):
        if a and b:
            value, cosine, length_p = details[k]
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), value, cosine, length_p))
        else:
            skipped = float(ar.skip[i - 1]) if a else float(en.skip[j - 1])
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), skipped))
    return beads


def band_around(beads: list[Bead], n: int, m: int, margin: int) -> tuple[np.ndarray, np.ndarray]:
    """A band of ``margin`` sentences around an earlier alignment's path."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    lo[0] = hi[0] = 0
    for bead in beads:
        start_j = j
        i, j = i + len(bead.ar), j + len(bead.en)
        for row in range(i - len(bead.ar), i + 1):
            lo[row] = min(lo[row], start_j)
            hi[row] = max(hi[row], j)
    lo = np.maximum(0, lo - margin)
    hi = np.minimum(m, hi + margin)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _coarse_band(ar: Side, en: Side, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """A band around the alignment of groups of sentences (Vecalign's coarse-to-fine).

    Groups hold ``k_a`` Arabic and ``k_e`` English sentences, in the ratio of the two
    sides' sentence counts, so that a coarse 1-1 bead is the common case.
    """
    n, m = len(ar), len(en)
    k_a = max(1, round(params.coarse_factor * math.sqrt(n / m)))
    k_e = max(1, round(params.coarse_factor * math.sqrt(m / n)))
    coarse_a, coarse_e = _coarsen(ar, k_a), _coarsen(en, k_e)
    coarse_params = AlignParams(bead_types=((0, 1), (1, 0), (1, 1), (1, 2), (2, 1)), sentence_weight=0.0,
                                lexical_weight=params.lexical_weight + params.sentence_weight,
                                max_cells=params.max_cells, max_coarse_cells=params.max_coarse_cells,
                                coarse_factor=params.coarse_factor, skip_cost=params.skip_cost,
                                kind_mismatch_penalty=0.0, cross_block_penalty=0.0,
                                cross_block_penalty_en=0.0, shared_start_bonus=0.0, block_end_penalty=0.0)
    coarse_cells = (len(coarse_a) + 1) * (len(coarse_e) + 1)
    full = _full_band(len(coarse_a), len(coarse_e)) if coarse_cells <= params.max_coarse_cells else None
    beads = align_sides(coarse_a, coarse_e, coarse_params, band=full)
    margin = 2 * max(k_a, k_e) + max(b for _, b in params.bead_types) + 4
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    position_a = position_e = 0
    for bead in beads:
        a_from, e_from = position_a, position_e
        if bead.ar:
            position_a = min(n, (bead.ar[-1] + 1) * k_a)
        if bead.en:
            position_e = min(m, (bead.en[-1] + 1) * k_e)
        for i in range(a_from, position_a + 1):
            lo[i] = min(lo[i], e_from)
            hi[i] = max(hi[i], position_e)
    lo = np.maximum(0, lo - margin)
    hi = np.minimum(m, hi + margin)
    lo = np.minimum.accumulate(lo[::-1])[::-1]     # non-decreasing
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
