"""The worker: a process that loads bayan's resources once and then processes documents.

Run as ``python -m pipeline.batch.worker FD`` by :class:`pipeline.batch.sandbox.Sandbox`,
it talks to its parent over the socket FD (``multiprocessing.connection`` framing):

1. it receives ``{"configs": [...], "memory_bytes": N}``, builds those pipelines, runs a
   tiny built-in document through each (so the spaCy model, the lexicon, the gazetteer
   and the TEI schema are loaded now, once), then limits its address space to
   ``memory_bytes`` (``RLIMIT_AS``) and answers ``{"type": "ready", ...}``;
2. then, for each job it receives, it answers ``{"type": "result", "result": record}``.

:func:`process_job` never raises for a bad document: every failure (bad input, a crash in
a stage, the time limit, memory) becomes a ``failed`` record naming the stage. After a
timeout or a MemoryError the worker exits (its state may be half-updated) and the parent
starts a fresh one. It also exits when its parent dies.
"""
from __future__ import annotations

import os
import resource
import signal
import socket
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .keys import bayan_version, config_digest, document_key

_PIPELINES: dict[str, Any] = {}
_limits: dict[str, int] = {}


class DocumentTimeout(BaseException):
    """Raised in the worker when a document runs past its time limit (a BaseException,
    so that no ``except Exception`` in a stage can swallow it)."""


class VersionMismatch(RuntimeError):
    """The worker's bayan is not the client's (the outputs would not match their keys)."""


def batch_formats(config: dict) -> list[str]:
    """The formats a batch writes: ``[batch] formats``, else ``[output] formats``."""
    return list(config.get("batch", {}).get("formats") or config.get("output", {}).get("formats", ["tei"]))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pipeline_for(config: dict[str, Any]):
    """The pipeline of a merged configuration, built once per worker."""
    digest = config_digest(config)
    if digest not in _PIPELINES:
        from ..registry import build_pipeline
        _PIPELINES[digest] = build_pipeline(config)
    return _PIPELINES[digest]


_armed = False


def _on_alarm(signum, frame):
    if _armed:
        raise DocumentTimeout()


@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`DocumentTimeout` in the block after ``seconds`` (main thread only;
    elsewhere the parent's hard deadline is the only limit)."""
    global _armed
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failing_stage(exc: BaseException) -> str | None:
    """The pipeline stage running when ``exc`` was raised, from its traceback."""
    from ..registry import Pipeline
    stage = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code is Pipeline.__call__.__code__:
            spec = frame.f_locals.get("spec")
            stage = getattr(spec, "name", stage)
    return stage


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of bayan's own code in the traceback."""
    root = str(Path(__file__).resolve().parent.parent)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(root)]
    frame = frames[-1] if frames else (traceback.extract_tb(exc.__traceback__) or [None])[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"


def process_job(job: dict[str, Any]) -> dict[str, Any]:
    """Process one document and write its outputs; a record of what happened.

    ``job`` holds: id, ar, en (absolute paths or None), profile, meta, config (merged),
    key (computed by the client), out_dir, timeout (seconds or None), version.
    """
    from ..corpus import CorpusEntry
    from ..errors import BayanError
    from ..export import render_outputs
    from ..process import process_entry
    from .outputs import write_document

    started = time.perf_counter()
    record: dict[str, Any] = {"id": job["id"], "key": job["key"]}
    phase = "reading"
    try:
        with time_limit(job.get("timeout")):
            version = bayan_version()
            if job.get("version") and job["version"] != version:
                if job["version"].split("+")[0] != version.split("+")[0]:
                    raise VersionMismatch(f"this worker runs bayan {version}, the client {job['version']}; "
                                          "install the same bayan on every machine")
                record["note"] = (f"the worker's bayan code ({version}) differs from the client's "
                                  f"({job['version']}); keyed with the worker's")
            config = job["config"]
            ar, en = Path(job["ar"]), Path(job["en"]) if job.get("en") else None
            key = document_key(job["id"], ar, en, job.get("meta") or {}, config, version, job.get("origin", ""))
            if key != job["key"]:
                record.setdefault("note", "the input changed after the batch started; processed as it is now")
                record["key"] = key
            entry = CorpusEntry(doc_id=job["id"], ar=ar, en=en, profile=job.get("profile"),
                                meta=dict(job.get("meta") or {}))
            bitext = process_entry(entry, pipeline=pipeline_for(config), config=config)
            # Timings go to the run record, not into the outputs: they must not change
            # from one run to the next.
            record["stage_seconds"] = dict(bitext.timings)
            phase = "writing"
            rendered = render_outputs(bitext, batch_formats(config))
            marker = write_document(Path(job["out_dir"]), job["id"], key, version, rendered)
        record.update(status="done", outputs=sorted(marker["files"]), log=list(bitext.log))
    except DocumentTimeout as exc:
        stage = _failing_stage(exc)
        where = f"in stage {stage}" if stage else f"while {phase}"
        record.update(status="failed", error={
            "type": "Timeout", "stage": stage or phase,
            "message": f"took longer than {job['timeout']:g} s ({where}); raise --timeout or check the document"})
        record["recycle"] = True
    except MemoryError as exc:
        stage = _failing_stage(exc)
        where = f"in stage {stage}" if stage else f"while {phase}"
        limit = (f" (the worker's limit is {_limits['memory'] / 2**30:g} GB of address space, --memory-gb)"
                 if _limits.get("memory") else "")
        record.update(status="failed", error={"type": "MemoryError", "stage": stage or phase,
                                              "message": f"ran out of memory {where}{limit}"})
        record["recycle"] = True
    except BayanError as exc:
        record.update(status="failed", error={"type": type(exc).__name__, "stage": _failing_stage(exc) or phase,
                                              "message": str(exc)})
    except Exception as exc:  # the isolation boundary: a crash in a stage fails this document only
        stage = _failing_stage(exc)
        record.update(status="failed", error={
            "type": type(exc).__name__, "stage": stage or phase,
            "message": f"{exc} ({'in stage ' + stage if stage else 'while ' + phase}, at {_where(exc)})",
            "traceback": "".join(traceback.format_exception(exc)[-6:])})
    record["seconds"] = round(time.perf_counter() - started, 4)
    return record


# --- warm-up -----------------------------------------------------------------------

_WARMUP_AR = """عنوان تجريبي لتحميل الموارد

هذه فقرة قصيرة تحمّل موارد المعالجة مرة واحدة في كل عامل. وتذكر الفقرة مدينة كابل وحركة طالبان.

وهذه فقرة ثانية تتحدث عن الولايات المتحدة وباكستان في عام 2021، وعن تنظيم داعش في أفغانستان.
"""
_WARMUP_EN = """<!DOCTYPE html><html lang="en"><head><title>A warm-up article</title></head>
<body><article><h1>A warm-up article</h1><p class="byline">By Jane Doe</p>
<p>This short paragraph loads the processing resources once in every worker. It mentions the city of
Kabul and the Taliban movement.</p>
<p>This second paragraph talks about the United States and Pakistan in 2021, and about the Islamic
State in Afghanistan.</p></article></body></html>
"""


def warm_up(configs: list[dict[str, Any]], folder: Path) -> list[str]:
    """Build each configuration's pipeline and run a tiny document through it, so that
    every resource a stage loads lazily is loaded now; problems are returned, not raised."""
    from ..corpus import CorpusEntry
    from ..export import render_outputs
    from ..process import process_entry

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "warmup.ar.txt").write_text(_WARMUP_AR, encoding="utf-8")
    (folder / "warmup.en.html").write_text(_WARMUP_EN, encoding="utf-8")
    problems = []
    for config in configs:
        try:
            pipeline = pipeline_for(config)
        except Exception as exc:  # a bad configuration fails its documents, not the worker
            problems.append(f"{type(exc).__name__}: {exc}")
            continue
        for en in (folder / "warmup.en.html", None):
            entry = CorpusEntry("warmup", folder / "warmup.ar.txt", en, config.get("profile"))
            try:
                bitext = process_entry(entry, pipeline=pipeline, config=config)
                render_outputs(bitext, batch_formats(config))
                break
            except Exception as exc:  # warm-up is best effort: documents report their own errors
                problems.append(f"warm-up{' with English' if en else ''}: {type(exc).__name__}: {exc}")
    return problems


def _vm_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_memory(limit: int | None) -> str | None:
    """Cap the address space at ``limit`` bytes; a problem if the worker is already past it."""
    if not limit:
        return None
    used = _vm_bytes()
    if used and used > 0.9 * limit:
        return (f"the worker already uses {used / 2**30:.1f} GB of address space after loading its "
                f"resources, near or over the limit of {limit / 2**30:.1f} GB; raise --memory-gb")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _limits["memory"] = limit
    return None


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(3)


def main(argv: list[str]) -> int:
    from multiprocessing.connection import Connection

    started = time.perf_counter()
    bayan_version()  # the fingerprint of the code this process is about to load
    connection = Connection(int(argv[1]))
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        init = connection.recv()
    except EOFError:
        return 0
    imported = time.perf_counter()
    from .. import registry
    registry.registered_stages()  # imports every stage module
    import_seconds = time.perf_counter() - imported
    problems = warm_up(init.get("configs", []), Path(init.get("tmp") or os.environ.get("TMPDIR", "/tmp")) / "warmup")
    address_space = _vm_bytes()
    memory_problem = limit_memory(init.get("memory_bytes"))
    connection.send({"type": "ready", "worker": worker_id(), "pid": os.getpid(),
                     "host": socket.gethostname(), "import_seconds": round(import_seconds, 3),
                     "warmup_seconds": round(time.perf_counter() - started - import_seconds, 3),
                     "warmup_problems": problems, "error": memory_problem,
                     "address_space_gb": round(address_space / 2**30, 2),
                     "peak_rss_mb": peak_rss_mb()})
    if memory_problem:
        return 1
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return 0
        if job is None:
            return 0
        record = process_job(job)
        recycle = record.pop("recycle", False)
        record.update(worker=worker_id(), peak_rss_mb=peak_rss_mb())
        connection.send({"type": "result", "result": record, "recycle": recycle})
        if recycle:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
