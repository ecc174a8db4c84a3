"""Exceptions that say what is wrong and how to fix it."""
from __future__ import annotations

from pathlib import Path


class BayanError(Exception):
    """Base class of every error bayan raises on purpose."""


class InputError(BayanError, ValueError):
    """An input file that bayan cannot read as asked."""

    def __init__(self, path: Path | str, problem: str, fix: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class ConfigError(BayanError, ValueError):
    """A configuration or pipeline that cannot run; lists every problem at once."""

    def __init__(self, problems: list[str], source: str = "configuration"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source} has {len(self.problems)} problem(s):\n{lines}")


class MissingLayerError(BayanError, KeyError):
    """A stage asked for a layer or view that no earlier stage provided."""

    def __init__(self, lang: str, what: str, available: list[str]):
        self.lang, self.what, self.available = lang, what, available
        super().__init__(f"{lang} side has no {what} (has: {', '.join(available) or 'none'}); "
                         "add the stage that provides it earlier in [pipeline] stages")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class SchemaError(BayanError):
    """bayan wrote XML that its own schema rejects: a bug, reported with the details."""

    def __init__(self, schema: str, errors: list[str]):
        self.schema, self.errors = schema, errors
        shown = "\n".join(f"  - {e}" for e in errors[:10])
        super().__init__(f"output does not validate against {schema}:\n{shown}")
