"""The noisy channel: how likely OCR turned an intended word into the observed one.

An edit alignment (Levenshtein) of the two words gives operations — substitute, delete,
insert — whose probabilities are learned from real tesseract output against clean text
(``pipeline/resources/ocr_confusions.json``, made by ``scripts/learn_confusions.py``).
Operations it never saw get a prior by class (``ocr_channel.toml``: letters that differ
by their dots, dropped and added letters, anything else).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

from ..resources import data_path


@lru_cache(maxsize=1)
def confusions() -> dict:
    with data_path("ocr_confusions.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def edit_operations(intended: str, observed: str) -> list[tuple[str, str]]:
    """(intended part, observed part) pairs that turn ``intended`` into ``observed``."""
    n, m = len(intended), len(observed)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (intended[i - 1] != observed[j - 1]))
    operations = []
    i, j = n, m
    while i or j:
        if (i > 1 and j > 1 and intended[i - 1] == observed[j - 2] and intended[i - 2] == observed[j - 1]
                and intended[i - 1] != intended[i - 2] and cost[i][j] == cost[i - 2][j - 2] + 2):
            operations.append((intended[i - 2:i], observed[j - 2:j]))   # two letters swapped
            i, j = i - 2, j - 2
        elif i and j and cost[i][j] == cost[i - 1][j - 1] + (intended[i - 1] != observed[j - 1]):
            if intended[i - 1] != observed[j - 1]:
                operations.append((intended[i - 1], observed[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            operations.append((intended[i - 1], ""))
            i -= 1
        else:
            operations.append(("", observed[j - 1]))
            j -= 1
    return operations[::-1]


@lru_cache(maxsize=1)
def dot_groups() -> dict[str, str]:
    """Letter -> the letters that differ from it only by their dots (ocr_channel.toml)."""
    from ..resources import load_toml
    return {char: group for group in load_toml("ocr_channel.toml")["dot_groups"] for char in group}


@lru_cache(maxsize=1)
def _priors() -> dict:
    from ..resources import load_toml
    table = load_toml("ocr_channel.toml")
    return {"group_of": dot_groups(), **{k: v for k, v in table.items() if k != "dot_groups"}}


def operation_probability(source: str, target: str) -> float:
    """P(one edit): learned from real OCR output when seen there, else its class prior."""
    learned = confusions()["operations"].get(f"{source}>{target}")
    if learned is not None:
        return learned
    priors = _priors()
    if len(source) == 2 and source == target[::-1]:
        return priors["swapped_letters"]
    if not source:
        return priors["add_letter"]
    if not target:
        return priors["drop_letter"]
    if priors["group_of"].get(source) is not None and target in priors["group_of"][source]:
        return priors["same_group"]
    return priors["other"]


@lru_cache(maxsize=200_000)
def channel_log_probability(intended: str, observed: str) -> float:
    """log P(observed | intended): identical words cost log P(no error)."""
    table = confusions()
    if intended == observed:
        return math.log(table["p_correct_word"])
    total = math.log(1.0 - table["p_correct_word"])
    for source, target in edit_operations(intended, observed):
        total += math.log(operation_probability(source, target))
    return total
