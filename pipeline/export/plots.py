"""Charts of a processed publication: entity mentions by type, the most mentioned names,
alignment confidence along the document. PNG and SVG, drawn by matplotlib (Agg).

Arabic labels: matplotlib up to 3.10 neither shapes nor reorders text, so every Arabic
label is shaped with ``arabic_reshaper`` (contextual letter forms) and put in visual order
with ``bidi.algorithm.get_display`` before it is drawn. matplotlib 3.11 lays text out
with libraqm (shaping and bidi); given pre-shaped visual-order text it would reverse it
again, so labels are passed in logical order there (:func:`matplotlib_shapes_text`). Text uses Noto Sans/Naskh Arabic (Debian's fonts-noto-core) when
installed, with DejaVu Sans (shipped with matplotlib) for Latin and as the fallback.
Output is deterministic: no dates in the files, a fixed SVG hash salt.

Names are counted on the Arabic side (the publication); the types chart shows both sides.
"""
from __future__ import annotations

import io
import weakref
from collections import Counter
from pathlib import Path
from typing import Callable

from ..document import Bitext, Side

#: Debian's fonts-noto-core Arabic faces, tried in order.
ARABIC_FONT_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
)
TYPE_ORDER = ("PERSON", "GROUP", "ORG", "COUNTRY", "PROVINCE", "DISTRICT_CITY", "ETHNIC_RELIGIOUS")
TYPE_NAMES_AR = {"PERSON": "أشخاص", "GROUP": "جماعات", "ORG": "منظمات", "COUNTRY": "دول",
                 "PROVINCE": "ولايات", "DISTRICT_CITY": "مدن ومناطق", "ETHNIC_RELIGIOUS": "جماعات إثنية ودينية"}
TYPE_COLOURS = {"PERSON": "#c0392b", "GROUP": "#8e44ad", "ORG": "#2471a3", "COUNTRY": "#1e8449",
                "PROVINCE": "#b9770e", "DISTRICT_CITY": "#d35400", "ETHNIC_RELIGIOUS": "#117a65"}
FLAG_STYLE = {"omission": ("#e67e22", "v"), "addition": ("#2e86c1", "^"),
              "suspicious_merge": ("#8e44ad", "D"), "low_confidence": ("#c0392b", "X")}
#: plot name -> (title, needs an alignment)
PLOTS: dict[str, tuple[str, bool]] = {
    "types": ("Entity mentions by type", False),
    "top": ("Most mentioned provinces, groups and leaders", False),
    "confidence": ("Alignment confidence along the document", True),
}
TOP_PANELS = (("PROVINCE", "Provinces", "الولايات"), ("GROUP", "Groups", "الجماعات"),
              ("PERSON", "Leaders and persons", "القادة والأشخاص"))


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def shape_arabic(text: str) -> str:
    """Arabic ready for a renderer that neither shapes nor reorders (matplotlib, terminals):
    letters in their contextual forms, the line in visual (left-to-right) order."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    return get_display(arabic_reshaper.reshape(text))


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def matplotlib_shapes_text() -> bool:
    """Whether this matplotlib lays out complex scripts itself (libraqm, matplotlib >= 3.11)."""
    from matplotlib import ft2font
    return bool(getattr(ft2font, "__libraqm_version__", None))


def label(text: str) -> str:
    """A chart label. Arabic is shaped and put in visual order unless matplotlib does it."""
    if not _has_arabic(text) or matplotlib_shapes_text():
        return text
    return shape_arabic(text)


_FONT_FAMILIES: list[str] | None = None


def font_families() -> list[str]:
    """Font families to draw with: an Arabic Noto face first when installed, DejaVu Sans after."""
    global _FONT_FAMILIES
    if _FONT_FAMILIES is None:
        from matplotlib import font_manager
        families = []
        for path in ARABIC_FONT_FILES:
            if Path(path).is_file():
                try:
                    font_manager.fontManager.addfont(path)
                    families.append(font_manager.FontProperties(fname=path).get_name())
                except (OSError, RuntimeError, ValueError):
                    continue
                break
        _FONT_FAMILIES = families + ["DejaVu Sans"]
    return _FONT_FAMILIES


def _reading(side: Side):
    return side.views.get("reading") or side.view("raw")


def mention_text(side: Side, span) -> str:
    return " ".join(_reading(side).span_text(span).split())


def type_counts(bitext: Bitext) -> dict[str, Counter]:
    """Side language -> mentions per entity type."""
    return {side.lang: Counter(span.label for span in side.layer("entities")) for side in bitext.sides()}


def top_entities(bitext: Bitext, kind: str, limit: int = 8) -> list[tuple[str, str, int]]:
    """``(entity id, Arabic name, Arabic mentions)`` of the most mentioned entities of a type.

    The name is the gazetteer's Arabic name, else the first Arabic mention's text. With no
    Arabic mentions of that type, English mentions are counted (and named) instead.
    """
    from ..resources.gazetteer import load_gazetteer
    gazetteer = load_gazetteer()
    for side in ([bitext.ar] + ([bitext.en] if bitext.en is not None else [])):
        spans = [s for s in side.layer("entities") if s.label == kind]
        if not spans:
            continue
        counts: Counter = Counter()
        first: dict[str, str] = {}
        for span in spans:
            key = span.attrs.get("entity") or mention_text(side, span)
            counts[key] += 1
            first.setdefault(key, mention_text(side, span))
        rows = []
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
            entry = gazetteer.entries.get(key)
            name = (entry.ar if side.lang == "ar" else entry.en) if entry else ""
            rows.append((key, name or first[key], count))
        return rows
    return []


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _font(size: float = 10.0):
    from matplotlib.font_manager import FontProperties
    return FontProperties(family=font_families(), size=size)


def figure_types(bitext: Bitext):
    counts = type_counts(bitext)
    kinds = [k for k in TYPE_ORDER if any(c.get(k) for c in counts.values())]
    kinds += sorted({k for c in counts.values() for k in c} - set(kinds))
    figure = _figure(7.5, 0.45 * max(len(kinds), 3) + 1.4)
    axes = figure.add_subplot()
    langs = [lang for lang in ("ar", "en") if lang in counts]
    height = 0.8 / max(len(langs), 1)
    names = {"ar": "Arabic " + label("العربية"), "en": "English"}
    for index, lang in enumerate(langs):
        positions = [k + (index - (len(langs) - 1) / 2) * height for k in range(len(kinds))]
        values = [counts[lang].get(kind, 0) for kind in kinds]
        bars = axes.barh(positions, values, height=height * 0.92, label=names[lang],
                         color=[TYPE_COLOURS.get(k, "#555") for k in kinds], alpha=1.0 if lang == "ar" else 0.45,
                         edgecolor="#333", linewidth=0.4)
        axes.bar_label(bars, padding=2, fontproperties=_font(8))
    axes.set_yticks(range(len(kinds)), [f"{kind}  {label(TYPE_NAMES_AR.get(kind, ''))}".strip() for kind in kinds],
                    fontproperties=_font(9))
    axes.invert_yaxis()
    axes.set_xlabel("mentions", fontproperties=_font(9))
    axes.set_title("Entity mentions by type — " + label("الإشارات إلى الكيانات حسب النوع"), fontproperties=_font(11))
    if kinds:
        from matplotlib.patches import Patch
        axes.legend(handles=[Patch(facecolor="#555", alpha=1.0 if lang == "ar" else 0.45, label=names[lang])
                             for lang in langs], prop=_font(8), loc="lower right")
    else:
        axes.text(0.5, 0.5, "no entity mentions", ha="center", va="center", transform=axes.transAxes)
    axes.margins(x=0.12)
    return figure


def figure_top(bitext: Bitext, limit: int = 8):
    figure = _figure(13.0, 4.6)
    panels = figure.subplots(1, len(TOP_PANELS))
    for axes, (kind, title_en, title_ar) in zip(panels, TOP_PANELS):
        rows = top_entities(bitext, kind, limit)
        axes.set_title(f"{title_en}\n{label(title_ar)}", fontproperties=_font(11))
        if not rows:
            axes.text(0.5, 0.5, "none mentioned", ha="center", va="center", transform=axes.transAxes,
                      fontproperties=_font(9))
            axes.set_xticks([])
            axes.set_yticks([])
            continue
        bars = axes.barh(range(len(rows)), [count for _, _, count in rows], color=TYPE_COLOURS.get(kind, "#555"))
        axes.bar_label(bars, padding=2, fontproperties=_font(8))
        axes.set_yticks(range(len(rows)), [label(_shorten(name)) for _, name, _ in rows], fontproperties=_font(10))
        axes.invert_yaxis()
        axes.set_xlabel("mentions in the Arabic text", fontproperties=_font(8))
        from matplotlib.ticker import MaxNLocator
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.margins(x=0.15)
    return figure


def figure_confidence(bitext: Bitext):
    beads = bitext.alignment
    figure = _figure(13.0, 3.8)
    axes = figure.add_subplot()
    xs = list(range(1, len(beads) + 1))
    certs = [float(b.get("cert", 0.0)) for b in beads]
    axes.plot(xs, certs, color="#7f8c8d", linewidth=0.8, zorder=1)
    clean = [(x, c) for x, c, b in zip(xs, certs, beads) if not b.get("flags")]
    if clean:
        axes.scatter(*zip(*clean), s=10, color="#27ae60", label="linked, not flagged", zorder=2)
    for flag, (colour, marker) in FLAG_STYLE.items():
        points = [(x, c) for x, c, b in zip(xs, certs, beads) if flag in b.get("flags", [])]
        if points:
            axes.scatter(*zip(*points), s=34, color=colour, marker=marker, label=flag.replace("_", " "),
                         edgecolor="#222", linewidth=0.4, zorder=3)
    axes.set_ylim(-0.03, 1.05)
    axes.set_xlim(0, max(len(beads), 1) + 1)
    axes.set_xlabel("bead (document order)", fontproperties=_font(9))
    axes.set_ylabel("confidence", fontproperties=_font(9))
    axes.set_title("Alignment confidence along the document — " + label("ثقة المحاذاة على امتداد الوثيقة"),
                   fontproperties=_font(11))
    axes.grid(axis="y", color="#ddd", linewidth=0.6)
    if beads:
        axes.legend(prop=_font(8), loc="lower left", ncols=5, framealpha=0.9)
    return figure


FIGURES: dict[str, Callable] = {"types": figure_types, "top": figure_top, "confidence": figure_confidence}


def _save(figure, fmt: str) -> bytes:
    import matplotlib
    out = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "bayan", "svg.fonttype": "path"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None} if fmt == "png" else {}
        figure.savefig(out, format=fmt, metadata=metadata, dpi=100, bbox_inches="tight", pad_inches=0.15)
    return out.getvalue()


class _Cache:
    """The rendered files of the last Bitext seen (exporters ask for them one by one)."""

    def __init__(self):
        self.ref: weakref.ref | None = None
        self.key: tuple = ()
        self.files: dict[tuple[str, str], bytes] = {}

    def get(self, bitext: Bitext, name: str, fmt: str) -> bytes:
        key = (id(bitext), len(bitext.alignment),
               tuple(len(side.layer("entities")) for side in bitext.sides()))
        if self.ref is None or self.ref() is not bitext or self.key != key:
            self.ref, self.key, self.files = weakref.ref(bitext), key, {}
        if (name, fmt) not in self.files:
            figure = FIGURES[name](bitext)
            for each in ("png", "svg"):
                self.files[(name, each)] = _save(figure, each)
        return self.files[(name, fmt)]


_CACHE = _Cache()


def plot_bytes(bitext: Bitext, name: str, fmt: str) -> bytes:
    """One chart (``types``, ``top``, ``confidence``) as ``png`` or ``svg``."""
    if name not in FIGURES:
        raise KeyError(f"unknown plot {name!r} (known: {', '.join(FIGURES)})")
    if not matplotlib_available():
        from ..errors import ConfigError
        raise ConfigError([f"[output] formats: plot-{name}-{fmt} needs matplotlib "
                           "(.venv/bin/pip install matplotlib), or remove the plot formats"])
    return _CACHE.get(bitext, name, fmt)


def plot_exporter(name: str, fmt: str) -> Callable[[Bitext], bytes]:
    def export(bitext: Bitext) -> bytes:
        return plot_bytes(bitext, name, fmt)
    export.__name__ = f"plot_{name}_{fmt}"
    export.__doc__ = f"The {PLOTS[name][0].lower()} chart as {fmt.upper()}."
    return export


def plot_formats() -> dict[str, tuple[str, Callable[[Bitext], bytes]]]:
    """Output formats for every chart: ``plot-types-png`` -> (``.plot-types.png``, exporter)."""
    return {f"plot-{name}-{fmt}": (f".plot-{name}.{fmt}", plot_exporter(name, fmt))
            for name in PLOTS for fmt in ("png", "svg")}


def plots_needing_alignment() -> set[str]:
    return {f"plot-{name}-{fmt}" for name, (_, needs) in PLOTS.items() if needs for fmt in ("png", "svg")}
