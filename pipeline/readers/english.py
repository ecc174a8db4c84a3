"""Reading the English side: the original's web page, or plain text / Markdown.

The English raw text is what the reader makes of the input: for a web page, the
article's blocks (headline, byline, body, headings, captions, author bio) joined by
blank lines, with their kinds as the ``blocks`` layer; for text or Markdown, the file
itself with blocks found from its markup (``#`` headings, ``By …`` byline, ``Image:``
and ``Figure N`` captions, an "About the authors" section).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Side, Span
from ..errors import InputError
from .text import read_text_file

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
BLOCK_PREFIX = {"title": "title", "byline": "byline", "heading": "h", "paragraph": "p",
                "caption": "fig", "bio": "bio", "footnote": "n", "source": "src", "front": "fm"}


@dataclass(frozen=True)
class HtmlOptions:
    """Where an article page keeps what trafilatura leaves out (XPath expressions)."""

    byline: tuple[str, ...] = ('//*[contains(@class,"byline")]', '//*[@rel="author"]/..')
    author_links: tuple[str, ...] = ('//*[@rel="author"]', '//meta[@name="author"]/@content')
    bio: tuple[str, ...] = ('//*[contains(@class,"author-bio")]//p', '//*[contains(@class,"author-info")]//p')
    date: tuple[str, ...] = ('//meta[@property="article:published_time"]/@content', '//time/@datetime')
    url: tuple[str, ...] = ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content')


@dataclass
class _BlockWriter:
    """Collects blocks into one raw text, blank-line separated, with their spans."""

    lang: str
    pieces: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    length: int = 0
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, text: str, **attrs) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if self.pieces:
            self.pieces.append("\n\n")
            self.length += 2
        self.spans.append(Span.at(self.length, self.length + len(text), kind,
                                  block_id(self.lang, kind, self.counters), **attrs))
        self.pieces.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.pieces)


def block_id(lang: str, kind: str, counters: dict[str, int]) -> str:
    """The next readable id for a block of ``kind`` (``en.p3``, ``ar.h2``, ``ar.fig1``)."""
    prefix = BLOCK_PREFIX.get(kind, kind)
    counters[prefix] = counters.get(prefix, 0) + 1
    return f"{lang}.{prefix}{counters[prefix]}"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _first(tree, expressions: tuple[str, ...]) -> list:
    for expression in expressions:
        found = tree.xpath(expression)
        if found:
            return found
    return []


def _text_of(node) -> str:
    return _norm(node if isinstance(node, str) else node.text_content())


def read_html(path: Path, options: HtmlOptions = HtmlOptions()) -> Side:
    """The English side from an article web page."""
    import lxml.etree
    import lxml.html
    import trafilatura

    decoded = read_text_file(path)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False)
    try:
        tree = lxml.html.document_fromstring(decoded.text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(path, f"cannot be parsed as HTML: {exc}") from None
    extracted = trafilatura.extract(decoded.text, output_format="xml", include_comments=False,
                                    include_formatting=False, include_images=False)
    main_texts: set[str] = set()
    head_texts: set[str] = set()
    if extracted:
        xml = lxml.etree.fromstring(extracted.encode("utf-8"),
                                    lxml.etree.XMLParser(resolve_entities=False, no_network=True))
        main_texts = {_norm("".join(p.itertext())) for p in xml.iter("p", "list", "quote")}
        head_texts = {_norm("".join(h.itertext())) for h in xml.iter("head")}
    body_paragraphs = [p for p in tree.iter("p") if _text_of(p) in main_texts]
    if not body_paragraphs:
        raise InputError(path, "no article text found in this web page",
                         "save the article page itself, or pass its text as .txt/.md")
    bio_nodes = _first(tree, options.bio)
    bio_set = set(bio_nodes)

    writer = _BlockWriter("en")
    titles = tree.xpath("//h1")
    title = _text_of(titles[0]) if titles else _norm(tree.findtext(".//title") or "")
    writer.add("title", title)
    authors = [_text_of(a) for a in _first(tree, options.author_links)]
    bylines = _first(tree, options.byline)
    if bylines:
        writer.add("byline", _text_of(bylines[0]))
    elif authors:
        writer.add("byline", "By " + " and ".join(authors))
    container = body_paragraphs[0].getparent()
    while container is not None and not all(container in p.iterancestors() for p in body_paragraphs):
        container = container.getparent()
    walk_root = container if container is not None else tree
    for ancestor in ([walk_root] + list(walk_root.iterancestors())):
        if ancestor.tag in ("article", "main"):
            walk_root = ancestor
            break
    figure_count = 0
    for node in walk_root.iter("p", "h2", "h3", "h4", "figcaption", "li", "blockquote"):
        text = _text_of(node)
        if not text or node in bio_set:
            continue
        if node.tag == "figcaption":
            is_credit = bool(re.match(r"(image|photo)\b", text, re.I))
            if not is_credit:
                figure_count += 1
            writer.add("caption", text, **({"credit": True} if is_credit else {"n": figure_count}))
        elif node.tag in ("h2", "h3", "h4") and (text in head_texts or not head_texts):
            writer.add("heading", text, level=int(node.tag[1]))
        elif text in main_texts and not any(a.tag in ("figcaption",) for a in node.iterancestors()):
            writer.add("paragraph", text)
    for node in bio_nodes:
        writer.add("bio", _text_of(node))
    source = {"path": str(path), "encoding": decoded.encoding, "sha256": decoded.sha256,
              "bytes": decoded.size, "format": "html", "extractor": f"trafilatura {trafilatura.__version__}"}
    dates = _first(tree, options.date)
    urls = _first(tree, options.url)
    source.update(title=title, authors=authors, date=str(dates[0]) if dates else None,
                  url=str(urls[0]) if urls else None)
    side = Side("en", writer.text(), source)
    side.set_layer("blocks", writer.spans)
    return side


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_BYLINE = re.compile(r"^by\s+\S", re.I)
_CAPTION = re.compile(r"^[*_]*(?:(?:figure|fig\.|table|map)\s*\d+\s*[:.\-–—]|(?:image|photo)(?:\s+credit)?\s*:)", re.I)
_BIO_HEADING = re.compile(r"about the authors?|author bio", re.I)


def read_plain(path: Path) -> Side:
    """The English side from a plain-text or Markdown file (raw text = the file)."""
    decoded = read_text_file(path)
    text = decoded.text
    counters: dict[str, int] = {}
    spans: list[Span] = []
    in_bio = False
    title_seen = False
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        start, end = match.start(), match.end()
        while end > start and text[end - 1] in "\r\n \t":
            end -= 1
        block = text[start:end]
        heading = _MD_HEADING.match(block)
        if heading:
            level = len(heading.group(1))
            h_start, h_end = start + heading.start(2), start + heading.end(2)
            if level == 1 and not title_seen:
                spans.append(Span.at(h_start, h_end, "title", block_id("en", "title", counters)))
                title_seen = True
            elif _BIO_HEADING.fullmatch(heading.group(2).strip()):
                in_bio = True
            else:
                in_bio = False
                spans.append(Span.at(h_start, h_end, "heading", block_id("en", "heading", counters), level=level))
            continue
        if not title_seen and not spans:
            spans.append(Span.at(start, end, "title", block_id("en", "title", counters)))
            title_seen = True
            continue
        if _BYLINE.match(block) and len(block) < 200 and all(s.label == "title" for s in spans):
            kind = "byline"
        elif _CAPTION.match(block):
            kind = "caption"
        else:
            kind = "bio" if in_bio else "paragraph"
        spans.append(Span.at(start, end, kind, block_id("en", kind, counters)))
    if not any(s.label == "paragraph" for s in spans):
        raise InputError(path, "has no paragraphs of English text",
                         "separate paragraphs with blank lines")
    source = {"path": str(path), "encoding": decoded.encoding, "sha256": decoded.sha256,
              "bytes": decoded.size, "format": "markdown" if path.suffix.lower() == ".md" else "text"}
    side = Side("en", text, source)
    side.set_layer("blocks", spans)
    return side


def read_english(path: Path | str, html_options: HtmlOptions = HtmlOptions()) -> Side:
    """The English side from a web page (.html) or a text/Markdown file."""
    path = Path(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        return read_html(path, html_options)
    return read_plain(path)
