"""The terminal view of processed documents (``bayan show``): aligned pairs as a table.

English | Arabic | type | cert | flags, one row per bead. Most terminals neither shape
Arabic nor lay it out right to left; with ``bidi=True`` (the default) each Arabic line is
wrapped in logical order first, then shaped (``arabic_reshaper``) and put in visual order
(python-bidi's ``get_display``), so lines read right to left in their right order.
``bidi=False`` prints logical order for terminals that do bidi themselves. Long output
goes through a pager when standard output is a terminal.
"""
from __future__ import annotations

import os
import textwrap
from typing import Iterable

from ..document import Bitext, BlockText

FLAG_STYLES = {"omission": "bold yellow", "addition": "bold cyan", "suspicious_merge": "bold magenta",
               "low_confidence": "bold red"}


def visual_lines(text: str, width: int) -> list[str]:
    """Arabic wrapped to ``width`` in logical order, each line shaped and in visual order."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    lines = textwrap.wrap(" ".join(text.split()), max(width, 8), break_long_words=True) or [""]
    return [get_display(arabic_reshaper.reshape(line), base_dir="R") for line in lines]


def _texts(bitext: Bitext) -> dict[str, tuple[str, str | None]]:
    """Sentence id -> (reading text, block id)."""
    out = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for sentence in side.layer("sentences"):
            out[sentence.id] = (" ".join(BlockText.of(view, sentence).text.split()), sentence.attrs.get("block"))
    return out


def _joined(ids: Iterable[str], texts: dict) -> str:
    pieces, previous = [], None
    for number, sentence_id in enumerate(ids):
        text, block = texts.get(sentence_id, (f"[{sentence_id}]", None))
        if number:
            pieces.append(" ¶ " if block != previous else " ")
        pieces.append(text)
        previous = block
    return "".join(pieces)


def beads_table(bitext: Bitext, flagged_only: bool = False, bidi: bool = True, width: int = 120):
    """A rich Table of the document's beads."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    texts = _texts(bitext)
    fixed = {"#": 4, "type": 5, "cert": 5, "flags": 16}
    overhead = 3 * (len(fixed) + 2) + 1
    text_width = max(40, width - sum(fixed.values()) - overhead)
    en_width = text_width // 2
    ar_width = text_width - en_width
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=False, pad_edge=False,
                  title=_title(bitext), title_justify="left")
    table.add_column("#", width=fixed["#"], justify="right", style="dim")
    table.add_column("English", width=en_width, overflow="fold")
    arabic_header = visual_lines("العربية", 20)[0] if bidi else "العربية"
    table.add_column(arabic_header, width=ar_width, justify="right", no_wrap=bidi, overflow="fold" if not bidi else "crop")
    table.add_column("type", width=fixed["type"])
    table.add_column("cert", width=fixed["cert"], justify="right")
    table.add_column("flags", width=fixed["flags"], overflow="fold")
    shown = 0
    for number, bead in enumerate(bitext.alignment, 1):
        flags = list(bead.get("flags", []))
        if flagged_only and not flags:
            continue
        shown += 1
        english = _joined(bead.get("en", []), texts)
        arabic = _joined(bead.get("ar", []), texts)
        if bidi:
            arabic_cell = Text("\n".join(visual_lines(arabic, ar_width - 1)) if arabic else "—", justify="right")
        else:
            arabic_cell = Text(arabic or "—", justify="right")
        cert = bead.get("cert")
        cert_text = Text(f"{cert:.2f}" if isinstance(cert, (int, float)) else "–",
                         style="red" if isinstance(cert, (int, float)) and cert < 0.3 else
                         "yellow" if isinstance(cert, (int, float)) and cert < 0.6 else "green")
        flag_text = Text()
        for flag in flags:
            flag_text.append(flag.replace("_", " ") + "\n", style=FLAG_STYLES.get(flag, "bold"))
        if bead.get("weakest"):
            flag_text.append(f"weakest {bead['weakest']}", style="dim")
        flag_text.rstrip()
        table.add_row(str(number), Text(english or "—", style="" if english else "dim"), arabic_cell,
                      bead.get("type", ""), cert_text, flag_text)
    table.caption = (f"{shown} of {len(bitext.alignment)} beads" + (" (flagged only)" if flagged_only else "")
                     + ("" if bidi else " · Arabic in logical order (--no-bidi)"))
    return table


def _title(bitext: Bitext) -> str:
    meta = bitext.meta
    flagged = sum(1 for b in bitext.alignment if b.get("flags"))
    return (f"{meta.doc_id or 'document'} — {meta.title.get('en', '')} "
            f"({len(bitext.alignment)} beads, {flagged} flagged)")


def show(bitexts: list[Bitext], flagged_only: bool = False, bidi: bool = True, pager: bool = True,
         console=None) -> int:
    """Print every document's beads; page when asked and printing to a terminal.

    Returns the number of documents that had no alignment (and so nothing to show).
    """
    from rich.console import Console
    console = console or Console(highlight=False)
    use_pager = pager and console.is_terminal
    tables, missing = [], 0
    for bitext in bitexts:
        if not bitext.alignment:
            missing += 1
            console.print(f"[yellow]{bitext.meta.doc_id or 'document'}: no alignment (no English side)[/yellow]")
            continue
        tables.append(beads_table(bitext, flagged_only, bidi, console.width))
    if use_pager:
        os.environ.setdefault("LESS", "-RFX")
        with console.pager(styles=True):
            for table in tables:
                console.print(table)
    else:
        for table in tables:
            console.print(table)
    return missing
