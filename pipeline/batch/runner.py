"""The batch runner: discover, key, skip what is done, run the rest, record everything."""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from .archive import aggregate_entities
from .discover import Job, discover
from .keys import bayan_version, document_key
from .outputs import done_marker, read_marker
from .sandbox import WorkerStartError
from .records import LatestManifest, RunLock, RunRecord, utc_now
from .report import BatchProgress, print_summary, summary_table

EXIT_OK, EXIT_FAILED, EXIT_BAD_ARGS, EXIT_INTERRUPTED = 0, 1, 2, 130
EXECUTORS = ("local", "dask")
#: Failures that the same inputs, configuration and code always repeat: not tried again
#: until the document's key changes (other failures, such as timeouts, are retried).
UNCHANGING_ERRORS = frozenset({"InputError"})


@dataclass
class BatchOptions:
    """What ``bayan batch`` was asked to do.

    Attributes:
        source: a folder tree of publications, or a manifest file (.csv, .toml).
        out: the output folder (OUT/<id>/ per document, OUT/_runs/, OUT/manifest.jsonl).
        manifest: read ``source`` as a manifest whatever its suffix.
        workers: worker processes (default: the number of CPUs).
        executor: ``local`` (processes on this machine) or ``dask``.
        scheduler: a Dask scheduler address (default: start a LocalCluster).
        timeout: seconds per document (0 or None: no limit).
        memory_gb: address-space limit per worker process in GB (0 or None: no limit).
        config: the user's TOML file laid over the defaults and each document's profile.
        quiet: no progress bar or notes on stderr.
    """

    source: Path
    out: Path
    manifest: bool = False
    workers: int | None = None
    executor: str = "local"
    scheduler: str | None = None
    timeout: float | None = 300.0
    memory_gb: float | None = 4.0
    config: Path | None = None
    quiet: bool = False


def _check(options: BatchOptions) -> None:
    problems = []
    if options.executor not in EXECUTORS:
        problems.append(f"--executor must be one of {', '.join(EXECUTORS)}, not {options.executor!r}")
    if options.scheduler and options.executor != "dask":
        problems.append("--scheduler is for --executor dask")
    if options.workers is not None and options.workers < 1:
        problems.append(f"--workers must be at least 1, not {options.workers}")
    if options.timeout is not None and options.timeout < 0:
        problems.append(f"--timeout must be positive (0: no limit), not {options.timeout}")
    if options.memory_gb is not None and (options.memory_gb < 0 or 0 < options.memory_gb < 0.25):
        problems.append(f"--memory-gb must be at least 0.25 (0: no limit), not {options.memory_gb}")
    if options.out.exists() and not options.out.is_dir():
        problems.append(f"-o {options.out} is a file; give a folder")
    if problems:
        raise ConfigError(problems, source="batch options")


class _Configs:
    """The merged configuration of each profile, checked once."""

    def __init__(self, user_file: Path | None):
        from ..config import load_config
        self.user_file = user_file
        self.cache: dict[str | None, tuple[dict | None, str | None]] = {}
        load_config(user_file, None)  # a broken --config file stops the batch before it starts

    def get(self, profile: str | None) -> tuple[dict | None, str | None]:
        """(config, None) or (None, the problem)."""
        if profile not in self.cache:
            from ..config import load_config
            from ..registry import build_pipeline
            try:
                config = load_config(self.user_file, profile)
                build_pipeline(config)
                self.cache[profile] = (config, None)
            except ConfigError as exc:
                self.cache[profile] = (None, str(exc))
        return self.cache[profile]


@contextmanager
def _terminate_as_interrupt():
    """SIGTERM stops the run like Ctrl-C: records are closed, workers stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt()
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Run:
    """The state of one run: counts, records, workers."""

    def __init__(self, out: Path, record: RunRecord, latest: LatestManifest, progress: BatchProgress | None):
        self.out, self.record, self.latest, self.progress = out, record, latest, progress
        self.counts = {"done": 0, "skipped": 0, "failed": 0}
        self.failures: list[dict[str, Any]] = []
        self.workers: dict[str, dict[str, Any]] = {}
        self.stage_totals: dict[str, list[float]] = {}
        self.reported: set[str] = set()
        self.processed = 0

    def document(self, record: dict[str, Any], origin: str = "") -> None:
        first = ("id", "status", "error", "seconds", "stage_seconds", "outputs")
        record = {k: record[k] for k in first + tuple(k for k in record if k not in first)
                  if record.get(k) is not None}
        if origin:
            record.setdefault("origin", origin)
        record["finished"] = utc_now()
        self.reported.add(record["id"])
        status = record["status"]
        self.counts[status] += 1
        if status == "failed":
            self.failures.append(record)
        for name, seconds in (record.get("stage_seconds") or {}).items():
            self.stage_totals.setdefault(name, []).append(seconds)
        worker = record.get("worker")
        if worker:
            info = self.workers.setdefault(worker, {"worker": worker})
            info["documents"] = info.get("documents", 0) + 1
            info["peak_rss_mb"] = max(info.get("peak_rss_mb", 0), record.get("peak_rss_mb", 0))
        self.record.write(dict({"type": "document"}, **record))
        self.latest.update(dict(record, run=self.record.path.name))

    def worker(self, info: dict[str, Any]) -> None:
        worker = info.get("worker") or f"worker{len(self.workers)}"
        entry = self.workers.setdefault(worker, {"worker": worker})
        entry.update({k: info.get(k) for k in ("startup_seconds", "import_seconds", "warmup_seconds")
                      if info.get(k) is not None})
        self.record.write({"type": "worker", "worker": worker,
                           **{k: v for k, v in info.items() if k not in ("type", "worker", "error")}})
        for problem in info.get("warmup_problems") or []:
            if self.progress is not None:
                self.progress.note(f"note: worker {worker}: {problem}")

    def stage_means(self) -> dict[str, float]:
        return {name: sum(v) / len(v) for name, v in self.stage_totals.items()}


def _job_payload(job: Job, config: dict, key: str, out: Path, timeout: float | None,
                 memory_bytes: int | None) -> dict[str, Any]:
    return {"id": job.doc_id, "ar": str(job.ar), "en": str(job.en) if job.en else None,
            "profile": job.profile, "meta": job.meta, "origin": job.origin, "config": config,
            "key": key, "out_dir": str(out / job.doc_id), "timeout": timeout or None,
            "memory_bytes": memory_bytes, "version": bayan_version()}


def _failed(job_id: str, kind: str, message: str, key: str | None = None) -> dict[str, Any]:
    return {"id": job_id, "status": "failed", "key": key, "error": {"type": kind, "message": message}}


def _plan(jobs: list[Job], configs: _Configs, out: Path, options: BatchOptions, memory_bytes: int | None,
          run: _Run) -> list[dict[str, Any]]:
    """Record the jobs that cannot run and those already done; the payloads of the rest,
    longest input first (fewer idle workers at the end of the run)."""
    to_run: list[tuple[int, dict[str, Any]]] = []
    for job in jobs:
        if job.problem:
            run.document(_failed(job.doc_id, job.problem_type, job.problem), job.origin)
            continue
        config, problem = configs.get(job.profile)
        if problem:
            run.document(_failed(job.doc_id, "ConfigError", problem), job.origin)
            continue
        try:
            key = document_key(job.doc_id, job.ar, job.en, job.meta, config, bayan_version(), job.origin)
        except InputError as exc:
            run.document(_failed(job.doc_id, "InputError", str(exc)), job.origin)
            continue
        marker = done_marker(out / job.doc_id, key)
        if marker is not None:
            run.document({"id": job.doc_id, "status": "skipped", "key": key,
                          "outputs": sorted(marker["files"])}, job.origin)
            continue
        before = run.latest.records.get(job.doc_id) or {}
        if before.get("status") == "failed" and before.get("key") == key \
                and (before.get("error") or {}).get("type") in UNCHANGING_ERRORS:
            run.document({"id": job.doc_id, "status": "failed", "key": key, "retried": False,
                          "error": before["error"]}, job.origin)
            continue
        size = job.ar.stat().st_size + (job.en.stat().st_size if job.en else 0)
        to_run.append((size, _job_payload(job, config, key, out, options.timeout, memory_bytes)))
    to_run.sort(key=lambda item: (-item[0], item[1]["id"]))
    return [payload for _, payload in to_run]


def run_batch(options: BatchOptions) -> int:
    """Run a batch; the exit code (0 all done or skipped, 1 some failed, 130 interrupted).
    Prints the summary on stdout, progress on stderr.

    Raises:
        ConfigError, InputError: bad options, source, manifest or --config (exit 2).
    """
    _check(options)
    bayan_version()  # the fingerprint of the code this run loads
    out = Path(os.path.abspath(options.out))
    jobs = discover(options.source, options.manifest, exclude=out)
    configs = _Configs(options.config)
    out.mkdir(parents=True, exist_ok=True)
    lock = RunLock(out)
    workers = options.workers or os.cpu_count() or 1
    memory_bytes = int(options.memory_gb * 2**30) if options.memory_gb else None
    started = time.perf_counter()
    record = RunRecord(out, {
        "bayan": bayan_version(), "source": str(Path(os.path.abspath(options.source))), "out": str(out),
        "executor": options.executor, "workers": workers, "scheduler": options.scheduler,
        "timeout": options.timeout, "memory_gb": options.memory_gb,
        "config": str(options.config) if options.config else None, "argv": sys.argv[1:]})
    latest = LatestManifest(out)
    run = _Run(out, record, latest, None)
    interrupted, aggregate = False, None
    try:
        with _terminate_as_interrupt():
            payloads = _plan(jobs, configs, out, options, memory_bytes, run)
            record.write({"type": "plan", "discovered": len(jobs), "to_process": len(payloads),
                          "skipped": run.counts["skipped"], "failed_before_start": run.counts["failed"]})
            with BatchProgress(len(payloads), run.counts["skipped"], options.quiet) as progress:
                run.progress = progress

                def on_result(result: dict[str, Any]) -> None:
                    run.processed += 1
                    run.document(result)
                    progress.advance(result)
                    if result.get("status") == "failed":
                        error = result.get("error") or {}
                        progress.note(f"failed: {result['id']}: {error.get('type')}: "
                                      f"{str(error.get('message', '')).splitlines()[0][:200]}")

                try:
                    _execute(options, payloads, workers, memory_bytes, run, on_result)
                except WorkerStartError as exc:
                    for payload in payloads:
                        if payload["id"] not in run.reported:
                            on_result(_failed(payload["id"], "WorkerStartError", f"not processed: {exc}",
                                              payload["key"]))
            done_ids = [p.name for p in out.iterdir() if p.is_dir() and read_marker(p) is not None]
            aggregate = aggregate_entities(out, done_ids)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        elapsed = time.perf_counter() - started
        _close(run, record, latest, elapsed, interrupted, aggregate)
        lock.release()
    paths = {"outputs": str(out), "manifest": str(latest.path), "run record": str(record.path)}
    if aggregate is not None and aggregate.path:
        paths["entities"] = f"{aggregate.path} ({aggregate.rows} rows from {aggregate.documents} documents)"
    for problem in aggregate.problems if aggregate else []:
        if not options.quiet:
            print(f"note: {problem}", file=sys.stderr)
    print_summary(summary_table(run.counts, elapsed, run.processed, run.failures, list(run.workers.values()),
                                run.stage_means(), paths))
    if interrupted:
        if not options.quiet:
            print("bayan: interrupted; run the same command again to finish (done documents are kept)",
                  file=sys.stderr)
        return EXIT_INTERRUPTED
    if run.counts["failed"]:
        if not options.quiet:
            print(f"bayan: {run.counts['failed']} of {len(jobs)} document(s) failed; see {latest.path}",
                  file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _close(run: _Run, record: RunRecord, latest: LatestManifest, elapsed: float, interrupted: bool,
           aggregate) -> None:
    """Finish the run record (workers, summary) and write the latest manifest."""
    for info in run.workers.values():
        record.write(dict({"type": "worker_summary"}, **info))
    summary = {"type": "summary", "finished": utc_now(), "seconds": round(elapsed, 3),
               "interrupted": interrupted, **run.counts,
               "documents_per_minute": round(run.processed / elapsed * 60, 2) if elapsed and run.processed else 0,
               "stage_seconds_mean": {k: round(v, 4) for k, v in run.stage_means().items()}}
    if aggregate is not None:
        summary["entities"] = {"path": str(aggregate.path) if aggregate.path else None,
                               "documents": aggregate.documents, "rows": aggregate.rows,
                               "problems": aggregate.problems}
    record.write(summary)
    record.close()
    latest.flush()


def _execute(options: BatchOptions, payloads: list[dict[str, Any]], workers: int, memory_bytes: int | None,
             run: _Run, on_result) -> None:
    if not payloads:
        return
    if options.executor == "dask":
        from .dask_executor import run_dask
        run_dask(payloads, workers, options.scheduler, on_result, run.worker,
                 on_start=lambda address: run.record.write({"type": "cluster", "scheduler": address}))
        return
    from .local import run_local
    distinct = {}
    for payload in payloads:
        distinct.setdefault(id(payload["config"]), payload["config"])
    tmp_root = Path(tempfile.mkdtemp(prefix="bayan-batch-"))
    try:
        run_local(payloads, workers, memory_bytes, list(distinct.values()), tmp_root, on_result, run.worker)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)


def options_from_args(args) -> BatchOptions:
    """BatchOptions from the ``bayan batch`` arguments."""
    return BatchOptions(**{name: getattr(args, name) for name in BatchOptions.__dataclass_fields__
                           if hasattr(args, name)})


