"""Alignment exports: TMX 1.4b for translation-memory tools and a TSV of beads.

TMX: one ``<tu>`` per bead that has both sides (1-0 and 0-1 beads are not translation
units), English as the source language, bayan's bead type, confidence and flags as
``<prop>`` s. TSV: one row per bead, every bead, for scripts.
"""
from __future__ import annotations

import csv
import io

from lxml import etree

from .. import __version__
from ..document import Bitext, BlockText
from .xmltext import xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def sentence_texts(bitext: Bitext) -> dict[str, str]:
    """Sentence id -> reading text, for both sides."""
    texts = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for sentence in side.layer("sentences"):
            texts[sentence.id] = " ".join(BlockText.of(view, sentence).text.split())
    return texts


def tmx_bytes(bitext: Bitext) -> bytes:
    """The aligned pairs as TMX 1.4b."""
    texts = sentence_texts(bitext)
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "bayan", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "bayan", "adminlang": "en", "srclang": "en", "datatype": "plaintext"})
    body = etree.SubElement(root, "body")
    for number, bead in enumerate(bitext.alignment, 1):
        if not bead["ar"] or not bead["en"]:
            continue
        unit = etree.SubElement(body, "tu", tuid=f"{bitext.meta.doc_id or 'doc'}.b{number}")
        for kind, value in (("x-bayan-type", bead["type"]), ("x-bayan-cert", str(bead["cert"])),
                            ("x-bayan-flags", " ".join(bead["flags"])),
                            ("x-bayan-ids", " ".join(bead["en"] + bead["ar"]))):
            if value:
                etree.SubElement(unit, "prop", type=kind).text = xml_text(value)
        for lang in ("en", "ar"):
            variant = etree.SubElement(unit, "tuv", {XML_LANG: lang})
            etree.SubElement(variant, "seg").text = xml_text(" ".join(texts[i] for i in bead[lang]))
    return etree.tostring(etree.ElementTree(root), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


TSV_COLUMNS = ["bead", "type", "cert", "flags", "ar_ids", "en_ids", "ar_text", "en_text"]


def beads_tsv_bytes(bitext: Bitext) -> bytes:
    """Every bead as a TSV row (tabs and newlines inside texts become spaces)."""
    texts = sentence_texts(bitext)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                        escapechar="\\")
    writer.writerow(TSV_COLUMNS)
    for number, bead in enumerate(bitext.alignment, 1):
        row = [f"b{number}", bead["type"], bead["cert"], " ".join(bead["flags"]),
               " ".join(bead["ar"]), " ".join(bead["en"]),
               " ".join(texts[i] for i in bead["ar"]), " ".join(texts[i] for i in bead["en"])]
        writer.writerow([str(v).replace("\t", " ").replace("\n", " ") for v in row])
    return out.getvalue().encode("utf-8")
