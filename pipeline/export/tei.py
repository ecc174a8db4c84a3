"""TEI P5 XML: the one place that knows the format.

One file holds both languages: ``<text><group>`` with a ``<text xml:lang="ar">`` and, when
there is English, a ``<text xml:lang="en">``. Each text has ``<front>`` (publisher
matter in ``<div>`` s, title pages with bylines and the authors' notes), ``<body>``
(``<div type="section">`` per heading, ``<p>``, ``<figure><head>``) and ``<back>`` (source,
author bios). Every ``<p>``, ``<head>``, ``<note>`` and ``<s>`` has the block's or
sentence's id; ``<pb/>`` marks page breaks, inside a paragraph or a sentence when the
break cut it. Written text is the reading view; the raw text is in the JSON Document.
Every tree is validated against ``bayan-tei.rng`` before it is written.
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from .. import __version__
from ..document import Bitext, Side, Span
from ..errors import SchemaError
from ..resources import data_path
from .xmltext import xml_text

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}") if parent is not None \
        else etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS})
    for key, value in attrs.items():
        if value is None:
            continue
        name = {"xml_id": XML_ID, "xml_lang": XML_LANG}.get(key, key)
        element.set(name, xml_text(str(value)))
    if text:
        element.text = xml_text(text)
    return element


class _Appender:
    """Appends text and children to an element in document order (text vs tail)."""

    def __init__(self, element):
        self.element = element

    def text(self, text: str) -> None:
        text = xml_text(text)
        if not text:
            return
        if len(self.element):
            last = self.element[-1]
            last.tail = (last.tail or "") + text
        else:
            self.element.text = (self.element.text or "") + text

    def child(self, tag: str, **attrs) -> etree._Element:
        return _el(self.element, tag, **attrs)


NAME_ELEMENTS = {"PERSON": "persName", "PROVINCE": "placeName", "DISTRICT_CITY": "placeName",
                 "COUNTRY": "placeName", "GROUP": "orgName", "ORG": "orgName", "ETHNIC_RELIGIOUS": "name"}


def entity_xml_id(entity: str) -> str:
    """An NCName for a canonical entity id (``local:hafiz-saeed-khan`` → ``ent.local.hafiz-saeed-khan``)."""
    import re
    return "ent." + re.sub(r"[^\w.\-]", "-", entity.replace(":", "."))


def _name_attributes(span: Span) -> dict:
    how = span.attrs.get("how", "")
    return {"xml_id": span.id, "type": span.label.lower(), "ref": "#" + entity_xml_id(span.attrs["entity"])
            if span.attrs.get("entity") else None, "role": span.attrs.get("role"),
            "corresp": "#" + span.attrs["link"] if span.attrs.get("link") else None,
            "subtype": "projected" if how == "projected" else ("rule" if how.startswith("rule") else None)}


class _SideWriter:
    """Writes one side's blocks and sentences as a TEI ``<text>``."""

    def __init__(self, side: Side, view_name: str):
        self.side = side
        self.view = side.view(view_name) if view_name in side.views else side.view("raw")
        self.sentences_by_block: dict[str, list[Span]] = {}
        for sentence in side.layer("sentences"):
            self.sentences_by_block.setdefault(sentence.attrs.get("block"), []).append(sentence)
        self.breaks = {span.start: span for span in side.layer("page_breaks")}
        self.entities = sorted(side.layer("entities"), key=lambda e: e.start)
        self.corrections = sorted(side.layer("corrections"), key=lambda c: c.start)

    def _pb(self, parent, position: int) -> None:
        span = self.breaks[position]
        _el(parent, "pb", type="inferred" if span.attrs.get("inferred") else None, n=span.attrs.get("n"))

    def fill(self, element, block: Span) -> None:
        """Put a block's sentences (or, with none, its text) into ``element``."""
        sentences = self.sentences_by_block.get(block.id, [])
        out = _Appender(element)
        if not sentences:
            out.text(self.view.span_text(block))
            return
        for number, sentence in enumerate(sentences):
            if sentence.start in self.breaks and sentence.start != block.start:
                out.child("pb", type=self._break_type(sentence.start))
            elif number:
                out.text(" ")
            inside = _Appender(out.child("s", xml_id=sentence.id))
            for index, (a, b) in enumerate(sentence.parts):
                if index:
                    inside.text(" ")
                    if a in self.breaks:
                        inside.child("pb", type=self._break_type(a))
                self._inline(inside, a, b)

    def _break_type(self, position: int) -> str | None:
        return "inferred" if self.breaks[position].attrs.get("inferred") else None

    def _inline(self, out: "_Appender", start: int, end: int) -> None:
        """The text of raw ``[start, end)`` with names and corrections marked up."""
        position = start
        for a, b, span in self.inline_spans(start, end):
            out.text(self.view.slice_raw(position, a))
            if span.label == "correction":
                self._correction(out, span)
                position = b
                continue
            attributes = _name_attributes(span)
            if a != span.start:
                attributes["xml_id"] = None  # a later part of a name cut by a page break
            element = out.child(NAME_ELEMENTS.get(span.label, "name"), **attributes)
            _Appender(element).text(self.view.slice_raw(a, b))
            position = b
        out.text(self.view.slice_raw(position, end))

    def _correction(self, out: "_Appender", span: Span) -> None:
        """An applied fix as choice/sic/corr; a suggestion as choice/orig/reg, its other
        readings as further reg elements of type "alternative" (no cert)."""
        attrs = span.attrs
        cert = f"{attrs['confidence']:.3f}"
        original = self.view.slice_raw(span.start, span.end)
        if attrs["applied"]:
            choice = out.child("choice", type="correction")
            _el(choice, "sic", original)
            _el(choice, "corr", attrs["after"], cert=cert, type=attrs["rule"], resp="#bayan")
        else:
            choice = out.child("choice", type="suggestion")
            _el(choice, "orig", original)
            _el(choice, "reg", attrs["after"], cert=cert, type=attrs["rule"], resp="#bayan")
            for other in attrs.get("others", []):       # other readings, less likely
                _el(choice, "reg", other, type="alternative", resp="#bayan")

    def inline_spans(self, start: int, end: int) -> list[tuple[int, int, Span]]:
        """Name and correction parts inside raw ``[start, end)``, in order, without overlaps."""
        found, last_end = [], start
        for span in sorted(self.entities + self.corrections, key=lambda e: e.start):
            for a, b in span.parts:
                if start <= a and b <= end and a >= last_end:
                    found.append((a, b, span))
                    last_end = b
        return found

    def write(self, parent) -> etree._Element:
        side = self.side
        text = _el(parent, "text", xml_lang=side.lang, xml_id=side.lang)
        front, body, back = _el(text, "front"), _el(text, "body"), _el(text, "back")
        blocks = [b for b in side.layer("blocks") if b.label != "page_number"]
        notes = {b.attrs.get("n"): b for b in blocks if b.label == "footnote"}
        placed_notes: set[str] = set()
        front_div = title_page = None
        section = None
        for block in blocks:
            kind = block.label
            if kind == "front":
                role = block.attrs.get("role", "front")
                if front_div is None or role.endswith("_label"):
                    front_div = _el(front, "div", type=role.removesuffix("_label") if role.endswith("_label") else "publisher")
                element = _el(front_div, "head" if role.endswith("_label") else "p", xml_id=block.id, type=role)
                self.fill(element, block)
                title_page = None
            elif kind == "title":
                title_page = _el(front, "titlePage", type="repeated" if block.attrs.get("repeated") else None)
                part = _el(_el(title_page, "docTitle"), "titlePart", xml_id=block.id, type="main")
                self.fill(part, block)
                front_div = None
            elif kind == "byline":
                self._byline(title_page if title_page is not None else _el(front, "titlePage"), block, notes, placed_notes)
                front_div = None
            elif kind == "footnote":
                if block.id in placed_notes:
                    continue
                target = section if section is not None else front     # the body holds sections only
                note = _el(target, "note", xml_id=block.id, place="foot", n=block.attrs.get("n"))
                self.fill(note, block)
            elif kind == "heading":
                section = _el(body, "div", type="section")
                self.fill(_el(section, "head", xml_id=block.id), block)
            elif kind == "caption":
                if section is None and not block.attrs.get("credit"):
                    section = _el(body, "div", type="section")
                container = section if section is not None else front
                figure = _el(container, "figure", xml_id=block.id,
                             type="credit" if block.attrs.get("credit") else None,
                             n=block.attrs.get("n"))
                self.fill(_el(figure, "head"), block)
            elif kind == "source":
                paragraph = _el(_el(back, "div", type="source"), "p", xml_id=block.id)
                label_start, label_end = block.parts[0]
                paragraph.text = xml_text(self.view.slice_raw(label_start, label_end))
                if block.attrs.get("url"):
                    paragraph.text = paragraph.text.replace(block.attrs["url"], "").strip(" <>")
                    _el(paragraph, "ref", block.attrs["url"], target=block.attrs["url"]).tail = None
                    paragraph.text += " "
            elif kind == "bio":
                self.fill(_el(_el(back, "div", type="bio"), "p", xml_id=block.id), block)
            else:  # paragraph and any kind a future layout adds
                if section is None:
                    section = _el(body, "div", type="section")
                if block.start in self.breaks and block.attrs.get("page_break_before", True) \
                        and self.breaks[block.start].attrs.get("explicit"):
                    self._pb(section, block.start)
                self.fill(_el(section, "p", xml_id=block.id), block)
        for container in (front, body, back):
            if len(container) == 0:
                text.remove(container)
        if text.find(f"{{{TEI_NS}}}body") is None:
            _el(_el(text, "body"), "div", type="section")
        return text

    def _byline(self, title_page, block: Span, notes: dict, placed: set[str]) -> None:
        byline = _el(title_page, "byline", xml_id=block.id)
        authors = block.attrs.get("authors") or []
        if not authors:
            self.fill(byline, block)
            return
        last = None
        for author in authors:
            if last is not None:
                last.tail = " – "
            last = _el(byline, "docAuthor", author["name"])
            note_block = notes.get(author.get("marker"))
            if note_block is not None:
                note = _el(byline, "note", xml_id=note_block.id, place="foot", n=author["marker"])
                self.fill(note, note_block)
                placed.add(note_block.id)
                last = note


def _header(tei, bitext: Bitext) -> None:
    meta = bitext.meta
    header = _el(tei, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    for lang, title in meta.title.items():
        _el(title_stmt, "title", title, xml_lang=lang)
    if not meta.title:
        _el(title_stmt, "title", meta.doc_id or "untitled")
    for lang, names in meta.authors.items():
        for name in names:
            _el(title_stmt, "author", name, xml_lang=lang)
    resp = _el(title_stmt, "respStmt", xml_id="bayan")
    _el(resp, "resp", "structured, normalized and encoded by")
    _el(resp, "name", f"bayan {__version__}")
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", meta.publisher or "unknown")
    if meta.date:
        _el(publication, "date", meta.date, when=meta.date if _is_iso_date(meta.date) else None)
    if meta.doc_id:
        _el(publication, "idno", meta.doc_id, type="bayan")
    source_desc = _el(file_desc, "sourceDesc")
    original = _el(source_desc, "bibl", type="original")
    if "en" in meta.title:
        _el(original, "title", meta.title["en"], xml_lang="en")
    for name in meta.authors.get("en", []):
        _el(original, "author", name, xml_lang="en")
    if meta.source_url:
        _el(original, "ptr", target=meta.source_url)
    for side in bitext.sides():
        bibl = _el(source_desc, "bibl", type="input", xml_lang=side.lang)
        for key in ("encoding", "format", "extractor"):
            if side.source.get(key):
                _el(bibl, "note", str(side.source[key]), type=key)
        if side.source.get("visual_order_lines_repaired"):
            _el(bibl, "note", str(side.source["visual_order_lines_repaired"]), type="visual-order-lines-repaired")
        if side.source.get("sha256"):
            _el(bibl, "idno", side.source["sha256"], type="sha256")
    encoding = _el(header, "encodingDesc")
    editorial = _el(encoding, "editorialDecl")
    _el(_el(editorial, "normalization"), "p",
        "Arabic text is bayan's reading view: presentation forms decoded, tatweel, bidi "
        "controls and joiners removed, Persian letters and digits mapped, Arabic punctuation "
        "restored. The raw text and every offset are kept in the JSON document.")
    _el(_el(editorial, "segmentation"), "p",
        "Sentences: Arabic by bayan's rules (. ! ؟ ؛ …), English by spaCy en_core_web_sm 3.8.0.")
    profile = _el(header, "profileDesc")
    usage = _el(profile, "langUsage")
    for side in bitext.sides():
        _el(usage, "language", LANGUAGE_NAMES.get(side.lang, side.lang), ident=side.lang)


def _is_iso_date(value: str) -> bool:
    import re
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value))


FLAGS = {
    "omission": "English with no Arabic translation",
    "addition": "Arabic with no English original (notes, publisher matter, glosses)",
    "suspicious_merge": "a merged link in which one sentence hardly fits the other side",
    "low_confidence": "a link the aligner is unsure of",
}


def _flag_taxonomy(header) -> None:
    encoding = header.find(f"{{{TEI_NS}}}encodingDesc")
    taxonomy = _el(_el(encoding, "classDecl"), "taxonomy", xml_id="alignment-flags")
    for flag, description in FLAGS.items():
        _el(_el(taxonomy, "category", xml_id=f"flag.{flag}"), "catDesc", description)


def _paragraph_links(bitext: Bitext) -> list[list[str]]:
    """Blocks linked through the sentence beads, as connected groups (Arabic first)."""
    block_of = {s.id: s.attrs.get("block") for side in bitext.sides() for s in side.layer("sentences")}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for bead in bitext.alignment:
        if bead["ar"] and bead["en"]:
            blocks = [block_of[i] for i in bead["ar"] + bead["en"]]
            for other in blocks[1:]:
                parent[find(other)] = find(blocks[0])
    groups: dict[str, list[str]] = {}
    for block in parent:
        groups.setdefault(find(block), []).append(block)
    order = {b.id: k for side in bitext.sides() for k, b in enumerate(side.layer("blocks"))}
    return sorted((sorted(g, key=lambda b: (not b.startswith("ar."), order.get(b, 0))) for g in groups.values()),
                  key=lambda g: order.get(g[0], 0))


LIST_OF_TYPE = {"PERSON": ("listPerson", "person", "persName"), "ETHNIC_RELIGIOUS": ("listPerson", "personGrp", "persName"),
                "PROVINCE": ("listPlace", "place", "placeName"), "DISTRICT_CITY": ("listPlace", "place", "placeName"),
                "COUNTRY": ("listPlace", "place", "placeName"), "GROUP": ("listOrg", "org", "orgName"),
                "ORG": ("listOrg", "org", "orgName")}


def _entity_lists(stand_off, bitext: Bitext) -> None:
    """One entry per entity mentioned: names in both languages, Wikidata id, type."""
    from ..resources.gazetteer import load_gazetteer
    gazetteer = load_gazetteer()
    entities: dict[str, dict] = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for span in side.layer("entities"):
            entity = entities.setdefault(span.attrs["entity"], {"type": span.label, "names": {}})
            entity["names"].setdefault(side.lang, " ".join(view.span_text(span).split()))
    used = {LIST_OF_TYPE[info["type"]][0] for info in entities.values()}
    lists = {tag: _el(stand_off, tag) for tag in ("listPerson", "listPlace", "listOrg") if tag in used}
    for entity_id, info in sorted(entities.items()):
        list_tag, item_tag, name_tag = LIST_OF_TYPE[info["type"]]
        entry = gazetteer.entries.get(entity_id)
        item = _el(lists[list_tag], item_tag, xml_id=entity_xml_id(entity_id), type=info["type"].lower())
        names = {"en": entry.en, "ar": entry.ar} if entry else info["names"]
        for lang in ("en", "ar"):
            if names.get(lang):
                _el(item, name_tag, names[lang], xml_lang=lang)
        if entry and entry.wikidata:
            _el(item, "idno", entry.wikidata, type="wikidata")
        _el(item, "idno", entity_id, type="bayan")


def _alignment(stand_off, bitext: Bitext) -> None:
    links = _el(stand_off, "linkGrp", type="alignment")
    for bead in bitext.alignment:
        targets = " ".join(f"#{i}" for i in bead["en"] + bead["ar"])
        ana = " ".join(f"#flag.{f}" for f in bead["flags"]) or None
        tag = "link" if bead["ar"] and bead["en"] else "ptr"
        _el(links, tag, type=bead["type"], target=targets, cert=f"{bead['cert']:.3f}", ana=ana)
    paragraphs = _el(stand_off, "linkGrp", type="paragraphs")
    for group in _paragraph_links(bitext):
        _el(paragraphs, "link", target=" ".join(f"#{b}" for b in group))


def build_tei(bitext: Bitext, view: str = "reading") -> etree._ElementTree:
    """The TEI tree of a processed Bitext."""
    tei = _el(None, "TEI", xml_lang="ar")
    _header(tei, bitext)
    group = _el(_el(tei, "text"), "group")
    for side in bitext.sides():
        _SideWriter(side, view).write(group)
    has_entities = any(side.layer("entities") for side in bitext.sides())
    if bitext.alignment or has_entities:
        stand_off = _el(tei, "standOff")
        if has_entities:
            _entity_lists(stand_off, bitext)
        if bitext.alignment:
            _flag_taxonomy(tei.find(f"{{{TEI_NS}}}teiHeader"))
            _alignment(stand_off, bitext)
    return etree.ElementTree(tei)


@lru_cache(maxsize=1)
def tei_schema() -> etree.RelaxNG:
    """bayan's RelaxNG schema for its TEI subset (shipped in pipeline/resources)."""
    with data_path("bayan-tei.rng").open("rb") as handle:
        return etree.RelaxNG(etree.parse(handle))


def validate(tree: etree._ElementTree) -> list[str]:
    """Schema errors of a tree (empty when valid)."""
    schema = tei_schema()
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def tei_bytes(bitext: Bitext) -> bytes:
    """Serialized, validated TEI.

    Raises:
        SchemaError: the tree does not validate (a bug in bayan: please report it).
    """
    tree = build_tei(bitext)
    errors = validate(tree)
    if errors:
        raise SchemaError("bayan-tei.rng", errors)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)

