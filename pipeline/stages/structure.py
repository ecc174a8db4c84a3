"""Structure of an Arabic publication laid out as plain text (from PDF or OCR).

Finds the publisher's front matter, the title (and its repetition), the bylines with
their footnote markers, the footnotes, headings, figure captions, body paragraphs and
the closing source line. A paragraph left open at a page break (it does not end with
closing punctuation) is joined with the next body line, across footnotes and captions
in between; the join is kept as a page break. What a publisher's layout looks like is
configuration (``configs/<profile>.toml``), not code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..document import Bitext, Side, Span
from ..readers.english import block_id
from ..registry import stage

_URL = re.compile(r"<?((?:https?://|www\.)[^\s<>]+)>?")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class StructureOptions:
    """Options of ``ar.structure``; a profile in ``configs/`` sets them per publisher.

    Attributes:
        front: front-matter rules, tables with ``pattern`` (regex on a line), ``role``
            (publisher, credit, copyright, web, mail, motto …) and optionally ``next``:
            the role of the line after it (``عن المركز`` is followed by the "about" text).
        footnote_marker: a line starting with this is a footnote; the marker is kept.
        caption: a line matching this is a figure caption.
        source_label: a line matching this starts the source (URL on it or the next line).
        heading_max_words: longer lines are never headings.
        closing: characters that close a paragraph; a paragraph ending otherwise is open.
        trailing: quotes and brackets that may follow the closing character.
        byline_max_words: longer lines after a title are not bylines.
        author_separator: how names in a byline are separated.
    """

    front: tuple[dict, ...] = ()
    footnote_marker: str = r"^(\*{1,4})\s*"
    caption: str = r"^(?:الشكل|شكل|الجدول|جدول|الخريطة|خريطة)\s*[0-9٠-٩]+\s*[-–—:.]"
    source_label: str = r"^(?:المصدر|رابط المقال(?: الأصلي)?)\s*:"
    heading_max_words: int = 12
    closing: str = ".!?؟…"
    trailing: str = "»\"'”)]"
    byline_max_words: int = 10
    author_separator: str = r"\s+[–—-]\s+|\s*،\s*|\s+و\s+"
    front_rules: list = field(default_factory=list, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        rules = []
        for rule in self.front:
            if not isinstance(rule, dict) or "pattern" not in rule or "role" not in rule:
                raise ValueError(f"each front rule needs a pattern and a role, got {rule!r}")
            rules.append((re.compile(rule["pattern"]), rule["role"], rule.get("next")))
        self.front_rules.extend(rules)


@dataclass
class _Line:
    start: int
    end: int
    text: str
    page_break_before: bool = False  # a form feed lies between this line and the last


def _lines(raw: str) -> list[_Line]:
    """Non-blank lines with offsets (trimmed); form feeds become page-break flags."""
    lines, pending_break = [], False
    for match in re.finditer(r"[^\n\r\f]*", raw):
        if match.start() > 0 and raw[match.start() - 1] == "\f":
            pending_break = True
        text = match.group(0)
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        lines.append(_Line(start, start + len(stripped), stripped, pending_break))
        pending_break = False
    return lines


def _normalize_for_compare(text: str) -> str:
    return " ".join(re.sub("[\u064b-\u0652\u0640*]", "", text).split())


class _ArabicLayout:
    """One pass over the lines; each method handles one kind of line."""

    def __init__(self, side: Side, options: StructureOptions):
        self.side, self.options = side, options
        self.blocks: list[dict[str, Any]] = []
        self.page_breaks: list[Span] = []
        self.counters: dict[str, int] = {}
        self.meta: dict[str, Any] = {"authors": [], "front": {}}
        self.title: str | None = None
        self.open_paragraph: dict[str, Any] | None = None
        self.next_front_role: str | None = None
        self.in_front = True
        self.footnote = re.compile(options.footnote_marker)
        self.caption = re.compile(options.caption)
        self.source = re.compile(options.source_label)

    def add(self, kind: str, line: _Line, **attrs) -> dict[str, Any]:
        block = {"kind": kind, "parts": [(line.start, line.end)], "attrs": attrs}
        self.blocks.append(block)
        return block

    def closes(self, text: str) -> bool:
        return text.rstrip(self.options.trailing + " ")[-1:] in self.options.closing

    def is_heading(self, line: _Line, following: _Line | None) -> bool:
        words = len(_WORD.findall(line.text))
        last = line.text.rstrip(self.options.trailing)[-1:]
        return (words <= self.options.heading_max_words and last not in ".،,؛;"
                and following is not None and len(_WORD.findall(following.text)) > words)

    def front_rule(self, line: _Line):
        for pattern, role, following in self.options.front_rules:
            if pattern.search(line.text):
                return role, following
        return None

    def handle(self, line: _Line, following: _Line | None) -> None:
        text = line.text
        previous = self.blocks[-1] if self.blocks else None
        if line.page_break_before:
            self.page_breaks.append(Span.at(line.start, line.start, "pb", explicit=True))
        if self.in_front and (rule := self.front_rule(line)):
            role, self.next_front_role = rule
            self.add("front", line, role=role)
            self.meta["front"].setdefault(role, text)
            return
        if self.in_front and self.next_front_role:
            self.add("front", line, role=self.next_front_role)
            self.meta["front"].setdefault(self.next_front_role, text)
            self.next_front_role = None
            return
        if self.title is None:
            self.title = text
            self.add("title", line)
            return
        if _normalize_for_compare(text) == _normalize_for_compare(self.title):
            self.add("title", line, repeated=True)
            return
        if previous and previous["kind"] == "title" and self.looks_like_byline(text):
            self.add_byline(line)
            return
        if (marker := self.footnote.match(text)):
            body = _Line(line.start + marker.end(), line.end, text[marker.end():])
            self.add("footnote", body, n=marker.group(1))
            return
        if (caption := self.caption.search(text)):
            number = re.search(r"[0-9٠-٩]+", caption.group(0))
            self.add("caption", line, n=int(number.group(0)) if number else None)
            return
        if self.source.search(text):
            self.add_source(line)
            return
        if previous and previous["kind"] == "source" and (url := _URL.fullmatch(text)):
            previous["parts"].append((line.start + url.start(1), line.start + url.end(1)))
            previous["attrs"]["url"] = self.meta["source_url"] = url.group(1)
            return
        self.in_front = False
        if self.open_paragraph is not None:
            self.open_paragraph["parts"].append((line.start, line.end))
            if not line.page_break_before:
                self.page_breaks.append(Span.at(line.start, line.start, "pb", inferred=True))
            if self.closes(text):
                self.open_paragraph = None
            return
        if self.is_heading(line, following):
            self.add("heading", line)
            return
        block = self.add("paragraph", line)
        self.open_paragraph = None if self.closes(text) else block

    def looks_like_byline(self, text: str) -> bool:
        return (len(_WORD.findall(text)) <= self.options.byline_max_words
                and not re.search("[.؟?!:،]$", text))

    def add_byline(self, line: _Line) -> None:
        authors = []
        for name in re.split(self.options.author_separator, line.text):
            marker = re.search(r"\*+$", name.strip())
            clean = name.strip().rstrip("*").strip()
            if clean:
                authors.append({"name": clean, "marker": marker.group(0) if marker else None})
        self.add("byline", line, authors=authors)
        if not self.meta["authors"] or any(a["marker"] for a in authors):
            self.meta["authors"] = authors

    def add_source(self, line: _Line) -> None:
        block = self.add("source", line)
        url = _URL.search(line.text)
        if url:
            block["attrs"]["url"] = self.meta["source_url"] = url.group(1)

    def spans(self) -> list[Span]:
        ordered = sorted(self.blocks, key=lambda b: b["parts"][0][0])
        return [Span(tuple(b["parts"]), b["kind"], block_id(self.side.lang, b["kind"], self.counters),
                     b["attrs"]) for b in ordered]


def analyse_layout(side: Side, options: StructureOptions) -> tuple[list[Span], list[Span], dict]:
    """Blocks, page breaks and what was learned for the metadata."""
    layout = _ArabicLayout(side, options)
    lines = _lines(side.raw)
    for index, line in enumerate(lines):
        layout.handle(line, lines[index + 1] if index + 1 < len(lines) else None)
    layout.meta["title"] = layout.title
    return layout.spans(), layout.page_breaks, layout.meta


@stage("ar.structure", provides=("ar.blocks",), options=StructureOptions)
def structure_arabic(bitext: Bitext, options: StructureOptions) -> Bitext:
    """Find the Arabic side's blocks (front matter, title, bylines, notes, body …)."""
    blocks, page_breaks, found = analyse_layout(bitext.ar, options)
    bitext.ar.set_layer("blocks", blocks)
    bitext.ar.set_layer("page_breaks", page_breaks)
    meta = bitext.meta
    if found["title"]:
        meta.title.setdefault("ar", found["title"])
    if found["authors"]:
        meta.authors.setdefault("ar", [a["name"] for a in found["authors"]])
    meta.source_url = meta.source_url or found.get("source_url")
    if not meta.publisher and "publisher" in found["front"]:
        meta.publisher = found["front"]["publisher"]
    if not meta.date and (year := re.search(r"\b(19|20)\d\d\b", found["front"].get("copyright", ""))):
        meta.date = year.group(0)
    meta.extra.setdefault("front_matter", found["front"])
    return bitext
