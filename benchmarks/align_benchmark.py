"""Alignment speed and memory on the sample and on long synthetic documents.

Synthetic documents repeat the sample and the tuning text (their sentence layers,
shifted onto a repeated raw text) and perturb every copy differently (merged Arabic
sentences, dropped sentences on either side), so the gold is known and no two copies
are alike. A "balanced" document also cuts Arabic sentences at commas until both sides
have about the same number of sentences (timing only: no gold).

    .venv/bin/python benchmarks/align_benchmark.py            # writes benchmarks/align_report.md
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import time
import multiprocessing
from pathlib import Path

from pipeline.align.perturb import perturb
from pipeline.align.score import read_gold, score
from pipeline.config import load_config
from pipeline.corpus import read_corpus_dir
from pipeline.document import Bitext, Side, Span
from pipeline.process import read_bitext
from pipeline.registry import build_pipeline
from pipeline.stages.align import AlignOptions, align_bitext
from pipeline.stages.normalize import normalize_view

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["corpora/bayan-2021-taliban-iskp", "corpora/tuning/iran-afghan-border-2022"]


def processed(folder: str):
    entry = read_corpus_dir(ROOT / folder)
    config = load_config(None, entry.profile)
    config["pipeline"]["stages"] = [s for s in config["pipeline"]["stages"] if s != "align"]
    config["stages"].pop("align", None)
    return build_pipeline(config)(read_bitext(entry, config)), read_gold(ROOT / folder / "alignment.gold.tsv")


def _concatenate(sides: list[Side], lang: str, prefix: str) -> tuple[Side, dict[str, str]]:
    raws, layers, renamed, offset = [], {"blocks": [], "sentences": []}, {}, 0
    counters = {"s": 0, "b": 0}
    for copy, side in enumerate(sides):
        block_names = {}
        for block in side.layer("blocks"):
            counters["b"] += 1
            block_names[block.id] = f"{lang}.b{counters['b']}"
            layers["blocks"].append(Span(tuple((a + offset, b + offset) for a, b in block.parts), block.label,
                                         block_names[block.id], block.attrs))
        for sentence in side.layer("sentences"):
            counters["s"] += 1
            new_id = f"{lang}.s{counters['s']}"
            renamed[f"{prefix}{copy}:{sentence.id}"] = new_id
            layers["sentences"].append(Span(tuple((a + offset, b + offset) for a, b in sentence.parts), "s", new_id,
                                            {"block": block_names.get(sentence.attrs.get("block"), "")}))
        raws.append(side.raw)
        offset += len(side.raw) + 2
    side = Side(lang, "\n\n".join(raws))
    for name, spans in layers.items():
        side.set_layer(name, spans)
    if lang == "ar":
        side.views["reading"], side.views["key"] = normalize_view(side.view("raw"))
    else:
        side.views["reading"] = side.view("raw")
    return side, renamed


def synthetic(documents, english_target: int, seed: int):
    rng = random.Random(seed)
    copies, golds, english = [], [], 0
    while english < english_target:
        bitext, gold = documents[len(copies) % len(documents)]
        bitext, gold = perturb(bitext, gold, rng, merge=rng.uniform(0.0, 0.4), drop_arabic=0.03, drop_english=0.03)
        copies.append(bitext)
        golds.append(gold)
        english += len(bitext.en.layer("sentences"))
    ar, ar_names = _concatenate([c.ar for c in copies], "ar", "a")
    en, en_names = _concatenate([c.en for c in copies], "en", "e")
    gold = [(tuple(ar_names[f"a{k}:{i}"] for i in a), tuple(en_names[f"e{k}:{j}"] for j in e))
            for k, g in enumerate(golds) for a, e in g]
    return Bitext(ar, en), gold


def balanced(bitext: Bitext) -> Bitext:
    """Arabic sentences cut at commas until both sides have about as many sentences."""
    target = len(bitext.en.layer("sentences"))
    arabic = list(bitext.ar.layer("sentences"))
    pieces = []
    for sentence in arabic:
        a, b = sentence.parts[0][0], sentence.parts[-1][1]
        cuts = [m.end() for m in re.finditer("، ", bitext.ar.raw[a:b])] if len(sentence.parts) == 1 else []
        starts = [a] + [a + c for c in cuts]
        ends = [a + c for c in cuts] + [b]
        pieces.append([(x, y) for x, y in zip(starts, ends) if y > x])
    out: list[Span] = []
    extra = target - len(arabic)
    for sentence, parts in zip(arabic, pieces):
        if extra > 0 and len(parts) > 1:
            chosen = [((x, y),) for x, y in parts]
            extra -= len(parts) - 1
        else:
            chosen = [sentence.parts]
        for part in chosen:
            out.append(Span(part, "s", f"ar.s{len(out) + 1}", sentence.attrs))
    side = Side("ar", bitext.ar.raw)
    side.layers = dict(bitext.ar.layers)
    side.layers["sentences"] = out
    side.views = bitext.ar.views
    return Bitext(side, bitext.en)


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _measure_here(bitext: Bitext, gold, queue) -> None:
    before = _rss_mb()
    started = time.perf_counter()
    beads = align_bitext(bitext, AlignOptions())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"ar": len(bitext.ar.layer("sentences")), "en": len(bitext.en.layer("sentences")),
              "seconds": round(seconds, 2), "rss_before_mb": round(before), "peak_rss_mb": round(peak),
              "added_mb": round(peak - before)}
    if gold is not None:
        s = score([(tuple(b["ar"]), tuple(b["en"])) for b in beads], gold)
        result.update(strict_f1=round(s.strict_f1, 4), lax_f1=round(s.lax_f1, 4))
    queue.put(result)


def measure(bitext: Bitext, gold=None) -> dict:
    """Time and memory of one alignment, in a fresh forked process (so peaks don't mix)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_measure_here, args=(bitext, gold, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "align_report.md")
    args = parser.parse_args()
    documents = [processed(folder) for folder in SOURCES]
    from pipeline.align.lexicon import load_lexicon
    load_lexicon()  # built and cached once; not part of the timings
    rows = [("sample", measure(*documents[0]))]
    for size in args.sizes:
        bitext, gold = synthetic(documents, size, seed=size)
        rows.append((f"synthetic {size}", measure(bitext, gold)))
    rows.append((f"balanced {args.sizes[-1]}", measure(balanced(synthetic(documents, args.sizes[-1], seed=1)[0]))))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = ["# Alignment benchmark", "",
             "The `align` stage alone (features, two DP passes, IBM-1 learning, flags) on documents",
             "whose sentences are already split; each run in a fresh forked process on 2 cores,",
             "Python 3.11. Memory: resident set before alignment and its peak during alignment;",
             f"the parent (which built every synthetic document) peaked at {max_rss:.0f} MB.", "",
             "| document | Arabic sentences | English sentences | seconds | RSS before MB | peak RSS MB | added MB | strict F1 | lax F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['ar']} | {r['en']} | {r['seconds']} | {r['rss_before_mb']} | "
                     f"{r['peak_rss_mb']} | {r['added_mb']} | {r.get('strict_f1', '–')} | {r.get('lax_f1', '–')} |")
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
