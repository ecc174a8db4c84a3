"""What the user sees: a progress bar on stderr, a summary table on stdout."""
from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Documents per minute, over the documents processed (not skipped) so far."""

    def render(self, task) -> Text:
        elapsed = task.elapsed or 0
        rate = task.completed / elapsed * 60 if elapsed > 0.5 and task.completed else 0
        return Text(f"{rate:5.1f} doc/min" if rate else "  –  doc/min", style="progress.data.speed")


class BatchProgress:
    """A progress bar over the documents to process (skipped ones are counted apart)."""

    def __init__(self, total: int, skipped: int, quiet: bool = False):
        self.failed = 0
        self.console = Console(stderr=True)
        self.progress = None if quiet else Progress(
            TextColumn("[bold]bayan batch[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
            _RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}"), console=self.console, transient=False)
        self.task = None
        self.total, self.skipped = total, skipped

    def __enter__(self):
        if self.progress is not None:
            self.progress.start()
            self.task = self.progress.add_task(f"({self.skipped} skipped)" if self.skipped else "",
                                               total=self.total, failed="")
        return self

    def advance(self, record: dict[str, Any]) -> None:
        if record.get("status") == "failed":
            self.failed += 1
        if self.progress is not None:
            self.progress.update(self.task, advance=1,
                                 failed=f"[red]{self.failed} failed[/]" if self.failed else "")

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()


def summary_table(counts: dict[str, int], elapsed: float, processed: int, failures: list[dict[str, Any]],
                  workers: list[dict[str, Any]], stage_means: dict[str, float], paths: dict[str, str],
                  limit: int = 20) -> list[Any]:
    """The renderables of the end-of-run summary."""
    rate = processed / elapsed * 60 if elapsed > 0 and processed else 0.0
    table = Table(title="bayan batch", show_header=True, title_justify="left")
    table.add_column("documents", justify="left")
    table.add_column("count", justify="right")
    for status in ("done", "skipped", "failed"):
        table.add_row(status, str(counts.get(status, 0)), style="red" if status == "failed" and counts.get(status) else None)
    table.add_row("total", str(sum(counts.values())), style="bold")
    lines: list[Any] = [table]
    facts = [f"{elapsed:.1f} s elapsed, {rate:.1f} documents per minute processed"]
    if workers:
        starts = [w["startup_seconds"] for w in workers if w.get("startup_seconds") is not None]
        if starts:
            facts.append(f"{len(workers)} worker process(es) started, start-up {sum(starts) / len(starts):.1f} s on average")
    if stage_means:
        facts.append("mean seconds per stage: " + ", ".join(f"{k} {v:.3f}" for k, v in stage_means.items()))
    lines.append(Text("\n".join(facts)))
    if failures:
        failed = Table(title=f"{len(failures)} failed", title_justify="left", show_lines=False)
        failed.add_column("id", overflow="fold")
        failed.add_column("error")
        failed.add_column("reason", overflow="fold")
        for record in failures[:limit]:
            error = record.get("error") or {}
            failed.add_row(record["id"], str(error.get("type", "")), str(error.get("message", "")).splitlines()[0][:300])
        if len(failures) > limit:
            failed.add_row("…", "", f"{len(failures) - limit} more in {paths.get('manifest', 'the manifest')}")
        lines.append(failed)
    lines.append(Text("\n".join(f"{name}: {path}" for name, path in paths.items())))
    return lines


def print_summary(renderables: list[Any]) -> None:
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 120, soft_wrap=False)
    for item in renderables:
        console.print(item)
