"""The parent's handle on one worker process (see :mod:`pipeline.batch.worker`).

A worker is started with :class:`subprocess.Popen` (not multiprocessing: Dask worker
processes are daemonic and may not fork multiprocessing children), speaks over a socket
pair, writes its stdout and stderr to a log file in its own temporary folder, and is
killed when a document runs past the hard deadline (the time limit plus a grace period,
for code stuck where the worker's own alarm cannot interrupt it). A worker that dies
takes only its current document with it; the next job starts a fresh worker.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import BayanError

STARTUP_SECONDS = 600.0
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class WorkerStartError(BayanError):
    """A worker process could not start (its log's last lines are in the message)."""


class WorkerDied(Exception):
    """The worker process ended while it was expected to answer."""


def grace_seconds(timeout: float | None) -> float:
    """How long after the time limit the parent waits before killing the worker."""
    return 5.0 + 0.1 * (timeout or 0)


class Sandbox:
    """One worker process, started on demand and replaced when it dies."""

    def __init__(self, tmp_root: Path | str | None = None, memory_bytes: int | None = None,
                 configs: list[dict[str, Any]] | None = None, name: str = "worker"):
        self.tmp_root = Path(tmp_root) if tmp_root else None
        self.memory_bytes = memory_bytes
        self.configs = list(configs or [])
        self.name = name
        self.process: subprocess.Popen | None = None
        self.connection: Connection | None = None
        self.folder: Path | None = None
        self.ready = False
        self.info: dict[str, Any] = {}
        self.job: dict[str, Any] | None = None
        self.deadline: float | None = None
        self.started_at = 0.0
        self.documents = 0

    # --- life cycle -------------------------------------------------------------------
    def start(self) -> None:
        """Start the process (it answers "ready" when its resources are loaded)."""
        self.folder = Path(tempfile.mkdtemp(prefix=f"bayan-{self.name}-", dir=self.tmp_root))
        parent_end, child_end = socket.socketpair()
        package_root = str(Path(__file__).resolve().parent.parent.parent)
        env = dict(os.environ, TMPDIR=str(self.folder), PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        for variable in _THREAD_VARIABLES:  # parallelism is across documents
            env.setdefault(variable, "1")
        log = open(self.folder / "worker.log", "wb")
        self.started_at = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.batch.worker", str(child_end.fileno())],
                pass_fds=(child_end.fileno(),), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                cwd=self.folder, env=env)
        finally:
            child_end.close()
            log.close()
        self.connection = Connection(parent_end.detach())
        self.connection.send({"configs": self.configs, "memory_bytes": self.memory_bytes,
                              "tmp": str(self.folder)})
        self.ready = False
        self.job = None
        self.deadline = time.monotonic() + STARTUP_SECONDS
        self.documents = 0

    @property
    def alive(self) -> bool:
        return self.process is not None and self.connection is not None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def fileno(self) -> int:
        return self.connection.fileno()

    def log_tail(self, lines: int = 8) -> str:
        try:
            text = (self.folder / "worker.log").read_text(encoding="utf-8", errors="replace")
        except (OSError, TypeError):
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def death(self) -> str:
        """Why the process ended, for a message."""
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if code is None:
            return "stopped answering"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            how = f"was killed by {name}"
            if -code == signal.SIGKILL:
                how += " (out of memory, or killed from outside)"
            elif self.memory_bytes and -code in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
                how += f" (perhaps out of memory: the limit is {self.memory_bytes / 2**30:g} GB, --memory-gb)"
        else:
            how = f"exited with code {code}"
        tail = self.log_tail(3)
        return how + (f"; its log ends: {tail}" if tail else "")

    def kill(self) -> None:
        """End the process now (and forget its folder)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
        if self.connection is not None:
            self.connection.close()
        self.process = self.connection = None
        self.ready = False
        self.job = self.deadline = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def close(self, wait: float = 5.0) -> None:
        """Ask the process to finish, then make sure it has."""
        if self.connection is not None:
            try:
                self.connection.send(None)
            except OSError:
                pass
        if self.process is not None:
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    # --- messages ---------------------------------------------------------------------
    def receive(self) -> dict[str, Any]:
        """The next message (call when the connection is readable).

        Raises:
            WorkerDied: the process ended.
        """
        try:
            message = self.connection.recv()
        except (EOFError, OSError):
            raise WorkerDied(self.death()) from None
        if message["type"] == "ready":
            self.info = dict(message, startup_seconds=round(time.perf_counter() - self.started_at, 3))
            if message.get("error"):
                raise WorkerStartError(message["error"])
            self.ready = True
            self.deadline = None
        elif message["type"] == "result":
            self.job = self.deadline = None
            self.documents += 1
        return message

    def send_job(self, job: dict[str, Any]) -> None:
        timeout = job.get("timeout")
        self.job = job
        self.deadline = time.monotonic() + timeout + grace_seconds(timeout) if timeout else None
        self.connection.send(job)

    def overdue(self, now: float | None = None) -> bool:
        return self.deadline is not None and (now or time.monotonic()) > self.deadline

    def wait_message(self) -> dict[str, Any]:
        """Block until the next message or the deadline.

        Raises:
            WorkerDied: the process ended, or ran past the deadline and was killed.
        """
        remaining = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        if not self.connection.poll(remaining):
            raise TimeoutError()
        return self.receive()

    # --- one job, blocking (used on Dask workers) -------------------------------------
    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        """Process ``job`` in the worker process, starting it if needed; a record.

        Raises:
            WorkerStartError: the worker process cannot start.
        """
        if not self.alive:
            self.start()
        if not self.ready:
            try:
                self.wait_message()
            except (WorkerDied, TimeoutError) as exc:
                detail = str(exc) or "did not become ready"
                self.kill()
                raise WorkerStartError(f"the worker process {detail}") from None
            except WorkerStartError:
                self.kill()
                raise
        started = self.info
        self.send_job(job)
        try:
            while True:
                message = self.wait_message()
                if message["type"] == "result":
                    break
        except TimeoutError:
            seconds = job.get("timeout") or 0
            self.kill()
            return failure_record(job, "Timeout", f"no result after {seconds + grace_seconds(seconds):g} s "
                                  f"(time limit {seconds:g} s); the worker was killed")
        except WorkerDied as exc:
            self.kill()
            return failure_record(job, "WorkerDied", f"the worker process {exc} while processing this document")
        record = message["result"]
        if self.documents == 1:
            record["worker_start"] = {k: started.get(k) for k in ("startup_seconds", "import_seconds",
                                                                   "warmup_seconds", "warmup_problems")}
        if message.get("recycle"):
            self.close()
        return record


def failure_record(job: dict[str, Any], kind: str, message: str) -> dict[str, Any]:
    """The record of a document the worker could not report on itself."""
    return {"id": job["id"], "key": job.get("key"), "status": "failed",
            "error": {"type": kind, "stage": None, "message": message}}
