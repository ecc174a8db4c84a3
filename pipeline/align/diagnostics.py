"""After the search: how sure each link is, and which merged sentence fits worst.

All computed at once for every bead with sparse matrix products (a book has thousands).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse

from .dp import Bead


def _row_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())


def _rowwise_cosine(left: sparse.csr_matrix, right: sparse.csr_matrix) -> np.ndarray:
    dots = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    norms = _row_norms(left) * _row_norms(right)
    return np.where(norms > 0, dots / np.where(norms > 0, norms, 1.0), 0.0)


def random_cosines(a_matrix, e_matrix, seed: int = 0) -> tuple[float, float]:
    """Mean and spread of the cosine between unrelated sentences of the document."""
    n, m = a_matrix.shape[0], e_matrix.shape[0]
    if n < 2 or m < 2:
        return 0.0, 1.0
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n, 400)
    cols = (rows * m // n + rng.integers(m // 4, 3 * m // 4 + 1, 400)) % m
    cosines = _rowwise_cosine(a_matrix[rows], e_matrix[cols])
    return float(cosines.mean()), float(cosines.std() or 1.0)


def link_confidence(bead: Bead, random_mean: float, random_std: float) -> float:
    """Confidence of a link from its cosine (against unrelated pairs) and its lengths."""
    if not bead.ar or not bead.en:
        return 0.0
    return round(_surprise(bead.cosine, random_mean, random_std) * (0.6 + 0.4 * bead.length_p), 3)


def _surprise(cosine: float, mean: float, std: float) -> float:
    z = (cosine - mean) / max(std, 1e-6)
    return 1.0 / (1.0 + math.exp(-1.5 * (z - 2.0)))


def weakest_members(beads: list[Bead], a_matrix, e_matrix) -> list[tuple[str, int, float, float] | None]:
    """Per bead with both sides: (side, index, fit, median fit) of its worst-fitting sentence.

    A sentence's fit is its cosine with the sum of the other side of its bead.
    """
    both = [k for k, b in enumerate(beads) if b.ar and b.en]
    result: list[tuple[str, int, float, float] | None] = [None] * len(beads)
    if not both:
        return result
    ar_rows = [i for k in both for i in beads[k].ar]
    en_rows = [j for k in both for j in beads[k].en]
    ar_bead = np.repeat(np.arange(len(both)), [len(beads[k].ar) for k in both])
    en_bead = np.repeat(np.arange(len(both)), [len(beads[k].en) for k in both])
    ar_sums = sparse.csr_matrix((np.ones(len(ar_rows)), (ar_bead, ar_rows)), shape=(len(both), a_matrix.shape[0])) @ a_matrix
    en_sums = sparse.csr_matrix((np.ones(len(en_rows)), (en_bead, en_rows)), shape=(len(both), e_matrix.shape[0])) @ e_matrix
    ar_fit = _rowwise_cosine(a_matrix[ar_rows], en_sums[ar_bead])
    en_fit = _rowwise_cosine(e_matrix[en_rows], ar_sums[en_bead])
    fits: dict[int, list[tuple[float, str, int]]] = {}
    for fit, bead, row in zip(ar_fit, ar_bead, ar_rows):
        fits.setdefault(int(bead), []).append((float(fit), "ar", row))
    for fit, bead, row in zip(en_fit, en_bead, en_rows):
        fits.setdefault(int(bead), []).append((float(fit), "en", row))
    for position, k in enumerate(both):
        members = fits[position]
        fit, side, index = min(members)
        result[k] = (side, index, fit, float(np.median([f for f, _, _ in members])))
    return result


def unaligned_certainties(beads: list[Bead], a_matrix, e_matrix, mean: float, std: float,
                          reach: int = 2) -> dict[int, float]:
    """For each 1-0 / 0-1 bead: 1 − how well its sentence fits any neighbour within ``reach`` beads."""
    owners, own_rows, other_rows, arabic = [], [], [], []
    for k, bead in enumerate(beads):
        if bead.ar and bead.en:
            continue
        is_arabic = bool(bead.ar)
        own = bead.ar[0] if is_arabic else bead.en[0]
        for neighbour in beads[max(0, k - reach): k + reach + 1]:
            for other in (neighbour.en if is_arabic else neighbour.ar):
                owners.append(k)
                own_rows.append(own)
                other_rows.append(other)
                arabic.append(is_arabic)
    certainty = {k: 1.0 for k, b in enumerate(beads) if not (b.ar and b.en)}
    if not owners:
        return certainty
    arabic = np.array(arabic)
    own_rows, other_rows = np.array(own_rows), np.array(other_rows)
    cosines = np.zeros(len(owners))
    for flag, left, right in ((True, a_matrix, e_matrix), (False, e_matrix, a_matrix)):
        pick = arabic == flag
        if pick.any():
            cosines[pick] = _rowwise_cosine(left[own_rows[pick]], right[other_rows[pick]])
    best: dict[int, float] = {}
    for owner, cosine in zip(owners, cosines):
        best[owner] = max(best.get(owner, 0.0), float(cosine))
    for owner, cosine in best.items():
        certainty[owner] = round(1.0 - _surprise(cosine, mean, std), 3)
    return certainty
