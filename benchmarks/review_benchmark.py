"""How long headless chromium takes to load the review page of a long document.

The sample is processed once; longer documents repeat it (raw texts, blocks, sentences,
page breaks, entity mentions with their links and the alignment, ids renamed per copy)
until the English side has at least N sentences. For each document the page is built
(timed in Python) and loaded by Debian's chromium, headless, from a file; a script added
to a copy of the page writes the Navigation Timing of the load (DOMContentLoaded, load)
and the time the page's own script took into the DOM, read back with --dump-dom. Each
load runs in a fresh browser profile; the median of the runs is reported.

    .venv/bin/python benchmarks/review_benchmark.py     # writes benchmarks/review_report.md
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from lxml import html

from pipeline.corpus import read_corpus_dir
from pipeline.document import Bitext, Metadata, Side, Span
from pipeline.export.review import ensure_views, review_html
from pipeline.process import process_entry

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "bayan-2021-taliban-iskp"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]
LAYERS = ("blocks", "sentences", "page_breaks", "entities", "corrections")

#: first in <head>: a clock before the page's script; after it, the time the script took and,
#: at load, the Navigation Timing, written into the DOM for --dump-dom.
HEAD_PROBE = "<script>window.__bayanT0=performance.now();</script>"
BODY_PROBE = r"""<script>
window.__bayanScript=performance.now()-window.__bayanT1;
window.addEventListener("load",function(){
  var n=performance.getEntriesByType("navigation")[0];
  var out={dcl:n.domContentLoadedEventEnd,load:n.loadEventStart,response:n.responseEnd,
           script:window.__bayanScript,ready:document.body.getAttribute("data-ready"),
           rows:document.querySelectorAll("tr.bead").length,
           mentions:document.querySelectorAll("#beads .ent").length};
  var pre=document.createElement("pre");pre.id="timing";pre.textContent=JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _rename(value: str | None, copy: int) -> str | None:
    return None if value is None else (value if copy == 0 else f"{value}_{copy}")


def repeat_bitext(bitext: Bitext, copies: int, doc_id: str) -> Bitext:
    """``copies`` copies of a processed Bitext, one after the other, ids renamed per copy."""
    sides = {}
    for side in bitext.sides():
        raws, layers, offset = [], {name: [] for name in LAYERS}, 0
        for copy in range(copies):
            for name in LAYERS:
                for span in side.layer(name):
                    attrs = dict(span.attrs)
                    for key in ("block", "s", "link"):
                        if attrs.get(key):
                            attrs[key] = _rename(attrs[key], copy)
                    layers[name].append(Span(tuple((a + offset, b + offset) for a, b in span.parts), span.label,
                                             _rename(span.id, copy), attrs))
            raws.append(side.raw)
            offset += len(side.raw) + 2
        new = Side(side.lang, "\n\n".join(raws), side.source)
        for name, spans in layers.items():
            if spans:
                new.set_layer(name, spans)
        sides[side.lang] = new
    alignment = []
    for copy in range(copies):
        for bead in bitext.alignment:
            bead = dict(bead)
            bead["ar"] = [_rename(i, copy) for i in bead["ar"]]
            bead["en"] = [_rename(i, copy) for i in bead["en"]]
            if bead.get("weakest"):
                bead["weakest"] = _rename(bead["weakest"], copy)
            alignment.append(bead)
    meta = Metadata(**{**bitext.meta.__dict__, "doc_id": doc_id})
    return ensure_views(Bitext(ar=sides["ar"], en=sides.get("en"), meta=meta, alignment=alignment))


def chromium(*arguments: str, timeout: float = 180) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="bayan-chromium-") as profile:
        return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *arguments],
                              capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "HOME": profile})


def probed(page: bytes) -> bytes:
    text = page.decode("utf-8")
    text = text.replace("<head>", "<head>" + HEAD_PROBE, 1)
    main_script = "<script>\n(function(){"
    assert main_script in text, "the page's script was not found"
    text = text.replace(main_script, "<script>window.__bayanT1=performance.now();</script>" + main_script, 1)
    text = text.replace("</body>", BODY_PROBE + "</body>", 1)
    return text.encode("utf-8")


def load_once(path: Path) -> dict:
    started = time.perf_counter()
    done = chromium("--dump-dom", path.as_uri())
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace")[-2000:])
    dom = html.fromstring(done.stdout)
    found = dom.xpath("//pre[@id='timing']")
    if not found:
        raise RuntimeError("the timing probe did not run (no <pre id=timing> in the dumped DOM)")
    result = json.loads(found[0].text)
    result["wall"] = wall * 1000
    return result


def measure(bitext: Bitext, folder: Path, runs: int) -> dict:
    started = time.perf_counter()
    page = review_html(bitext)
    build = time.perf_counter() - started
    path = folder / f"{bitext.meta.doc_id}.review.html"
    path.write_bytes(probed(page))
    results = [load_once(path) for _ in range(runs)]
    median = {key: statistics.median(r[key] for r in results) for key in ("dcl", "load", "script", "wall")}
    return {"sentences_ar": len(bitext.ar.layer("sentences")), "sentences_en": len(bitext.en.layer("sentences")),
            "beads": len(bitext.alignment), "mentions": results[0]["mentions"], "rows": results[0]["rows"],
            "ready": all(r["ready"] == "1" for r in results), "bytes": len(page), "build_s": build,
            "runs": runs, **median, "max_load": max(r["load"] for r in results)}


def baseline(folder: Path, runs: int) -> float:
    """Wall time of chromium dumping an empty page: start-up and shut-down alone."""
    path = folder / "empty.html"
    path.write_text("<!DOCTYPE html><title>x</title><p>x", encoding="utf-8")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        chromium("--dump-dom", path.as_uri())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000],
                        help="English sentences of the synthetic documents")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "review_report.md")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("/usr/bin/chromium is missing: apt-get install -y chromium")
    sample = process_entry(read_corpus_dir(SAMPLE))
    documents = [("sample", sample)]
    per_copy = len(sample.en.layer("sentences"))
    for size in args.sizes:
        copies = -(-size // per_copy)
        documents.append((f"synthetic {size}", repeat_bitext(sample, copies, f"benchmark-{size}")))
    version = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bayan-review-bench-") as folder:
        empty = baseline(Path(folder), args.runs)
        for name, bitext in documents:
            result = measure(bitext, Path(folder), args.runs)
            rows.append((name, result))
            print(name, json.dumps(result))
    lines = ["# Review page benchmark", "",
             "Time for headless chromium to load the review page (`<id>.review.html`) of a long",
             "document from a file. Synthetic documents repeat the processed sample (its sentences,",
             "entity mentions, links and beads, ids renamed per copy) until the English side has at",
             "least N sentences. Times are Navigation Timing in the page (ms from the start of",
             "navigation), written into the DOM by a script added to a copy of the page and read",
             "back with `--dump-dom`; median of "
             f"{args.runs} loads, each in a fresh profile. `script` is the page's own JavaScript",
             "(filters, hover, keys) at start-up. `wall` is the whole chromium process",
             f"(start-up, load, dump, exit); an empty page takes {empty:.0f} ms of wall time.", "",
             f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
             f"{version}. Target: the page loaded in under 2 s.", "",
             "| document | Arabic sentences | English sentences | beads | mentions | page MB | build s | "
             "DOMContentLoaded ms | load ms | script ms | wall ms | < 2 s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['sentences_ar']} | {r['sentences_en']} | {r['beads']} | {r['mentions']} | "
                     f"{r['bytes'] / 1e6:.2f} | {r['build_s']:.2f} | {r['dcl']:.0f} | {r['load']:.0f} | "
                     f"{r['script']:.1f} | {r['wall']:.0f} | {'yes' if r['max_load'] < 2000 else 'no'} |")
    lines += ["", "`build s`: `review_html` in Python (the page and its three charts, PNG).",
              "Every load ran the page's script to the end (`data-ready`), and the dumped DOM held one row",
              "per bead.", "",
              "The time grows with the page: parsing the HTML (every sentence and name is an element) and",
              "the first layout of one long table take most of it; the page's own script is a small part.",
              "Pages of several thousand sentences load in a few seconds; the review page is meant for one",
              "publication at a time (a few hundred sentences), and the machine is shared (2 cores), so",
              "single runs vary by a few hundred ms."]
    assert all(r["ready"] and r["rows"] == r["beads"] for _, r in rows)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
