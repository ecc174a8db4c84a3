"""Batch throughput on a synthetic archive: local processes and a Dask LocalCluster.

The archive is made from the publications in corpora/ (the sample, the tuning text and
the two variants): every copy is perturbed differently (the Arabic cut after 30–100 %
of its paragraphs, letters swapped inside ~2 % of the words of some copies, the English
left out of some), and a few copies are broken (empty, binary, English only, a missing
file), so the run also shows that failures cost nothing to the rest.

Each executor runs ``python -m pipeline batch`` as a user would, on 2 workers, into its
own output folder; the numbers come from the run record (OUT/_runs/*.jsonl).

    .venv/bin/python benchmarks/batch_benchmark.py                # 200 documents, both executors
    .venv/bin/python benchmarks/batch_benchmark.py -n 40 --executors local --keep /tmp/bench
    .venv/bin/python benchmarks/batch_benchmark.py -n 20 --executors local --profile 12   # where time goes
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from statistics import mean, median

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["corpora/bayan-2021-taliban-iskp", "corpora/tuning/iran-afghan-border-2022",
         "corpora/variants/moved-flat", "corpora/variants/omissions-additions"]
SAMPLE_CHARS = len((ROOT / SEEDS[0] / "ar.txt").read_text(encoding="utf-8"))
ARABIC_WORD = re.compile("[\u0621-\u064a]{4,}")


def _toml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _swap_letters(text: str, rng: random.Random, rate: float) -> str:
    """Swap two adjacent letters inside ~``rate`` of the longer Arabic words (OCR-like typos)."""
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if rng.random() >= rate:
            return word
        i = rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return ARABIC_WORD.sub(swap, text)


def make_archive(folder: Path, count: int, seed: int = 7) -> dict:
    """``count`` perturbed publications under ``folder``; what was made."""
    rng = random.Random(seed)
    made = {"documents": 0, "with_english": 0, "truncated": 0, "with_typos": 0, "broken": 0, "arabic_chars": 0}
    for n in range(count):
        source = ROOT / SEEDS[n % len(SEEDS)]
        meta = tomllib.loads((source / "meta.toml").read_text(encoding="utf-8"))
        doc_id = f"syn-{n:04d}"
        target = folder / f"{n // 50:02d}" / doc_id
        target.mkdir(parents=True)
        made["documents"] += 1
        if n % 50 == 49:  # a few broken files: 2 %
            kind = ("empty", "binary", "english", "missing")[(n // 50) % 4]
            lines = [f'id = "{doc_id}"', 'ar = "ar.txt"']
            if kind == "empty":
                (target / "ar.txt").write_bytes(b"")
            elif kind == "binary":
                (target / "ar.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
            elif kind == "english":
                (target / "ar.txt").write_text("Only English here, no Arabic at all.\n" * 20, encoding="utf-8")
            else:
                lines[1] = 'ar = "gone.txt"'
            (target / "meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            made["broken"] += 1
            continue
        paragraphs = (source / "ar.txt").read_text(encoding="utf-8").split("\n\n")
        if rng.random() < 0.7:
            keep = max(6, int(len(paragraphs) * rng.uniform(0.3, 1.0)))
            made["truncated"] += keep < len(paragraphs)
            paragraphs = paragraphs[:keep]
        text = "\n\n".join(paragraphs)
        if rng.random() < 0.4:
            text = _swap_letters(text, rng, 0.02)
            made["with_typos"] += 1
        (target / "ar.txt").write_text(text, encoding="utf-8")
        made["arabic_chars"] += len(text)
        lines = [f'id = "{doc_id}"', 'ar = "ar.txt"', f'profile = {_toml_value(meta.get("profile", ""))}']
        if meta.get("en") and rng.random() < 0.7:
            shutil.copy(source / meta["en"], target / meta["en"])
            lines.append(f'en = {_toml_value(meta["en"])}')
            made["with_english"] += 1
        lines.append("[meta]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in meta.get("meta", {}).items()]
        (target / "meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    made["seed_equivalents"] = round(made["arabic_chars"] / SAMPLE_CHARS, 1)
    return made


def run(archive: Path, out: Path, executor: str, workers: int, extra: list[str]) -> dict:
    """One ``bayan batch`` run; its numbers from the run record."""
    command = [sys.executable, "-m", "pipeline", "batch", str(archive), "-o", str(out), "--workers", str(workers),
               "--executor", executor, "--quiet", *extra]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    lines = [json.loads(line) for line in sorted((out / "_runs").glob("*.jsonl"))[-1].read_text().splitlines()]
    documents = [r for r in lines if r["type"] == "document"]
    done = [r for r in documents if r["status"] == "done"]
    failed = [r for r in documents if r["status"] == "failed"]
    workers_seen = [r for r in lines if r["type"] == "worker_summary"]
    summary = lines[-1]
    stage_names = list(max((r.get("stage_seconds", {}) for r in done), key=len, default={}))  # pipeline order
    stages = {name: round(mean(r["stage_seconds"].get(name, 0.0) for r in done), 4) for name in stage_names}
    outside = [r["seconds"] - sum(r.get("stage_seconds", {}).values()) for r in done]
    startup = [w["startup_seconds"] for w in workers_seen if w.get("startup_seconds")]
    processing = summary["seconds"] - (max(startup) if startup else 0.0)
    return {
        "executor": executor, "exit_code": finished.returncode, "wall_seconds": round(wall, 1),
        "run_seconds": summary["seconds"], "done": len(done), "failed": len(failed),
        "failure_types": sorted({(r["error"] or {}).get("type", "?") for r in failed}),
        "documents_per_minute": round(len(documents) / summary["seconds"] * 60, 1),
        "documents_per_minute_after_startup": round(len(documents) / processing * 60, 1) if processing > 0 else None,
        "seconds_per_document": {"mean": round(mean(r["seconds"] for r in done), 3),
                                 "median": round(median(r["seconds"] for r in done), 3),
                                 "max": round(max(r["seconds"] for r in done), 3)},
        "stage_seconds_mean": stages,
        "outside_stages_seconds_mean": round(mean(outside), 3),
        "workers": [{k: w.get(k) for k in ("worker", "startup_seconds", "import_seconds", "warmup_seconds",
                                            "documents", "peak_rss_mb")} for w in workers_seen],
        "stdout_tail": finished.stdout.strip().splitlines()[-4:],
    }


def profile(archive: Path, count: int, config_file: Path | None) -> str:
    """Where a warm worker's time goes: ``count`` documents processed in this process
    (resources loaded first), timed by stage and by output format, then the functions
    that take the most time (cProfile)."""
    import cProfile
    import io
    import pstats

    from pipeline.batch.discover import discover
    from pipeline.batch.worker import pipeline_for, warm_up
    from pipeline.config import load_config
    from pipeline.corpus import CorpusEntry
    from pipeline.export import EXPORTERS
    from pipeline.process import process_entry

    jobs = [j for j in discover(archive) if j.problem is None and j.en is not None][:count]
    configs = {j.profile: load_config(config_file, j.profile) for j in jobs}
    warm_up(list(configs.values()), Path(tempfile.mkdtemp()))
    stages: dict[str, list[float]] = {}
    formats: dict[str, list[float]] = {}
    reading: list[float] = []
    profiler = cProfile.Profile()
    for job in jobs:
        config = configs[job.profile]
        pipeline = pipeline_for(config)
        entry = CorpusEntry(job.doc_id, job.ar, job.en, job.profile, job.meta)
        profiler.enable()
        started = time.perf_counter()
        from pipeline.process import read_bitext
        read_bitext(entry, config)
        reading.append(time.perf_counter() - started)
        bitext = process_entry(entry, pipeline=pipeline, config=config)
        for name, seconds in bitext.meta.extra.pop("stage_seconds").items():
            stages.setdefault(name, []).append(seconds)
        for name in config["output"]["formats"]:
            started = time.perf_counter()
            EXPORTERS[name][1](bitext)
            formats.setdefault(name, []).append(time.perf_counter() - started)
        profiler.disable()
    lines = [f"{len(jobs)} documents with English, processed in one warm process "
             f"(reading is counted once more, on its own):", "",
             "| step | mean seconds |", "|---|---|", f"| read both files | {mean(reading):.3f} |"]
    lines += [f"| stage {name} | {mean(v):.3f} |" for name, v in stages.items()]
    lines += [f"| format {name} | {mean(v):.3f} |" for name, v in formats.items()]
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
    lines += ["", "Functions by own time (cProfile, all documents):", "", "```",
              *[line.rstrip() for line in stream.getvalue().splitlines() if line.strip()][3:], "```"]
    return "\n".join(lines)


def dask_worker_baseline(workers: int) -> float | None:
    """Resident MB of one idle Dask worker process (the bayan worker is its child, counted apart)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as folder:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, local_directory=folder,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            sizes = client.run(lambda: __import__("psutil").Process().memory_info().rss / 2**20)
    return round(mean(sizes.values()), 1)


def markdown(made: dict, results: list[dict], workers: int, baseline: float | None) -> str:
    lines = [f"synthetic archive: {made['documents']} documents ({made['seed_equivalents']} sample-sized "
             f"in Arabic text), {made['with_english']} with English, {made['truncated']} truncated, "
             f"{made['with_typos']} with swapped letters, {made['broken']} broken", ""]
    lines += ["| executor | docs/min (whole run) | docs/min after start-up | sample-sized/min | run s | done | failed "
              "| s/doc mean (median, max) | worker start-up s | peak RSS per worker MB |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        factor = made["seed_equivalents"] / made["documents"]
        spm = r["seconds_per_document"]
        lines.append(
            f"| {r['executor']} ({workers} workers) | {r['documents_per_minute']} | "
            f"{r['documents_per_minute_after_startup']} | {round(r['documents_per_minute'] * factor, 1)} | "
            f"{r['run_seconds']} | {r['done']} | {r['failed']} ({', '.join(r['failure_types'])}) | "
            f"{spm['mean']} ({spm['median']}, {spm['max']}) | "
            f"{', '.join(str(w['startup_seconds']) for w in r['workers'])} | "
            f"{', '.join(str(w['peak_rss_mb']) for w in r['workers'])} |")
    if baseline:
        lines += ["", f"An idle Dask worker process holds {baseline} MB besides its bayan worker process."]
    lines += ["", "Mean seconds per done document, by stage (`stage_seconds`), and outside the stages "
              "(reading, rendering every output format, writing):", "",
              "| stage | " + " | ".join(r["executor"] for r in results) + " |",
              "|---|" + "---|" * len(results)]
    for name in results[0]["stage_seconds_mean"]:
        lines.append(f"| {name} | " + " | ".join(str(r["stage_seconds_mean"].get(name, "")) for r in results) + " |")
    lines.append("| (outside the stages) | " + " | ".join(str(r["outside_stages_seconds_mean"]) for r in results) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--executors", default="local,dask")
    parser.add_argument("--config", type=Path, help="passed to bayan batch --config")
    parser.add_argument("--keep", type=Path, help="make the archive and outputs here and keep them")
    parser.add_argument("--json", type=Path, help="write the raw numbers here")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile N documents in one warm process (where the time goes)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bayan-batch-bench-"))
    try:
        archive = folder / "archive"
        if archive.exists():
            shutil.rmtree(archive)
        made = make_archive(archive, args.documents)
        print(json.dumps(made), file=sys.stderr)
        extra = ["--config", str(args.config)] if args.config else []
        results = []
        for executor in args.executors.split(","):
            out = folder / f"out-{executor}"
            if out.exists():
                shutil.rmtree(out)
            results.append(run(archive, out, executor, args.workers, extra))
            print(json.dumps(results[-1]), file=sys.stderr)
        baseline = dask_worker_baseline(args.workers) if "dask" in args.executors else None
        if args.json:
            args.json.write_text(json.dumps({"archive": made, "runs": results, "dask_worker_rss_mb": baseline},
                                            indent=1), encoding="utf-8")
        print(markdown(made, results, args.workers, baseline))
        if args.profile:
            print()
            print(profile(archive, args.profile, args.config))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
