"""Gale–Church (1993): alignment by sentence length alone, the baseline bayan must beat.

The classic algorithm: beads 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 with Gale and Church's
priors, and the cost ``-log(P(δ) · P(bead type))`` with ``δ = (l_en − c·l_ar) / √(s²·l_ar)``;
``c`` is the document's English/Arabic character ratio and ``s² = 6.8``.
"""
from __future__ import annotations

import math

from scipy.special import log_ndtr

PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}


def gale_church(arabic_lengths: list[int], english_lengths: list[int], variance: float = 6.8
                ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads as (Arabic indices, English indices) from lengths alone."""
    n, m = len(arabic_lengths), len(english_lengths)
    ratio = (sum(english_lengths) or 1) / (sum(arabic_lengths) or 1)
    cost = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (a, b), prior in PRIORS.items():
                if i < a or j < b or not math.isfinite(cost[i - a][j - b]):
                    continue
                la = sum(arabic_lengths[i - a:i])
                lb = sum(english_lengths[j - b:j])
                if a and b:
                    delta = (lb - la * ratio) / math.sqrt(max(la, 1) * variance)
                    match = math.log(2) + float(log_ndtr(-abs(delta)))
                else:
                    match = 0.0
                total = cost[i - a][j - b] - match - math.log(prior)
                if total < cost[i][j]:
                    cost[i][j], back[i][j] = total, (a, b)
    beads = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]
