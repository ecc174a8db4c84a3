"""Rewriting a text while keeping the map back to raw offsets.

A rewrite step looks at a :class:`~pipeline.document.View` and proposes edits
``(start, end, replacement)``; :func:`apply_edits` makes the new view and composes the
offset map, so that every character of every derived text still points into the raw
text. camel-tools' functions return bare strings; :func:`charwise` applies them one
character at a time so their offsets survive.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from .document import OffsetMap, View

Edit = tuple[int, int, str]
Step = Callable[[str], Iterable[Edit]]


def apply_edits(view: View, edits: Iterable[Edit]) -> View:
    """A new view with ``edits`` (sorted, non-overlapping) applied to ``view``.

    Replacement characters map to the raw range of the text they replace; characters
    left alone keep their mapping; deleted characters disappear from the map.
    """
    text, offsets = view.text, view.offsets
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, replacement in edits:
        if start < position:
            raise ValueError(f"edits overlap or are unsorted at {start}")
        pieces.append(text[position:start])
        starts.extend(offsets.raw_start[position:start])
        ends.extend(offsets.raw_end[position:start])
        if replacement:
            raw_start, raw_end = offsets.to_raw(start, end)
            pieces.append(replacement)
            starts.extend([raw_start] * len(replacement))
            ends.extend([raw_end] * len(replacement))
        position = end
    pieces.append(text[position:])
    starts.extend(offsets.raw_start[position:])
    ends.extend(offsets.raw_end[position:])
    return View("".join(pieces), OffsetMap(starts, ends, offsets.raw_length))


def run_steps(view: View, steps: Iterable[Step]) -> View:
    """Apply each step in turn, each to the output of the one before."""
    for step in steps:
        view = apply_edits(view, list(step(view.text)))
    return view


def charwise(function: Callable[[str], str]) -> Step:
    """A step that applies a string function to each character on its own.

    Right for functions that act per character (camel's dediac_ar, normalize_alef_ar …);
    results are cached per distinct character.
    """
    cached = lru_cache(maxsize=4096)(function)

    def step(text: str) -> Iterable[Edit]:
        for index, char in enumerate(text):
            new = cached(char)
            if new != char:
                yield index, index + 1, new
    step.__name__ = f"charwise({getattr(function, '__name__', 'function')})"
    return step


def regex_sub(pattern: str | re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]) -> Step:
    """A step that replaces every match of ``pattern`` (like :func:`re.sub`)."""
    compiled = re.compile(pattern) if isinstance(pattern, str) else pattern

    def step(text: str) -> Iterable[Edit]:
        for match in compiled.finditer(text):
            new = replacement(match) if callable(replacement) else match.expand(replacement)
            if new != match.group(0):
                yield match.start(), match.end(), new
    step.__name__ = f"regex_sub({compiled.pattern!r})"
    return step


def translate_chars(table: dict[str, str]) -> Step:
    """A step that maps single characters through ``table`` (value '' deletes)."""
    if not table:
        return lambda text: ()
    pattern = re.compile("[" + "".join(re.escape(c) for c in table) + "]")
    return regex_sub(pattern, lambda m: table[m.group(0)])
