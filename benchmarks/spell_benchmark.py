"""Speed and memory of OCR typo fixing: its resources, and the ``ar.spellfix`` stage.

Each measurement runs in a fresh process (multiprocessing, fork from a parent that has
imported nothing heavy): the resources one by one (wordfreq's large Arabic list,
hunspell-ar, the SymSpell index from its cache, the FreeDict lexicon), then the stage on
the sample (its first document in a process, then the same again, warm) and on the OCR
tuning paragraphs of corpora/ocr/tune from the Arabic alone (words per second).

    .venv/bin/python benchmarks/spell_benchmark.py            # writes benchmarks/spell_report.md
"""
from __future__ import annotations

import json
import multiprocessing
from copy import deepcopy
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "bayan-2021-taliban-iskp"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(name: str) -> dict:
    from pipeline.align.lexicon import load_lexicon
    from pipeline.spell.resources import hunspell_checker, symspell_index, word_frequencies
    loaders = {"wordfreq large (ar)": word_frequencies, "hunspell-ar": hunspell_checker,
               "SymSpell index (cached)": symspell_index, "FreeDict lexicon (cached)": load_lexicon}
    before = _rss_mb()
    start = time.perf_counter()
    loaders[name]()
    return {"what": name, "seconds": time.perf_counter() - start, "added_mb": _rss_mb() - before}


def _sample_stage() -> dict:
    """Everything before ar.spellfix once, then the stage twice on the sample."""
    from pipeline.config import load_config
    from pipeline.corpus import read_corpus_dir
    from pipeline.process import read_bitext
    from pipeline.registry import build_pipeline
    entry = read_corpus_dir(SAMPLE)
    config = load_config(None, entry.profile)
    spec, options = build_pipeline(config).steps[-1]
    config["pipeline"]["stages"] = [s for s in config["pipeline"]["stages"] if s != spec.name]
    config["stages"].pop(spec.name, None)
    before_stage = build_pipeline(config)(read_bitext(entry, config))
    words = len(before_stage.ar.layer("tokens"))
    rss = _rss_mb()
    runs = []
    for _ in range(2):
        copy = deepcopy(before_stage)
        start = time.perf_counter()
        spec.function(copy, options)
        runs.append(time.perf_counter() - start)
    return {"words": words, "first": runs[0], "warm": runs[1], "rss_before_mb": rss, "peak_mb": _peak_mb()}


def _ocr_level(level: str) -> dict:
    from pipeline.spell.evaluate import correct_text
    from pipeline.spell.fixer import DocumentContext, FixerOptions
    from pipeline.spell.noise import NoiseOptions, uses_western_digits
    from pipeline.spell.resources import hunspell_checker, symspell_index, word_frequencies
    records = [json.loads(line) for line in
               (ROOT / "corpora" / "ocr" / "tune" / f"{level}.jsonl").read_text(encoding="utf-8").splitlines()]
    word_frequencies(), hunspell_checker(), symspell_index()        # loaded before the clock starts
    context = DocumentContext([r["ocr"] for r in records])
    western = uses_western_digits("\n".join(r["ocr"] for r in records))
    words = sum(len(r["ocr"].split()) for r in records)
    start = time.perf_counter()
    for record in records:
        correct_text(record["ocr"], context, FixerOptions(), NoiseOptions(), western)
    seconds = time.perf_counter() - start
    return {"level": level, "words": words, "seconds": seconds, "peak_mb": _peak_mb()}


def _reported(function, *args):
    """Run ``function``; an error comes back as text (bayan's errors do not pickle)."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - shown to the person running the benchmark
        return {"error": f"{type(exc).__name__}: {exc}"}


def _in_fresh_process(function, *args):
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply(_reported, (function, *args))
    if "error" in result:
        raise SystemExit(f"{function.__name__}: {result['error']}")
    return result


def main() -> None:
    loads = [_in_fresh_process(_load, name) for name in
             ("wordfreq large (ar)", "hunspell-ar", "SymSpell index (cached)", "FreeDict lexicon (cached)")]
    sample = _in_fresh_process(_sample_stage)
    levels = [_in_fresh_process(_ocr_level, level) for level in ("light", "medium")]
    lines = ["# Typo fixing benchmark", "",
             "Each row in a fresh process on 2 cores, Python 3.11 (`benchmarks/spell_benchmark.py`). "
             "Caches in `~/.cache/bayan` (the SymSpell index, the FreeDict lexicon) were built "
             "beforehand, as any run after the first finds them.", "",
             "## Resources", "", "| resource | seconds to load | added RSS MB |", "|---|---|---|"]
    lines += [f"| {r['what']} | {r['seconds']:.2f} | {r['added_mb']:.0f} |" for r in loads]
    lines += ["", "## The `ar.spellfix` stage on the sample (with its English)", "",
              "| Arabic tokens | first run s (loads the resources) | warm run s | tokens/s warm | RSS before MB | peak RSS MB |",
              "|---|---|---|---|---|---|",
              f"| {sample['words']} | {sample['first']:.2f} | {sample['warm']:.2f} | "
              f"{sample['words'] / sample['warm']:.0f} | {sample['rss_before_mb']:.0f} | {sample['peak_mb']:.0f} |",
              "", "## The fixer and the noise repair on real OCR output (Arabic alone, resources loaded)", "",
              "| level | words | seconds | words/s | peak RSS MB |", "|---|---|---|---|---|"]
    lines += [f"| {r['level']} | {r['words']} | {r['seconds']:.2f} | {r['words'] / r['seconds']:.0f} | "
              f"{r['peak_mb']:.0f} |" for r in levels]
    report = ROOT / "benchmarks" / "spell_report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(report.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
