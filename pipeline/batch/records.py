"""What a batch run leaves besides the outputs.

- ``OUT/_runs/<UTC timestamp>.jsonl``: one run, line by line as it happens (flushed after
  every line, so an interrupted run keeps its record): a ``run`` header, a ``worker``
  line per worker process started, a ``document`` line per document, a ``summary``.
- ``OUT/manifest.jsonl``: the latest status of every document ever run into OUT, one
  line per id, sorted; rewritten atomically every few seconds and at the end.
"""
from __future__ import annotations

import fcntl
import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..export import write_atomically

RUNS = "_runs"
LATEST = "manifest.jsonl"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, default=str) + "\n"


class RunLock:
    """One batch at a time per output folder (``OUT/_runs/.lock``, released on exit)."""

    def __init__(self, out: Path):
        (out / RUNS).mkdir(parents=True, exist_ok=True)
        self.handle = open(out / RUNS / ".lock", "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise ConfigError([f"another bayan batch is writing to {out}; wait for it or choose another -o"],
                              source="batch options") from None

    def release(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class RunRecord:
    """The append-only record of one run."""

    def __init__(self, out: Path, header: dict[str, Any]):
        folder = out / RUNS
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        self.path = folder / f"{stamp}.jsonl"
        self.handle = open(self.path, "x", encoding="utf-8")
        self.write(dict({"type": "run", "started": utc_now()}, **header))

    def write(self, record: dict[str, Any]) -> None:
        self.handle.write(_line(record))
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


class LatestManifest:
    """``OUT/manifest.jsonl``: the latest record per document id."""

    def __init__(self, out: Path, every: float = 5.0):
        self.path = out / LATEST
        self.every = every
        self.records: dict[str, dict[str, Any]] = {}
        self.written = time.monotonic()
        try:
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and "id" in record:
                    self.records[str(record["id"])] = record
        except OSError:
            pass
        self.dirty = False

    def update(self, record: dict[str, Any]) -> None:
        self.records[str(record["id"])] = record
        self.dirty = True
        if time.monotonic() - self.written > self.every:
            self.flush()

    def flush(self) -> None:
        if not self.dirty:
            return
        text = "".join(_line(self.records[key]) for key in sorted(self.records))
        write_atomically(self.path, text.encode("utf-8"))
        self.written = time.monotonic()
        self.dirty = False
