"""The Dask executor: the same jobs on a Dask distributed cluster.

Each Dask worker thread keeps one bayan worker process (:class:`~.sandbox.Sandbox`)
that loads the resources once and enforces the time limit and the memory guard, so a
runaway document costs its own task, never the Dask worker. Jobs carry absolute paths
and the merged configuration itself (a worker needs no config file); each worker keeps
its temporary files under its own ``local_directory``; the outputs are written by the
workers (atomically) into the shared output folder; records flow back to the client,
which alone writes the run manifest.
"""
from __future__ import annotations

import logging
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any, Callable

from ..errors import ConfigError
from .sandbox import Sandbox, WorkerStartError, failure_record

_local = threading.local()
_sandboxes: list[Sandbox] = []
_start_errors: dict[str, str] = {}


def _worker_folder() -> Path:
    try:
        from distributed import get_worker
        return Path(get_worker().local_directory)
    except (ImportError, ValueError):
        return Path(tempfile.gettempdir())


def run_job_on_worker(job: dict[str, Any]) -> dict[str, Any]:
    """A Dask task: process one document in this worker's bayan worker process."""
    sandbox = getattr(_local, "sandbox", None)
    if sandbox is None:
        sandbox = _local.sandbox = Sandbox(_worker_folder(), job.get("memory_bytes"), [job["config"]], name="dask")
        _sandboxes.append(sandbox)
    if "error" in _start_errors:
        return failure_record(job, "WorkerStartError", _start_errors["error"])
    try:
        return sandbox.run(job)
    except WorkerStartError as exc:
        _start_errors["error"] = str(exc)
        return failure_record(job, "WorkerStartError", str(exc))


def close_worker_processes() -> int:
    """Stop this Dask worker's bayan worker processes (run on every worker at the end)."""
    closed = 0
    while _sandboxes:
        _sandboxes.pop().close(wait=2.0)
        closed += 1
    _local.__dict__.clear()
    _start_errors.clear()
    return closed


def run_dask(jobs: list[dict[str, Any]], workers: int, scheduler: str | None,
             on_result: Callable[[dict[str, Any]], None],
             on_worker: Callable[[dict[str, Any]], None],
             on_start: Callable[[str], None] = lambda address: None) -> None:
    """Run ``jobs`` as Dask tasks (on ``scheduler``, or on a LocalCluster of ``workers``
    single-threaded worker processes); every job gets exactly one ``on_result``.

    Raises:
        ConfigError: dask.distributed is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ConfigError(["--executor dask needs dask.distributed: pip install 'dask[distributed]'"],
                          source="batch options") from None
    if not jobs:
        return
    with tempfile.TemporaryDirectory(prefix="bayan-dask-") as folder:
        cluster = None
        try:
            if scheduler:
                client = Client(scheduler, timeout="30s")
            else:
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       local_directory=folder, dashboard_address=None,
                                       silence_logs=logging.ERROR)
                client = Client(cluster)
        except OSError as exc:
            raise ConfigError([f"cannot reach the Dask scheduler {scheduler}: {exc}"], source="batch options") from None
        try:
            on_start(client.scheduler.address if hasattr(client.scheduler, "address") else str(scheduler))
            run = uuid.uuid4().hex[:8]
            futures = {client.submit(run_job_on_worker, job, key=f"bayan-{run}-{n}", pure=False, retries=0): job
                       for n, job in enumerate(jobs)}
            seen_workers: set[str] = set()
            for future in as_completed(futures):
                job = futures.pop(future)
                try:
                    record = future.result()
                except Exception as exc:  # a task Dask itself lost (a worker that died, …)
                    record = failure_record(job, type(exc).__name__, f"the Dask task failed: {exc}")
                future.release()
                start = record.pop("worker_start", None)
                if start and record.get("worker") not in seen_workers:
                    seen_workers.add(record.get("worker"))
                    on_worker(dict(start, worker=record.get("worker")))
                on_result(record)
            client.run(close_worker_processes)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
