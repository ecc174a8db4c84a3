"""Validate name_similarity on ANETAC (English–Arabic name pairs) and pick the threshold.

For each pair of the dev split: the similarity of the true pair and of the same Arabic
name with a random other English name. The threshold that best separates them on dev
is then scored on the test split (accuracy of accepting true pairs and rejecting
random ones). ANETAC is not shipped with bayan: pass its folder.

    .venv/bin/python scripts/eval_transliteration.py ../shared/data/anetac
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from pipeline.align.lexicon import arabic_key
from pipeline.translit import name_similarity


def pairs(folder: Path, split: str) -> list[tuple[str, str]]:
    ar = (folder / f"translit-{split}.ar").read_text(encoding="utf-8").splitlines()
    en = (folder / f"translit-{split}.en").read_text(encoding="utf-8").splitlines()
    return [(arabic_key(a.replace(" ", "")), e.replace(" ", "")) for a, e in zip(ar, en) if a and e]


def scored(data, rng):
    true = [name_similarity(a, e) for a, e in data]
    english = [e for _, e in data]
    false = [name_similarity(a, rng.choice(english)) for a, _ in data]
    return true, false


def accuracy(true, false, threshold):
    return (sum(t >= threshold for t in true) + sum(f < threshold for f in false)) / (len(true) + len(false))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("anetac", type=Path)
    parser.add_argument("--limit", type=int, default=3000)
    args = parser.parse_args()
    rng = random.Random(5)
    dev = pairs(args.anetac, "dev")[: args.limit]
    test = pairs(args.anetac, "test")[: args.limit]
    dev_true, dev_false = scored(dev, rng)
    best = max((accuracy(dev_true, dev_false, t / 100), t / 100) for t in range(30, 96))
    test_true, test_false = scored(test, rng)
    threshold = best[1]
    print(f"dev: best threshold {threshold:.2f} accuracy {best[0]:.3f} ({len(dev)} pairs)")
    print(f"test: accuracy {accuracy(test_true, test_false, threshold):.3f}; true pairs accepted "
          f"{sum(t >= threshold for t in test_true) / len(test_true):.3f}; random pairs rejected "
          f"{sum(f < threshold for f in test_false) / len(test_false):.3f} ({len(test)} pairs)")


if __name__ == "__main__":
    main()
