"""Random search of the aligner's weights on the TUNING corpus only.

The tuning set is corpora/tuning/* plus perturbed copies of it (pipeline.align.perturb:
merged Arabic sentences, dropped sentences on either side). The sample and its variants
are never read here: they are the test set. Prints the best settings found; copy them
into configs/default.toml by hand.

    .venv/bin/python scripts/tune_align.py --trials 60 --copies 6
"""
from __future__ import annotations

import argparse
import random
import statistics
from dataclasses import replace
from pathlib import Path

from pipeline.align.perturb import perturb
from pipeline.align.score import read_gold, score
from pipeline.config import load_config
from pipeline.corpus import read_corpus_dir
from pipeline.process import read_bitext
from pipeline.registry import build_pipeline
from pipeline.stages.align import AlignOptions, align_bitext

ROOT = Path(__file__).resolve().parent.parent
SPACE = {
    "skip_cost": (0.6, 2.0),
    "lexical_weight": (0.2, 1.2),
    "sentence_weight": (0.2, 1.2),
    "length_weight": (0.05, 0.6),
    "type_penalty": (0.0, 0.4),
    "shared_start_bonus": (0.0, 0.8),
    "cross_block_penalty_en": (0.0, 0.5),
    "block_end_penalty": (0.0, 1.5),
}


def tuning_set(copies: int, seed: int):
    documents = []
    for folder in sorted((ROOT / "corpora" / "tuning").iterdir()):
        entry = read_corpus_dir(folder)
        config = load_config(None, entry.profile)
        config["pipeline"]["stages"] = [s for s in config["pipeline"]["stages"] if s != "align"]
        config["stages"].pop("align", None)
        bitext = build_pipeline(config)(read_bitext(entry, config))
        gold = read_gold(folder / "alignment.gold.tsv")
        documents.append((bitext, gold))
        rng = random.Random(seed)
        for _ in range(copies):
            documents.append(perturb(bitext, gold, rng, merge=rng.uniform(0.2, 0.6),
                                     drop_arabic=0.05, drop_english=0.05))
    return documents


def evaluate(options: AlignOptions, documents) -> float:
    results = []
    for bitext, gold in documents:
        predicted = [(tuple(b["ar"]), tuple(b["en"])) for b in align_bitext(bitext, options)]
        results.append(score(predicted, gold).strict_f1)
    return statistics.mean(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    documents = tuning_set(args.copies, args.seed)
    best = AlignOptions()
    best_score = evaluate(best, documents)
    print(f"defaults: strict F1 {best_score:.4f} on {len(documents)} tuning documents")
    rng = random.Random(args.seed)
    for trial in range(args.trials):
        changes = {k: round(rng.uniform(*bounds), 3) for k, bounds in SPACE.items()}
        if trial % 2:  # half the trials: a small step from the best so far
            changes = {k: round(min(hi, max(lo, getattr(best, k) + rng.gauss(0, (hi - lo) / 8))), 3)
                       for k, (lo, hi) in SPACE.items()}
        candidate = replace(best, **changes)
        value = evaluate(candidate, documents)
        if value > best_score:
            best, best_score = candidate, value
            print(f"trial {trial}: {value:.4f} {changes}")
    print("best:", {k: getattr(best, k) for k in SPACE}, f"strict F1 {best_score:.4f}")


if __name__ == "__main__":
    main()
