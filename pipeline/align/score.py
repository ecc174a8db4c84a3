"""Scoring sentence alignments against gold (the definitions Vecalign and Bertalign use).

* **strict**: a predicted bead counts only if the gold has exactly the same bead
  (same Arabic ids, same English ids); 1-0 and 0-1 beads are included.
* **lax**: over links, a predicted non-empty bead is correct if it shares at least one
  Arabic and one English sentence with a gold bead (and a one-sided bead if the gold
  has the same one-sided bead); recall symmetrically over gold beads.
Precision, recall and F1 for each.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

BeadIds = tuple[tuple[str, ...], tuple[str, ...]]


class GoldError(ValueError):
    """A gold file that does not fit the document (ids missing, out of order)."""


def read_gold(path: Path) -> list[BeadIds]:
    """Beads from an ``alignment.gold.tsv`` (ar ids, en ids, ar start, en start)."""
    beads = []
    with open(path, encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or row[0].startswith("#"):
                continue
            row += [""] * (2 - len(row))
            beads.append((tuple(row[0].split()), tuple(row[1].split())))
    return beads


def check_gold(gold: list[BeadIds], arabic_ids: list[str], english_ids: list[str]) -> None:
    """Raise GoldError unless every sentence appears exactly once in the gold."""
    for ids, side in ((arabic_ids, 0), (english_ids, 1)):
        seen = [i for bead in gold for i in bead[side]]
        if sorted(seen) != sorted(ids):
            missing = sorted(set(ids) - set(seen))[:5]
            extra = sorted(set(seen) - set(ids))[:5]
            raise GoldError(f"gold does not cover the sentences: missing {missing}, unknown {extra} "
                            "(sentence splitting changed? regenerate the gold)")


@dataclass(frozen=True)
class Scores:
    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _lax_hit(bead: BeadIds, others: list[BeadIds]) -> bool:
    ar, en = set(bead[0]), set(bead[1])
    for other in others:
        if ar and en:
            if ar & set(other[0]) and en & set(other[1]):
                return True
        elif (set(other[0]), set(other[1])) == (ar, en):
            return True
    return False


def score(predicted: list[BeadIds], gold: list[BeadIds]) -> Scores:
    """Strict and lax precision, recall and F1 of ``predicted`` against ``gold``."""
    as_sets = lambda beads: {(frozenset(a), frozenset(e)) for a, e in beads}  # noqa: E731
    p_set, g_set = as_sets(predicted), as_sets(gold)
    hits = len(p_set & g_set)
    strict_p = hits / len(p_set) if p_set else 0.0
    strict_r = hits / len(g_set) if g_set else 0.0
    lax_p = sum(_lax_hit(b, gold) for b in predicted) / len(predicted) if predicted else 0.0
    lax_r = sum(_lax_hit(b, predicted) for b in gold) / len(gold) if gold else 0.0
    return Scores(strict_p, strict_r, _f1(strict_p, strict_r), lax_p, lax_r, _f1(lax_p, lax_r))
