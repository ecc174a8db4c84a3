"""Stages: registered by name, declaring what they require and provide.

A stage is a function ``(bitext, options) -> bitext`` that adds layers or views and
never edits raw text. :func:`stage` registers it with its option class (a frozen
dataclass); :func:`build_pipeline` turns the ``[pipeline]`` and ``[stages.*]`` tables of
a configuration into a :class:`Pipeline`, after checking everything and reporting every
problem in one :class:`~pipeline.errors.ConfigError`.
"""
from __future__ import annotations

import dataclasses
import time
import typing
from dataclasses import dataclass
from typing import Any, Callable

from .document import Bitext
from .errors import ConfigError


@dataclass(frozen=True)
class NoOptions:
    """For stages without options."""


@dataclass(frozen=True)
class StageSpec:
    """A registered stage."""

    name: str
    function: Callable[[Bitext, Any], Bitext]
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    options: type
    needs_english: bool
    doc: str


_REGISTRY: dict[str, StageSpec] = {}

#: What the readers give every document before the first stage: the Arabic raw text,
#: and for a document with English, its raw text and blocks (from the page's markup).
READER_PROVIDES = ("ar.raw", "en.raw", "en.blocks")


def stage(name: str, *, requires: tuple[str, ...] = (), provides: tuple[str, ...] = (),
          options: type = NoOptions, needs_english: bool = False):
    """Register a stage function under ``name``.

    Args:
        requires: capabilities (``"ar.blocks"``, ``"en.sentences"``) earlier stages provide.
        provides: capabilities this stage adds.
        options: a frozen dataclass; its fields are the stage's ``[stages."name"]`` keys.
        needs_english: skip (and say so) when the document has no English side.
    """
    def register(function: Callable[[Bitext, Any], Bitext]):
        if name in _REGISTRY and _REGISTRY[name].function is not function:
            raise ValueError(f"two stages are registered as '{name}'")
        _REGISTRY[name] = StageSpec(name, function, tuple(requires), tuple(provides), options,
                                    needs_english, (function.__doc__ or "").strip().splitlines()[0])
        return function
    return register


def registered_stages() -> dict[str, StageSpec]:
    """Every registered stage by name (importing the stage modules first)."""
    from . import stages  # noqa: F401  (registers the stages)
    return dict(_REGISTRY)


def _check_value(value: Any, hint: Any) -> Any:
    """``value`` converted to the field type ``hint``, or raise TypeError."""
    origin = typing.get_origin(hint)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if origin in (tuple, list):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_check_value(v, item) for v in value)
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise TypeError(f"expected a table, got {type(value).__name__}")
        return dict(value)
    if origin is typing.Union or origin is getattr(__import__("types"), "UnionType", None):
        for option in typing.get_args(hint):
            try:
                return _check_value(value, option)
            except TypeError:
                continue
        raise TypeError(f"expected {hint}, got {type(value).__name__}")
    if hint is Any:
        return value
    if hint is type(None):
        if value is None:
            return None
        raise TypeError("expected nothing")
    if isinstance(hint, type):
        if isinstance(value, bool) and hint is not bool:
            raise TypeError(f"expected {hint.__name__}, got bool")
        if not isinstance(value, hint):
            raise TypeError(f"expected {hint.__name__}, got {type(value).__name__}")
    return value


def make_options(spec: StageSpec, table: dict[str, Any], problems: list[str]) -> Any:
    """Build a stage's options from its config table, adding any problem to ``problems``."""
    hints = typing.get_type_hints(spec.options)
    names = {f.name for f in dataclasses.fields(spec.options)}
    values = {}
    for key, value in table.items():
        if key not in names:
            known = ", ".join(sorted(names)) or "none"
            problems.append(f'[stages."{spec.name}"] has unknown option "{key}" (known: {known})')
            continue
        try:
            values[key] = _check_value(value, hints[key])
        except TypeError as exc:
            problems.append(f'[stages."{spec.name}"] option "{key}": {exc}')
    try:
        return spec.options(**values)
    except (TypeError, ValueError) as exc:
        problems.append(f'[stages."{spec.name}"]: {exc}')
        return None


@dataclass
class Pipeline:
    """Checked stages with their options, run in order on each Bitext."""

    steps: list[tuple[StageSpec, Any]]

    @property
    def names(self) -> list[str]:
        return [spec.name for spec, _ in self.steps]

    def __call__(self, bitext: Bitext) -> Bitext:
        timings = bitext.timings
        for spec, options in self.steps:
            if spec.needs_english and bitext.en is None:
                bitext.log.append(f"{spec.name}: skipped, the document has no English side")
                continue
            started = time.perf_counter()
            bitext = spec.function(bitext, options)
            timings[spec.name] = round(time.perf_counter() - started, 4)
        return bitext


def build_pipeline(config: dict[str, Any]) -> Pipeline:
    """Check a configuration and build its pipeline; every problem is reported at once.

    Raises:
        ConfigError: unknown stages or options, wrong option types, a stage whose
            requirements no earlier stage provides, a stage listed twice.
    """
    available = registered_stages()
    problems: list[str] = []
    names = config.get("pipeline", {}).get("stages")
    if not isinstance(names, list) or not names:
        raise ConfigError(['[pipeline] stages must be a non-empty list of stage names '
                           f'(registered: {", ".join(sorted(available))})'])
    stage_tables = config.get("stages", {})
    for name in stage_tables:
        if name not in names:
            problems.append(f'[stages."{name}"] configures a stage that is not in [pipeline] stages')
    provided: set[str] = set(READER_PROVIDES)
    seen: set[str] = set()
    steps = []
    for name in names:
        spec = available.get(name)
        if spec is None:
            problems.append(f'unknown stage "{name}" (registered: {", ".join(sorted(available))})')
            continue
        if name in seen:
            problems.append(f'stage "{name}" is listed twice')
        seen.add(name)
        for need in spec.requires:
            if need not in provided:
                givers = [s.name for s in available.values() if need in s.provides]
                problems.append(f'stage "{name}" requires {need}, which no earlier stage provides '
                                f'(put {" or ".join(givers) or "a stage that provides it"} before it)')
        provided.update(spec.provides)
        options = make_options(spec, stage_tables.get(name, {}), problems)
        steps.append((spec, options))
    if problems:
        raise ConfigError(problems, source="pipeline configuration")
    return Pipeline(steps)
