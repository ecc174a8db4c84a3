"""The lossless document model: raw text that never changes, plus layers of spans.

A :class:`Side` holds one language's raw text and named layers of :class:`Span` s whose
offsets point into that raw text. Derived texts (the normalized reading text, the
matching key) are :class:`View` s: a string plus an :class:`OffsetMap` back to raw.
A :class:`Bitext` holds the Arabic and (optionally) the English side, the metadata
and, once aligned, the alignment.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

Part = tuple[int, int]


@dataclass(frozen=True)
class Span:
    """A labelled region of a side's raw text.

    Most spans are one contiguous range. A span can also be made of several ``parts``
    (a paragraph cut by a page break and footnotes, joined again): its text is the parts
    in order, and what lies between them belongs to other spans.

    Attributes:
        parts: ``(start, end)`` character ranges into the raw text, in order.
        label: what the span is (a block kind, ``"s"``, ``"tok"`` …).
        id: a stable readable id (``ar.p3``, ``en.s15``) or ``None``.
        attrs: extra data (page, marker, rule, confidence …), JSON-serializable.
    """

    parts: tuple[Part, ...]
    label: str
    id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("a Span needs at least one (start, end) part")
        previous_end = -1
        for start, end in self.parts:
            if not (0 <= start <= end) or start < previous_end:
                raise ValueError(f"span parts must be ordered, non-overlapping ranges: {self.parts}")
            previous_end = end

    @classmethod
    def at(cls, start: int, end: int, label: str, id: str | None = None, **attrs: Any) -> "Span":
        """A contiguous span ``[start, end)``."""
        return cls(((start, end),), label, id, attrs)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def text(self, raw: str, joiner: str = " ") -> str:
        """The span's raw text, parts joined by ``joiner``."""
        return joiner.join(raw[a:b] for a, b in self.parts)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"parts": [list(p) for p in self.parts], "label": self.label}
        if self.id is not None:
            data["id"] = self.id
        if self.attrs:
            data["attrs"] = self.attrs
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Span":
        return cls(tuple((a, b) for a, b in data["parts"]), data["label"], data.get("id"),
                   dict(data.get("attrs", {})))


class OffsetMap:
    """Maps each character of a derived text back to the raw range it came from.

    ``raw_start[i]``/``raw_end[i]`` give the raw range of derived character ``i``. A raw
    character that was deleted maps to no derived character; one raw character that
    became several (a ligature expanded) maps to each of them.
    """

    __slots__ = ("raw_start", "raw_end", "raw_length")

    def __init__(self, raw_start: list[int], raw_end: list[int], raw_length: int):
        if len(raw_start) != len(raw_end):
            raise ValueError("raw_start and raw_end must have one entry per derived character")
        self.raw_start = raw_start
        self.raw_end = raw_end
        self.raw_length = raw_length

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls(list(range(length)), list(range(1, length + 1)), length)

    def __len__(self) -> int:
        return len(self.raw_start)

    def to_raw(self, start: int, end: int) -> Part:
        """The raw range covered by derived characters ``[start, end)``.

        An empty derived range maps to the empty raw range at the matching position.
        """
        if not 0 <= start <= end <= len(self):
            raise IndexError(f"derived range ({start}, {end}) outside 0..{len(self)}")
        if start == end:
            position = self.raw_start[start] if start < len(self) else self.raw_length
            return position, position
        return self.raw_start[start], max(self.raw_end[start:end])

    def from_raw(self, start: int, end: int) -> Part:
        """The derived range whose characters start in raw ``[start, end)``."""
        first = bisect.bisect_left(self.raw_start, start)
        last = bisect.bisect_left(self.raw_start, end)
        return first, max(first, last)

    def then(self, later: "OffsetMap") -> "OffsetMap":
        """Compose: ``later`` maps a text derived from this map's text."""
        starts, ends = [], []
        for a, b in zip(later.raw_start, later.raw_end):
            raw_a, raw_b = self.to_raw(a, b)
            starts.append(raw_a)
            ends.append(raw_b)
        return OffsetMap(starts, ends, self.raw_length)


@dataclass(frozen=True)
class View:
    """A derived text with its map back to raw offsets."""

    text: str
    offsets: OffsetMap

    def slice_raw(self, start: int, end: int) -> str:
        """The derived text that comes from raw ``[start, end)``."""
        a, b = self.offsets.from_raw(start, end)
        return self.text[a:b]

    def span_text(self, span: Span, joiner: str = " ") -> str:
        """The derived text of a (possibly multi-part) span."""
        return joiner.join(self.slice_raw(a, b) for a, b in span.parts)


class Side:
    """One language's raw text (immutable) and its layers and views."""

    def __init__(self, lang: str, raw: str, source: dict[str, Any] | None = None):
        self._lang = lang
        self._raw = raw
        self.source: dict[str, Any] = dict(source or {})
        self.layers: dict[str, list[Span]] = {}
        self.views: dict[str, View] = {}

    @property
    def lang(self) -> str:
        return self._lang

    @property
    def raw(self) -> str:
        """The text as read from the input; no stage may change it."""
        return self._raw

    def layer(self, name: str) -> list[Span]:
        """The spans of a layer (empty when no stage provided it)."""
        return self.layers.get(name, [])

    def set_layer(self, name: str, spans: Iterable[Span]) -> None:
        """Replace a layer, checking that every span lies inside the raw text."""
        spans = sorted(spans, key=lambda s: (s.start, s.end))
        for span in spans:
            if span.end > len(self._raw):
                raise ValueError(f"span {span.id or span.label} ends at {span.end}, past the raw text ({len(self._raw)})")
        self.layers[name] = spans

    def view(self, name: str) -> View:
        """A derived text; the raw text itself is the view ``"raw"``."""
        if name == "raw":
            return View(self._raw, OffsetMap.identity(len(self._raw)))
        try:
            return self.views[name]
        except KeyError:
            from .errors import MissingLayerError
            raise MissingLayerError(self._lang, f"view '{name}'", sorted(self.views)) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self._lang,
            "raw": self._raw,
            "source": self.source,
            "layers": {name: [s.to_json() for s in spans] for name, spans in self.layers.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Side":
        side = cls(data["lang"], data["raw"], data.get("source"))
        for name, spans in data.get("layers", {}).items():
            side.layers[name] = [Span.from_json(s) for s in spans]
        return side


@dataclass
class Metadata:
    """What is known about the publication."""

    title: dict[str, str] = field(default_factory=dict)      # lang -> title
    authors: dict[str, list[str]] = field(default_factory=dict)  # lang -> names
    publisher: str | None = None
    date: str | None = None
    source_url: str | None = None
    doc_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Bitext:
    """The Arabic side, the English side when there is one, metadata and alignment."""

    ar: Side
    en: Side | None = None
    meta: Metadata = field(default_factory=Metadata)
    alignment: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    #: seconds per stage of the last run (not saved: outputs must not depend on timing)
    timings: dict[str, float] = field(default_factory=dict)

    def sides(self) -> Iterator[Side]:
        yield self.ar
        if self.en is not None:
            yield self.en

    def side(self, lang: str) -> Side | None:
        return {"ar": self.ar, "en": self.en}.get(lang)

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict
        return {
            "meta": asdict(self.meta),
            "sides": [s.to_json() for s in self.sides()],
            "alignment": self.alignment,
            "log": self.log,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Bitext":
        sides = {s["lang"]: Side.from_json(s) for s in data["sides"]}
        return cls(ar=sides["ar"], en=sides.get("en"), meta=Metadata(**data["meta"]),
                   alignment=data.get("alignment", []), log=data.get("log", []))


@dataclass(frozen=True)
class BlockText:
    """The derived text of a (possibly multi-part) span, with a way back to raw.

    The parts' derived texts are joined by ``joiner``; :meth:`raw_parts` maps a range of
    this joined text to the raw ranges it covers (the joiners map to nothing).
    """

    text: str
    view: View
    segments: tuple[tuple[int, int, int], ...]  # (offset in text, view start, view end)

    @classmethod
    def of(cls, view: View, span: Span, joiner: str = " ") -> "BlockText":
        pieces, segments, offset = [], [], 0
        for a, b in span.parts:
            v0, v1 = view.offsets.from_raw(a, b)
            if pieces:
                pieces.append(joiner)
                offset += len(joiner)
            pieces.append(view.text[v0:v1])
            segments.append((offset, v0, v1))
            offset += v1 - v0
        return cls("".join(pieces), view, tuple(segments))

    def raw_parts(self, start: int, end: int) -> tuple[Part, ...]:
        """The raw ranges covered by ``text[start:end]`` (one per part it touches)."""
        parts = []
        for offset, v0, v1 in self.segments:
            a, b = max(start, offset), min(end, offset + v1 - v0)
            if a < b:
                parts.append(self.view.offsets.to_raw(v0 + a - offset, v0 + b - offset))
        return tuple(parts)
