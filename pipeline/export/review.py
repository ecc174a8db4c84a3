"""The review page: one self-contained HTML file per publication, for translators.

English on the left, Arabic on the right (``dir="rtl"``), one table row per alignment
bead in document order, a separator where a bead starts a new block on either side.
Every sentence is a ``<span class="s">`` with its sentence id; entity mentions are
coloured by type and hovering one lights up its linked mention on the other side;
corrections (the Arabic ``corrections`` layer, when there is one) show the fixed text
with the original on hover, suggestions are marked apart. Flagged beads are listed at
the top with jump links; filters and the keys n/p (j/k) move between flagged items.
The charts of :mod:`pipeline.export.plots` are embedded as PNG data URIs.

No network: CSS and JS are inline, images are data URIs, fonts are the reader's own
(font-family lists end in DejaVu Sans and a generic family). Built from the Bitext, not
from the TEI; entity mentions are cut exactly as the TEI writer cuts them, so the page
and the TEI hold the same names.
"""
from __future__ import annotations

import base64
import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from .. import __version__
from ..document import Bitext, Side, Span

FLAG_ORDER = ("omission", "addition", "suspicious_merge", "low_confidence")
FLAG_HELP = {
    "omission": "English with no Arabic translation",
    "addition": "Arabic with no English original",
    "suspicious_merge": "a merged link in which one sentence hardly fits the other side",
    "low_confidence": "a link the aligner is unsure of",
}
TYPE_ORDER = ("PERSON", "GROUP", "ORG", "COUNTRY", "PROVINCE", "DISTRICT_CITY", "ETHNIC_RELIGIOUS")
BLOCK_NAMES = {"paragraph": "¶", "heading": "heading", "title": "title", "caption": "caption",
               "front": "front matter", "footnote": "note", "byline": "byline", "bio": "bio", "source": "source"}


def _a(value: Any) -> str:
    """An attribute value, escaped (quotes too)."""
    return escape(str(value), quote=True)


def ensure_views(bitext: Bitext) -> Bitext:
    """Add the reading views a reloaded JSON document lacks (they are not stored)."""
    from ..stages.normalize import NormalizeOptions, normalize_arabic, normalize_english
    if "reading" not in bitext.ar.views:
        normalize_arabic(bitext, NormalizeOptions())
    if bitext.en is not None and "reading" not in bitext.en.views:
        normalize_english(bitext, None)
    return bitext


class _SideRenderer:
    """One side's sentences as HTML, with entity mentions, corrections and page breaks."""

    def __init__(self, side: Side):
        self.side = side
        self.view = side.views.get("reading") or side.view("raw")
        self.sentences = {s.id: s for s in side.layer("sentences")}
        self.blocks = {b.id: b for b in side.layer("blocks")}
        self.breaks = {span.start for span in side.layer("page_breaks")}
        # the TEI writer's order and rule (tei._SideWriter.inline_spans), so both hold the same names
        self.entities = sorted(side.layer("entities"), key=lambda e: e.start)
        self.corrections = [c for c in side.layer("corrections") if c.parts]
        self.corrections_shown: set[int] = set()
        self.mentions: list[Span] = []

    def block_of(self, sentence_id: str) -> str | None:
        sentence = self.sentences.get(sentence_id)
        return sentence.attrs.get("block") if sentence is not None else None

    def block_kind(self, block_id: str | None) -> str:
        block = self.blocks.get(block_id or "")
        return block.label if block is not None else ""

    def entity_parts(self, start: int, end: int) -> list[tuple[int, int, Span]]:
        found, last_end = [], start
        for span in self.entities:
            for a, b in span.parts:
                if start <= a and b <= end and a >= last_end:
                    found.append((a, b, span))
                    last_end = b
        return found

    def correction_parts(self, start: int, end: int) -> list[tuple[int, int, int, Span]]:
        found, last_end = [], start
        for index, span in enumerate(self.corrections):
            a, b = span.parts[0][0], span.parts[-1][1]
            if index not in self.corrections_shown and start <= a and b <= end and a >= last_end:
                found.append((a, b, index, span))
                last_end = max(b, a + 1) if a == b else b
        return found

    def text(self, a: int, b: int) -> str:
        return escape(self.view.slice_raw(a, b))

    def correction_html(self, span: Span, a: int, b: int, point: bool = False) -> str:
        attrs = span.attrs
        applied = bool(attrs.get("applied"))
        before = str(attrs.get("before", self.side.raw[a:b]))
        after = str(attrs.get("after", ""))
        rule = str(attrs.get("rule", ""))
        confidence = attrs.get("confidence")
        how = f" — {rule}" + (f" ({float(confidence):.2f})" if isinstance(confidence, (int, float)) else "")
        others = "".join(f" or {other}" for other in attrs.get("others", []))
        title = (f"was: {before}{how}" if applied else f"suggestion: {before} → {after}{others}{how}")
        kind = "applied" if applied else "suggestion"
        data = ((f' id="{_a(span.id)}"' if span.id else "")
                + f' data-before="{_a(before)}" data-after="{_a(after)}" data-rule="{_a(rule)}"'
                + (f' data-confidence="{float(confidence):.3f}"' if isinstance(confidence, (int, float)) else ""))
        if point:  # crosses an entity boundary: a marker, the text left as it is
            return f'<span class="corr {kind} corr-point" title="{_a(title)}"{data}></span>'
        shown = escape(after) if applied else self.text(a, b)
        return f'<span class="corr {kind}" title="{_a(title)}"{data}>{shown}</span>'

    def entity_html(self, span: Span, a: int, b: int, inner: str) -> str:
        attrs = span.attrs
        entity, link = attrs.get("entity"), attrs.get("link")
        first = a == span.start
        title = " · ".join(str(x) for x in (span.label, entity, attrs.get("role"), attrs.get("how")) if x)
        out = [f'<span class="ent t-{_a(span.label)}"']
        if first and span.id:
            out.append(f' id="{_a(span.id)}"')
            self.mentions.append(span)
        else:
            out.append(' data-part="next"')
        if entity:
            out.append(f' data-entity="{_a(entity)}"')
        if link:
            out.append(f' data-link="{_a(link)}"')
        out.append(f' data-type="{_a(span.label)}" title="{_a(title)}">{inner}</span>')
        return "".join(out)

    def inline(self, start: int, end: int) -> tuple[str, set[str], set[str], Counter]:
        """HTML of raw ``[start, end)``; the entity types and ids in it; corrections by kind."""
        entities = self.entity_parts(start, end)
        corrections = self.correction_parts(start, end)
        nested: dict[int, list] = {}
        top: list[tuple[int, int, str, Any]] = [(a, b, "ent", span) for a, b, span in entities]
        for a, b, index, span in corrections:
            self.corrections_shown.add(index)
            holder = next((k for k, (ea, eb, _) in enumerate(entities) if ea <= a and b <= eb), None)
            crossing = next((ea for ea, eb, _ in entities if a < eb and ea < b and not (ea <= a and b <= eb)), None)
            if holder is not None and a < b:
                nested.setdefault(holder, []).append((a, b, span))
            elif crossing is not None or len(span.parts) > 1 or a == b:
                position = min(a, crossing) if crossing is not None else a
                top.append((position, position, "point", span))
            else:
                top.append((a, b, "corr", span))
        top.sort(key=lambda item: (item[0], item[1]))
        html, position = [], start
        types, ids, kinds = set(), set(), Counter()
        holders = {id(span): k for k, (_, _, span) in enumerate(entities)}
        for a, b, what, span in top:
            if a < position:  # cannot happen for well-formed layers; never lose text
                a = position
            html.append(self.text(position, a))
            if what == "ent":
                inner, cursor = [], a
                for ca, cb, correction in nested.get(holders[id(span)], []):
                    inner.append(self.text(cursor, ca))
                    inner.append(self.correction_html(correction, ca, cb))
                    kinds["applied" if correction.attrs.get("applied") else "suggestion"] += 1
                    cursor = cb
                inner.append(self.text(cursor, b))
                html.append(self.entity_html(span, a, b, "".join(inner)))
                types.add(span.label)
                if span.attrs.get("entity"):
                    ids.add(span.attrs["entity"])
            else:
                html.append(self.correction_html(span, a, b, point=what == "point"))
                kinds["applied" if span.attrs.get("applied") else "suggestion"] += 1
            position = max(position, b)
        html.append(self.text(position, end))
        return "".join(html), types, ids, kinds

    def sentence(self, sentence_id: str, weakest: str | None) -> tuple[str, set[str], set[str], Counter]:
        span = self.sentences.get(sentence_id)
        if span is None:
            return f'<span class="s missing" id="{_a(sentence_id)}">[{escape(sentence_id)}]</span>', set(), set(), Counter()
        pieces, types, ids, kinds = [], set(), set(), Counter()
        for index, (a, b) in enumerate(span.parts):
            if index:
                pieces.append(' <span class="pb" title="page break"></span>' if a in self.breaks else " ")
            html, t, i, k = self.inline(a, b)
            pieces.append(html)
            types |= t
            ids |= i
            kinds += k
        block = span.attrs.get("block")
        kind = self.block_kind(block)
        classes = "s" + (f" k-{kind}" if kind else "") + (" weakest" if sentence_id == weakest else "")
        title = f' title="{_a(sentence_id + (" — the weakest sentence of this merge" if sentence_id == weakest else ""))}"'
        return (f'<span class="{classes}" id="{_a(sentence_id)}" data-block="{_a(block or "")}"{title}>'
                f'{"".join(pieces)}</span>'), types, ids, kinds

    def cell(self, ids: list[str], weakest: str | None) -> tuple[str, set[str], set[str], Counter]:
        pieces, types, entities, kinds = [], set(), set(), Counter()
        previous_block = None
        for number, sentence_id in enumerate(ids):
            block = self.block_of(sentence_id)
            if number:
                pieces.append(' <span class="pbreak" title="new paragraph">¶</span> ' if block != previous_block else " ")
            html, t, e, k = self.sentence(sentence_id, weakest)
            pieces.append(html)
            types |= t
            entities |= e
            kinds += k
            previous_block = block
        return "".join(pieces), types, entities, kinds


def _beads(bitext: Bitext) -> list[dict[str, Any]]:
    if bitext.alignment:
        return bitext.alignment
    # an Arabic-only document: one row per Arabic sentence
    return [{"ar": [s.id], "en": [], "type": "1-0", "cert": None, "flags": []} for s in bitext.ar.layer("sentences")]


def _cert_html(cert: Any) -> str:
    if not isinstance(cert, (int, float)):
        return '<span class="cert none">–</span>'
    value = max(0.0, min(1.0, float(cert)))
    level = "lo" if value < 0.3 else "mid" if value < 0.6 else "hi"
    return (f'<span class="cert {level}" title="confidence {value:.3f}"><span class="bar">'
            f'<span style="width:{value * 100:.0f}%"></span></span><span class="num">{value:.2f}</span></span>')


def _entity_names(bitext: Bitext) -> dict[str, dict[str, Any]]:
    """Entity id -> type, mention count, English and Arabic names (first mentions)."""
    names: dict[str, dict[str, Any]] = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for span in side.layer("entities"):
            entity = span.attrs.get("entity")
            if not entity:
                continue
            info = names.setdefault(entity, {"type": span.label, "count": 0})
            info["count"] += 1
            info.setdefault(side.lang, " ".join(view.span_text(span).split()))
    return names


def _plots_html(bitext: Bitext) -> str:
    from . import plots
    if not plots.matplotlib_available():
        return '<p class="note">Charts need matplotlib, which is not installed.</p>'
    figures = []
    for name, (title, needs_alignment) in plots.PLOTS.items():
        if needs_alignment and not bitext.alignment:
            continue
        data = base64.b64encode(plots.plot_bytes(bitext, name, "png")).decode("ascii")
        figures.append(f'<figure class="plot" id="plot-{name}"><img alt="{_a(title)}" '
                       f'src="data:image/png;base64,{data}"><figcaption>{escape(title)}</figcaption></figure>')
    return "\n".join(figures)


def review_html(bitext: Bitext, with_plots: bool = True) -> bytes:
    """The review page of a processed publication (UTF-8 HTML, self-contained)."""
    ensure_views(bitext)
    renderers = {side.lang: _SideRenderer(side) for side in bitext.sides()}
    empty = _SideRenderer(Side("en", ""))
    beads = _beads(bitext)
    rows: list[str] = []
    flagged: list[tuple[int, list[str], str]] = []
    correction_rows: list[tuple[int, Counter]] = []
    flag_counts: Counter = Counter()
    last_block = {"ar": None, "en": None}
    for number, bead in enumerate(beads, 1):
        flags = [f for f in bead.get("flags", [])]
        weakest = bead.get("weakest")
        cells, types, entities, kinds = {}, set(), set(), Counter()
        starts = {}
        for lang in ("en", "ar"):
            renderer = renderers.get(lang, empty)
            ids = bead.get(lang, [])
            cells[lang], t, e, k = renderer.cell(ids, weakest)
            types |= t
            entities |= e
            kinds += k
            if ids:
                block = renderer.block_of(ids[0])
                if block != last_block[lang]:
                    starts[lang] = (block, renderer.block_kind(block))
                last_block[lang] = renderer.block_of(ids[-1])
        if starts and number > 1:
            labels = {lang: (f'<span class="blk">{escape(BLOCK_NAMES.get(kind, kind or "block"))} '
                             f'<code>{escape(block or "")}</code></span>' if lang in starts else "")
                      for lang, (block, kind) in ((lg, starts.get(lg, (None, None))) for lg in ("en", "ar"))}
            rows.append(f'<tr class="sep"><td class="en">{labels["en"]}</td><td></td>'
                        f'<td class="ar" dir="rtl">{labels["ar"]}</td></tr>')
        classes = ["bead"] + [f"f-{f}" for f in flags]
        if flags:
            classes.append("flagged")
            flagged.append((number, flags, bead.get("type", "")))
            flag_counts.update(flags)
        if kinds:
            classes.append("has-corr")
            correction_rows.append((number, kinds))
        if kinds.get("suggestion"):
            classes.append("has-suggestion")
        nav = bool(flags) or bool(kinds.get("suggestion"))
        flag_html = "".join(f'<span class="flag fl-{_a(f)}" title="{_a(FLAG_HELP.get(f, f))}">'
                            f'{escape(f.replace("_", " "))}</span>' for f in flags)
        extra = []
        if bead.get("addition_kind"):
            extra.append(f'<span class="kind">{escape(str(bead["addition_kind"]))}</span>')
        if weakest:
            extra.append(f'<span class="weak" title="weakest sentence">↯ {escape(str(weakest))}</span>')
        rows.append(
            f'<tr class="{" ".join(classes)}" id="bead-{number}" data-flags="{_a(" ".join(flags))}" '
            f'data-types="{_a(" ".join(sorted(types)))}" data-entities="{_a(" ".join(sorted(entities)))}" '
            f'data-corr="{sum(kinds.values())}"{" data-nav" if nav else ""}>'
            f'<td class="en" lang="en">{cells["en"] or "<span class=gap>— no English —</span>"}</td>'
            f'<td class="meta"><a class="num" href="#bead-{number}">#{number}</a> '
            f'<span class="type">{escape(str(bead.get("type", "")))}</span>{_cert_html(bead.get("cert"))}'
            f'{"<br>" if flags or extra else ""}{flag_html}{"".join(extra)}</td>'
            f'<td class="ar" dir="rtl" lang="ar">{cells["ar"] or "<span class=gap lang=en dir=ltr>— no Arabic —</span>"}</td></tr>')

    # corrections no bead shows (outside the aligned sentences): listed, never lost
    arabic = renderers["ar"]
    outside = [span for index, span in enumerate(arabic.corrections) if index not in arabic.corrections_shown]
    outside_html = ""
    if outside:
        items = []
        for span in outside:
            html = arabic.correction_html(span, span.start, span.end)
            items.append(f'<li><span class="ar" dir="rtl" lang="ar">{html}</span> '
                         f'<code>{span.start}–{span.end}</code></li>')
            kind = "applied" if span.attrs.get("applied") else "suggestion"
            correction_rows.append((0, Counter({kind: 1})))
        outside_html = (f'<section id="outside"><h2>Corrections outside the aligned sentences ({len(outside)})</h2>'
                        f'<ul>{"".join(items)}</ul></section>')

    meta = bitext.meta
    names = _entity_names(bitext)
    summary = _summary(beads, flagged, flag_counts, correction_rows, arabic)
    mentions = sum(len(r.mentions) for r in renderers.values())
    type_counts = Counter(span.label for side in bitext.sides() for span in side.layer("entities"))
    type_options = "".join(f'<option value="{_a(t)}">{escape(t)} ({type_counts[t]})</option>'
                           for t in sorted(type_counts, key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else 99, t)))
    entity_options = "".join(
        f'<option value="{_a(e)}">{escape(info.get("en") or e)} · {escape(info.get("ar", ""))} '
        f'({info["count"]})</option>'
        for e, info in sorted(names.items(), key=lambda kv: (-kv[1]["count"], kv[0])))
    flag_options = "".join(f'<option value="{f}">{f.replace("_", " ")} ({flag_counts[f]})</option>'
                           for f in FLAG_ORDER if flag_counts.get(f))
    title_en = meta.title.get("en") or meta.doc_id or "document"
    title_ar = meta.title.get("ar", "")
    charts = _plots_html(bitext) if with_plots else ""
    legend = "".join(f'<span class="swatch t-{t}">{t.replace("_", " ").lower()}</span>' for t in TYPE_ORDER)
    page = TEMPLATE.format(
        title=escape(f"{title_en} — review"), css=CSS, js=JS,
        title_en=escape(title_en), title_ar=escape(title_ar),
        doc=escape(meta.doc_id or ""), date=escape(meta.date or ""),
        authors=escape(", ".join(meta.authors.get("en", []))), version=escape(__version__),
        beads=len(beads), mentions=mentions, flagged=len(flagged),
        corrections=sum(sum(k.values()) for _, k in correction_rows),
        type_options=type_options, entity_options=entity_options, flag_options=flag_options,
        summary=summary, rows="\n".join(rows), outside=outside_html, legend=legend,
        charts=charts or '<p class="note">No charts.</p>',
        data=json.dumps({"beads": len(beads), "flagged": len(flagged)}).replace("</", "<\\/"))
    return page.encode("utf-8")


def _summary(beads, flagged, flag_counts, correction_rows, arabic) -> str:
    parts = ['<section id="summary">']
    if flagged:
        counts = " · ".join(f'<span class="flag fl-{f}">{f.replace("_", " ")}</span> {flag_counts[f]}'
                            for f in FLAG_ORDER if flag_counts.get(f))
        others = sorted(set(flag_counts) - set(FLAG_ORDER))
        counts += "".join(f' · <span class="flag">{escape(f)}</span> {flag_counts[f]}' for f in others)
        links = "".join(f'<a class="jump {" ".join("fl-" + _a(f) for f in flags)}" href="#bead-{n}" '
                        f'title="{_a(", ".join(flags))} ({_a(kind)})">#{n}</a>' for n, flags, kind in flagged)
        parts.append(f'<details open id="flagged-list"><summary>{len(flagged)} of {len(beads)} beads flagged: '
                     f'{counts}</summary><nav class="jumps">{links}</nav></details>')
    else:
        parts.append(f'<p>No flagged beads among {len(beads)}.</p>')
    applied = sum(k.get("applied", 0) for _, k in correction_rows)
    suggested = sum(k.get("suggestion", 0) for _, k in correction_rows)
    if correction_rows:
        links = "".join(f'<a class="jump {"sugg" if k.get("suggestion") else "fix"}" href="#bead-{n}">#{n}</a>'
                        for n, k in correction_rows if n)
        if any(n == 0 for n, _ in correction_rows):
            links += '<a class="jump" href="#outside">outside</a>'
        parts.append(f'<details id="corrections-list"><summary>{applied} typo fix{"" if applied == 1 else "es"} applied, '
                     f'{suggested} suggested'
                     f'</summary><nav class="jumps">{links}</nav></details>')
    elif not arabic.side.layer("corrections"):
        parts.append('<p class="note">No corrections layer in this document.</p>')
    parts.append("</section>")
    return "".join(parts)


CSS = r"""
:root{--ar:"Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans",serif;
--en:"DejaVu Sans","Liberation Sans","Noto Sans",Arial,sans-serif;--hdr:7rem;
--omission:#e67e22;--addition:#2e86c1;--suspicious_merge:#8e44ad;--low_confidence:#c0392b}
*{box-sizing:border-box}
body{margin:0;font-family:var(--en);font-size:15px;line-height:1.5;color:#1d2326;background:#f4f5f2}
[lang=ar],.ar{font-family:var(--ar);font-size:1.12em;line-height:1.75}
header.top{position:sticky;top:0;z-index:10;background:#fbfbf8;border-bottom:1px solid #c9cdc4;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
.wrap{max-width:1400px;margin:0 auto;padding:.4rem 1rem}
header h1{font-size:1.05rem;margin:0;display:flex;gap:1rem;justify-content:space-between;align-items:baseline;flex-wrap:wrap}
header h1 .ar{font-weight:600}
.stats{color:#555;font-size:.82rem}
.filters{display:flex;flex-wrap:wrap;gap:.35rem 1rem;align-items:center;font-size:.85rem;margin-top:.25rem}
.filters select{max-width:17rem;font:inherit}
.filters label{white-space:nowrap}
.keys{color:#666}
kbd{border:1px solid #bbb;border-bottom-width:2px;border-radius:3px;padding:0 .3em;font-size:.8em;background:#fff}
main{max-width:1400px;margin:0 auto;padding:0 1rem 4rem}
#summary{margin:.6rem 0;font-size:.88rem}
#summary details{margin:.25rem 0}
.jumps{display:flex;flex-wrap:wrap;gap:.25rem;margin:.3rem 0 .2rem}
a.jump{text-decoration:none;border-radius:3px;padding:0 .35em;font-size:.8rem;color:#fff;background:#777}
a.jump.fl-omission{background:var(--omission)}a.jump.fl-addition{background:var(--addition)}
a.jump.fl-suspicious_merge{background:var(--suspicious_merge)}a.jump.fl-low_confidence{background:var(--low_confidence)}
a.jump.sugg{background:#b7950b}a.jump.fix{background:#1e8449}
table.beads{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
table.beads thead th{position:sticky;top:var(--hdr);z-index:5;background:#e9ebe4;font-size:.8rem;text-align:left;
padding:.2rem .5rem;border-bottom:1px solid #c9cdc4}
table.beads thead th.ar{text-align:right}
col.c-en,col.c-ar{width:auto}col.c-meta{width:9.5rem}
td{vertical-align:top;padding:.35rem .6rem;border-bottom:1px solid #ecece6}
td.meta{font-size:.72rem;line-height:1.45;color:#444;background:#fafaf7;border-left:1px solid #ecece6;border-right:1px solid #ecece6}
td.ar{text-align:right}
tr.sep td{padding:.1rem .6rem;border-top:2px solid #9aa39a;border-bottom:0;background:#f0f2ec;font-size:.72rem;color:#5d6b5d}
tr.sep td.ar{font-family:var(--en);font-size:.72rem}
tr.bead{scroll-margin-top:calc(var(--hdr) + 2.4rem)}
tr.bead:target,tr.bead.current{outline:3px solid #1f6feb;outline-offset:-3px}
tr.flagged td.meta{border-left:4px solid #999}
tr.f-omission td.meta{border-left-color:var(--omission)}tr.f-addition td.meta{border-left-color:var(--addition)}
tr.f-suspicious_merge td.meta{border-left-color:var(--suspicious_merge)}tr.f-low_confidence td.meta{border-left-color:var(--low_confidence)}
tr.f-omission td.en,tr.f-addition td.ar{background:#fff8ec}
tr.f-low_confidence td.en,tr.f-low_confidence td.ar{background:#fdf1f0}
tr.f-suspicious_merge td.en,tr.f-suspicious_merge td.ar{background:#f7f1fa}
.gap{color:#999;font-style:italic;font-size:.85em;font-family:var(--en)}
.meta .num{font-weight:600;color:#333;text-decoration:none}
.meta .type{display:inline-block;margin-left:.3em;color:#666}
.cert{display:inline-flex;align-items:center;gap:.25em;margin-left:.35em;vertical-align:middle}
.cert .bar{display:inline-block;width:2.8rem;height:.45rem;background:#e3e3de;border-radius:2px;overflow:hidden}
.cert .bar span{display:block;height:100%;background:#27ae60}
.cert.mid .bar span{background:#e6a817}.cert.lo .bar span{background:#c0392b}
.flag{display:inline-block;margin:.1em .2em .1em 0;padding:0 .35em;border-radius:3px;color:#fff;background:#777;font-size:.72rem}
.fl-omission{background:var(--omission)}.fl-addition{background:var(--addition)}
.fl-suspicious_merge{background:var(--suspicious_merge)}.fl-low_confidence{background:var(--low_confidence)}
.kind,.weak{display:inline-block;color:#777;margin-right:.3em}
.s{border-radius:2px}
.s.k-heading,.s.k-title{font-weight:700}
.s.k-caption,.s.k-footnote,.s.k-front{color:#555;font-size:.93em}
.s.weakest{background:#efe3f5;outline:1px dashed var(--suspicious_merge)}
.pbreak{color:#9aa39a;font-weight:700;padding:0 .2em}
.pb::before{content:"⸻ page ⸻";font-size:.65rem;color:#999;font-family:var(--en);padding:0 .3em}
.ent{border-bottom:2px solid;border-radius:2px;padding:0 1px;cursor:pointer}
.t-PERSON{background:#fbe3e0;border-color:#c0392b}.t-GROUP{background:#efe2f5;border-color:#8e44ad}
.t-ORG{background:#dfeaf5;border-color:#2471a3}.t-COUNTRY{background:#dff3e6;border-color:#1e8449}
.t-PROVINCE{background:#fbefd9;border-color:#b9770e}.t-DISTRICT_CITY{background:#fde6d5;border-color:#d35400}
.t-ETHNIC_RELIGIOUS{background:#daf1ec;border-color:#117a65}
.ent.hl{outline:2px solid #111;background:#fff36b}
.ent.hl-linked{outline:3px solid #1f6feb;background:#fff36b;box-shadow:0 0 0 4px rgba(31,111,235,.25)}
.ent.hl-same{outline:1px dotted #444}
body.type-filter .ent{opacity:.35}body.type-filter .ent.pick{opacity:1;outline:1px solid #333}
.legend{display:flex;flex-wrap:wrap;gap:.3rem;font-size:.72rem}
.swatch{border-bottom:2px solid;border-radius:2px;padding:0 .3em}
.sw-fix{background:#e2f5e6;border-color:#1e8449}.sw-sugg{text-decoration:underline wavy #b7950b;border-color:transparent}
.corr{border-radius:2px}
.corr.applied{background:#e2f5e6;border-bottom:2px solid #1e8449}
.corr.applied:hover::before,body.show-corr .corr.applied::before{content:attr(data-before);text-decoration:line-through;
color:#a33;font-size:.72em;padding:0 .25em;vertical-align:super}
.corr.suggestion{text-decoration:underline wavy #b7950b;text-decoration-skip-ink:none}
.corr.suggestion:hover::after,body.show-corr .corr.suggestion::after{content:"→ " attr(data-after);color:#7d6608;font-size:.72em;padding:0 .25em;vertical-align:super}
.corr-point::after{content:"✎";color:#b7950b}
.corr.applied.corr-point::after{color:#1e8449}
#outside,#charts{margin-top:2rem}
#charts figure{margin:1rem 0;background:#fff;padding:.5rem;border:1px solid #ddd}
#charts img{max-width:100%;height:auto}
figcaption,.note{font-size:.8rem;color:#666}
tr.bead[hidden],tr.sep[hidden]{display:none}
"""

JS = r"""
(function(){
"use strict";
var header=document.querySelector("header.top");
function setHeader(){document.documentElement.style.setProperty("--hdr",header.offsetHeight+"px");}
setHeader();window.addEventListener("resize",setHeader);
var table=document.getElementById("beads"),rows=Array.prototype.slice.call(table.tBodies[0].rows);
var beads=rows.filter(function(r){return r.classList.contains("bead");});
var lit=[];
function clearLit(){lit.forEach(function(e){e.classList.remove("hl","hl-linked","hl-same");});lit=[];
  document.body.removeAttribute("data-hover");document.body.removeAttribute("data-hover-link");}
function light(el){
  clearLit();el.classList.add("hl");lit.push(el);
  document.body.setAttribute("data-hover",el.id||"");
  var link=el.getAttribute("data-link"),other=link?document.getElementById(link):null;
  if(other){other.classList.add("hl-linked");lit.push(other);document.body.setAttribute("data-hover-link",link);}
  var entity=el.getAttribute("data-entity");
  if(entity){var same=table.querySelectorAll('.ent[data-entity="'+entity.replace(/["\\]/g,"\\$&")+'"]');
    for(var i=0;i<same.length&&i<400;i++){if(same[i]!==el&&same[i]!==other){same[i].classList.add("hl-same");lit.push(same[i]);}}}
  return other;}
window.bayanHighlight=light;
table.addEventListener("mouseover",function(ev){var el=ev.target.closest?ev.target.closest(".ent"):null;if(el)light(el);});
table.addEventListener("mouseout",function(ev){var el=ev.target.closest?ev.target.closest(".ent"):null;
  if(el&&!(ev.relatedTarget&&el.contains(ev.relatedTarget)))clearLit();});
table.addEventListener("click",function(ev){var el=ev.target.closest?ev.target.closest(".ent"):null;if(!el)return;
  var other=light(el);if(other){var r=other.getBoundingClientRect();
  if(r.top<header.offsetHeight||r.bottom>window.innerHeight)other.scrollIntoView({block:"center"});}});
var fFlagged=document.getElementById("f-flagged"),fFlag=document.getElementById("f-flag"),fCorr=document.getElementById("f-corr"),
    fType=document.getElementById("f-type"),fEntity=document.getElementById("f-entity"),shown=document.getElementById("shown");
function apply(){
  var onlyFlagged=fFlagged.checked,flag=fFlag.value,onlyCorr=fCorr.checked,type=fType.value,entity=fEntity.value;
  var filtering=onlyFlagged||flag||onlyCorr||type||entity,n=0;
  beads.forEach(function(r){var ok=true;
    if(onlyFlagged&&!r.classList.contains("flagged"))ok=false;
    if(ok&&flag&&(" "+r.getAttribute("data-flags")+" ").indexOf(" "+flag+" ")<0)ok=false;
    if(ok&&onlyCorr&&r.getAttribute("data-corr")==="0")ok=false;
    if(ok&&type&&(" "+r.getAttribute("data-types")+" ").indexOf(" "+type+" ")<0)ok=false;
    if(ok&&entity&&(" "+r.getAttribute("data-entities")+" ").indexOf(" "+entity+" ")<0)ok=false;
    r.hidden=!ok;if(ok)n++;});
  rows.forEach(function(r){if(r.classList.contains("sep"))r.hidden=!!filtering;});
  var picked=table.querySelectorAll(".ent.pick");for(var i=0;i<picked.length;i++)picked[i].classList.remove("pick");
  document.body.classList.toggle("type-filter",!!(type||entity));
  if(type||entity){var sel=type&&entity?'.ent[data-type="'+type+'"][data-entity="'+entity+'"]':type?'.ent[data-type="'+type+'"]':'.ent[data-entity="'+entity+'"]';
    var ms=table.querySelectorAll(sel);for(var j=0;j<ms.length;j++)ms[j].classList.add("pick");}
  document.body.classList.toggle("show-corr",onlyCorr);
  shown.textContent=n+" of "+beads.length+" beads shown";}
[fFlagged,fFlag,fCorr,fType,fEntity].forEach(function(el){el.addEventListener("change",apply);});
document.getElementById("f-reset").addEventListener("click",function(){fFlagged.checked=false;fCorr.checked=false;
  fFlag.value="";fType.value="";fEntity.value="";apply();});
var current=-1;
function targets(){return beads.filter(function(r){return r.hasAttribute("data-nav")&&!r.hidden;});}
function go(step){var list=targets();if(!list.length)return;
  var at=-1,old=document.querySelector("tr.bead.current");
  if(old){at=list.indexOf(old);old.classList.remove("current");}
  if(at<0){var top=header.offsetHeight;at=step>0?-1:list.length;
    for(var i=0;i<list.length;i++){if(list[i].getBoundingClientRect().top>top+4){at=step>0?i-1:i;break;}}}
  var next=list[(at+step+list.length)%list.length];
  next.classList.add("current");next.scrollIntoView({block:"center"});
  if(history.replaceState)history.replaceState(null,"","#"+next.id);
  document.body.setAttribute("data-current",next.id);}
document.addEventListener("keydown",function(ev){
  if(ev.ctrlKey||ev.metaKey||ev.altKey)return;
  var t=ev.target.tagName;if(t==="INPUT"||t==="SELECT"||t==="TEXTAREA")return;
  if(ev.key==="n"||ev.key==="j"){go(1);ev.preventDefault();}
  else if(ev.key==="p"||ev.key==="k"){go(-1);ev.preventDefault();}});
window.bayanNext=go;
document.body.setAttribute("data-ready","1");
})();
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bayan {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1><span lang="en">{title_en}</span><span class="ar" dir="rtl" lang="ar">{title_ar}</span></h1>
<div class="stats">{doc} · {date} · {authors} · {beads} beads · {flagged} flagged · {mentions} entity mentions · {corrections} corrections · <a href="#charts">charts</a></div>
<div class="filters" role="group" aria-label="filters">
<label><input type="checkbox" id="f-flagged"> only flagged</label>
<label>flag <select id="f-flag"><option value="">any</option>{flag_options}</select></label>
<label><input type="checkbox" id="f-corr"> only corrections</label>
<label>type <select id="f-type"><option value="">all types</option>{type_options}</select></label>
<label>entity <select id="f-entity"><option value="">all entities</option>{entity_options}</select></label>
<button type="button" id="f-reset">reset</button>
<span id="shown">{beads} of {beads} beads shown</span>
<span class="keys"><kbd>n</kbd>/<kbd>j</kbd> next flagged · <kbd>p</kbd>/<kbd>k</kbd> previous</span>
</div>
<div class="legend">{legend}<span class="swatch sw-fix" title="a typo fix applied: hover shows the original">fix</span><span class="swatch sw-sugg" title="a suggested fix, not applied: hover shows it">suggestion</span></div>
</div></header>
<main>
{summary}
<table class="beads" id="beads">
<colgroup><col class="c-en"><col class="c-meta"><col class="c-ar"></colgroup>
<thead><tr><th class="en" lang="en">English</th><th>bead</th><th class="ar" dir="rtl" lang="ar">العربية</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{outside}
<section id="charts"><h2>Charts</h2>
{charts}
</section>
</main>
<script type="application/json" id="bayan-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""


def load_documents(path: Path | str) -> list[tuple[Path, Bitext]]:
    """The bayan JSON documents of an output folder (``*.json``) or one JSON file, with
    their reading views rebuilt.

    Raises:
        InputError: the path does not exist, or holds no bayan document.
    """
    from ..errors import InputError
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist", "give an output folder of `bayan process`")
    files = [path] if path.is_file() else sorted(path.glob("*.json"))
    documents = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            if path.is_file():
                raise InputError(file, f"is not a JSON document: {exc}") from None
            continue
        if not isinstance(data, dict) or "sides" not in data or "meta" not in data:
            continue
        documents.append((file, ensure_views(Bitext.from_json(data))))
    if not documents:
        raise InputError(path, "holds no bayan JSON document (<id>.json)",
                         "run `bayan process ... -o FOLDER` with \"json\" in [output] formats first")
    return documents
