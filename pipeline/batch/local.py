"""The local executor: N worker processes on this machine, fed one document at a time.

One loop in the client waits on every worker's connection at once
(:func:`multiprocessing.connection.wait`) with the nearest deadline as its timeout: a
worker that answers gets the next document; one past its deadline is killed and its
document recorded as timed out; one that dies takes only its document with it. Workers
are replaced as needed, so a runaway document never stops the run. (A
ProcessPoolExecutor cannot do this: it cannot kill one task, and a worker that dies
breaks the whole pool.)
"""
from __future__ import annotations

import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable

from .sandbox import Sandbox, WorkerDied, WorkerStartError, failure_record, grace_seconds


def run_local(jobs: list[dict[str, Any]], workers: int, memory_bytes: int | None,
              configs: list[dict[str, Any]], tmp_root: Path,
              on_result: Callable[[dict[str, Any]], None],
              on_worker: Callable[[dict[str, Any]], None]) -> None:
    """Run ``jobs`` on ``workers`` processes; every job gets exactly one ``on_result``.

    Raises:
        WorkerStartError: a worker could not start (jobs not yet run are not reported).
    """
    pending = deque(jobs)
    pool = [Sandbox(tmp_root, memory_bytes, configs, name=f"w{n}") for n in range(min(workers, len(jobs)))]
    try:
        for sandbox in pool:
            sandbox.start()
        while pending or any(s.busy for s in pool):
            live = [s for s in pool if s.alive]
            if not live:
                break
            deadlines = [s.deadline for s in live if s.deadline is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            readable = wait([s.connection for s in live], timeout)
            for sandbox in live:
                if sandbox.connection in readable:
                    _answer(sandbox, pending, on_result, on_worker)
            now = time.monotonic()
            for sandbox in live:
                if sandbox.alive and sandbox.overdue(now):
                    if not sandbox.ready:
                        tail = sandbox.log_tail()
                        sandbox.kill()
                        raise WorkerStartError(f"a worker did not load its resources in time; its log ends: {tail}")
                    seconds = sandbox.job.get("timeout") or 0
                    on_result(failure_record(sandbox.job, "Timeout",
                                             f"no result after {seconds + grace_seconds(seconds):g} s (time limit "
                                             f"{seconds:g} s); the worker was killed"))
                    _replace(sandbox, pending)
    finally:
        for sandbox in pool:
            sandbox.close(wait=2.0) if not sandbox.busy else sandbox.kill()


def _replace(sandbox: Sandbox, pending: deque) -> None:
    sandbox.kill()
    if pending:
        sandbox.start()


def _answer(sandbox: Sandbox, pending: deque, on_result, on_worker) -> None:
    try:
        message = sandbox.receive()
    except WorkerDied as exc:
        if not sandbox.ready:
            raise WorkerStartError(f"a worker process {exc}") from None
        if sandbox.job is None:
            _replace(sandbox, pending)
            return
        on_result(failure_record(sandbox.job, "WorkerDied",
                                 f"the worker process {exc} while processing this document"))
        _replace(sandbox, pending)
        return
    except WorkerStartError:
        sandbox.kill()
        raise
    if message["type"] == "ready":
        on_worker(sandbox.info)
    elif message["type"] == "result":
        on_result(message["result"])
        if message.get("recycle"):
            _replace(sandbox, pending)
            return
    if pending and sandbox.alive and not sandbox.busy:
        sandbox.send_job(pending.popleft())
    elif not pending and not sandbox.busy:
        sandbox.close(wait=2.0)
