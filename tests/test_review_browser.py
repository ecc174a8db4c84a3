"""The review page in a real browser: Debian's chromium, headless, run as a subprocess.

The page is loaded from a file (no network), its scripts run, and the DOM is dumped and
checked against the Bitext and the TEI: every bead, flag, sentence, entity mention and
correction is there, the Arabic column is right to left, and hovering a name lights up
its linked mention (a small script added to a copy of the page simulates the mouse, the
filters and the n/p/j/k keys and writes what happened into the DOM before the dump).
A screenshot is kept in the test's output folder, and copied to $BAYAN_SCREENSHOT_DIR
when set (.ci/run sets it, so each CI run keeps one).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from lxml import etree, html

from pipeline.export.review import review_html
from pipeline.export.tei import TEI_NS, tei_bytes
from test_review import tei_names, with_corrections

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing (apt-get install -y chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--no-default-browser-check"]


def chromium(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run headless chromium with a throw-away profile; returns the finished process."""
    with tempfile.TemporaryDirectory(prefix="bayan-chromium-") as profile:
        return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *arguments],
                              capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "HOME": profile})


def dump_dom(url: str, budget_ms: int = 5000) -> str:
    done = chromium(f"--virtual-time-budget={budget_ms}", "--dump-dom", url)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout.decode("utf-8")


PROBE = r"""
<script>
(function(){
  var out={ready:document.body.getAttribute("data-ready")};
  var table=document.getElementById("beads");
  var beads=Array.prototype.slice.call(table.querySelectorAll("tr.bead"));
  function visible(){return beads.filter(function(r){return !r.hidden;}).length;}
  out.beads=beads.length;
  var first=Array.prototype.slice.call(table.querySelectorAll(".ent[data-link]")).filter(function(e){
    return e.id&&document.getElementById(e.getAttribute("data-link"));})[0];
  var other=document.getElementById(first.getAttribute("data-link"));
  first.dispatchEvent(new MouseEvent("mouseover",{bubbles:true}));
  out.hovered=first.id;out.link=first.getAttribute("data-link");
  out.selfLit=first.classList.contains("hl");out.linkedLit=other.classList.contains("hl-linked");
  out.bodyLink=document.body.getAttribute("data-hover-link");
  out.linkedColumn=other.closest("td").className;out.hoveredColumn=first.closest("td").className;
  first.dispatchEvent(new MouseEvent("mouseout",{bubbles:true,relatedTarget:document.body}));
  out.clearedOnMouseout=!other.classList.contains("hl-linked")&&!document.body.hasAttribute("data-hover-link");
  function set(id,value){var el=document.getElementById(id);
    if(el.type==="checkbox")el.checked=value;else el.value=value;el.dispatchEvent(new Event("change"));}
  set("f-flagged",true);out.onlyFlagged=visible();set("f-flagged",false);
  set("f-flag","low_confidence");out.onlyLowConfidence=visible();set("f-flag","");
  set("f-corr",true);out.onlyCorrections=visible();out.showOriginals=document.body.classList.contains("show-corr");
  set("f-corr",false);
  set("f-type","PERSON");out.onlyPerson=visible();set("f-type","");
  set("f-entity","grp-taliban");out.onlyTaliban=visible();
  out.picked=table.querySelectorAll(".ent.pick").length;set("f-entity","");
  out.afterReset=visible();
  out.separatorsHiddenWhenFiltering=null;
  function key(k){document.dispatchEvent(new KeyboardEvent("keydown",{key:k,bubbles:true}));
    return document.body.getAttribute("data-current");}
  out.keys=[key("n"),key("n"),key("p"),key("j"),key("k")];
  out.currentMarked=document.querySelectorAll("tr.bead.current").length;
  first.dispatchEvent(new MouseEvent("mouseover",{bubbles:true}));  /* leave the highlight in the dump */
  var pre=document.createElement("pre");pre.id="probe";pre.textContent=JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, sample_bitext):
    """The page of the sample with hand-made corrections, its TEI, the dumped DOMs."""
    out = tmp_path_factory.mktemp("review")
    bitext = with_corrections(sample_bitext)
    page = review_html(bitext)
    (out / "review.html").write_bytes(page)
    probed = page.decode("utf-8").replace("</body>", PROBE + "</body>")
    (out / "review-probe.html").write_text(probed, encoding="utf-8")
    tei = etree.fromstring(tei_bytes(bitext))
    dom = html.fromstring(dump_dom((out / "review.html").as_uri()))
    probe_dom = html.fromstring(dump_dom((out / "review-probe.html").as_uri()))
    return out, bitext, tei, dom, probe_dom


def test_page_loads_and_scripts_run(reviewed):
    _, _, _, dom, probe_dom = reviewed
    assert dom.body.get("data-ready") == "1"
    assert probe_dom.get_element_by_id("probe") is not None


def test_every_bead_sentence_and_flag_in_the_dom(reviewed):
    _, bitext, _, dom, _ = reviewed
    rows = dom.xpath("//table[@id='beads']/tbody/tr[contains(concat(' ', @class, ' '), ' bead ')]")
    assert len(rows) == len(bitext.alignment)
    for row, bead in zip(rows, bitext.alignment):
        assert row.get("data-flags").split() == bead["flags"]
        for flag in bead["flags"]:
            assert row.xpath(f".//span[contains(@class,'fl-{flag}')]"), (row.get("id"), flag)
        ids = row.xpath(".//span[contains(concat(' ', @class, ' '), ' s ')]/@id")
        assert ids == bead["en"] + bead["ar"]
    flagged = [n for n, b in enumerate(bitext.alignment, 1) if b["flags"]]
    assert dom.xpath("//details[@id='flagged-list']//a/@href") == [f"#bead-{n}" for n in flagged]


def test_arabic_column_is_right_to_left(reviewed):
    _, _, _, dom, _ = reviewed
    cells = dom.xpath("//tr[contains(@class,'bead')]/td[contains(@class,'ar')]")
    assert cells and all(c.get("dir") == "rtl" and c.get("lang") == "ar" for c in cells)
    assert all(c.get("lang") == "en" for c in dom.xpath("//tr[contains(@class,'bead')]/td[contains(@class,'en')]"))


def test_every_tei_name_and_choice_is_a_span(reviewed):
    _, bitext, tei, dom, _ = reviewed
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    total = 0
    for side in bitext.sides():
        spans = dom.xpath(f"//table[@id='beads']//td[contains(@class,'{side.lang}')]"
                          "//span[contains(concat(' ', @class, ' '), ' ent ')]")
        assert len(spans) == sum(len(e.parts) for e in side.layer("entities"))
        ids = {s.get("id") for s in spans if s.get("id")}
        names = tei_names(tei, side.lang)
        assert {n.get(xml_id) for n in names if n.get(xml_id)} <= ids
        assert len(names) <= len(spans)
        total += len(spans)
    assert total > 400
    choices = tei.findall(f".//{{{TEI_NS}}}group//{{{TEI_NS}}}choice")
    corrections = dom.xpath("//span[contains(concat(' ', @class, ' '), ' corr ')]")
    assert len(corrections) == len(bitext.ar.layer("corrections")) >= len(choices)
    afters = {c.get("data-after") for c in corrections}
    for choice in choices:
        fixed = choice.find(f"{{{TEI_NS}}}corr")
        fixed = fixed if fixed is not None else choice.find(f"{{{TEI_NS}}}reg")
        assert "".join(fixed.itertext()) in afters


def test_hover_lights_the_linked_mention(reviewed):
    _, _, _, _, probe_dom = reviewed
    result = json.loads(probe_dom.get_element_by_id("probe").text)
    assert result["ready"] == "1"
    assert result["selfLit"] and result["linkedLit"] and result["bodyLink"] == result["link"]
    assert result["clearedOnMouseout"]
    columns = {result["hoveredColumn"], result["linkedColumn"]}
    assert columns == {"en", "ar"}
    linked = probe_dom.get_element_by_id(result["link"])
    assert "hl-linked" in linked.get("class") and probe_dom.body.get("data-hover-link") == result["link"]


def test_filters_and_keys_in_the_browser(reviewed):
    _, bitext, _, _, probe_dom = reviewed
    result = json.loads(probe_dom.get_element_by_id("probe").text)
    beads = bitext.alignment
    flagged = [n for n, b in enumerate(beads, 1) if b["flags"]]
    assert result["onlyFlagged"] == len(flagged)
    assert result["onlyLowConfidence"] == sum("low_confidence" in b["flags"] for b in beads)
    assert result["onlyCorrections"] == 3 and result["showOriginals"]
    assert 0 < result["onlyPerson"] < len(beads) and 0 < result["onlyTaliban"] < len(beads)
    assert result["picked"] > 20 and result["afterReset"] == len(beads)
    navigable = [r.get("id") for r in probe_dom.xpath("//tr[contains(@class,'bead')][@data-nav]")]
    assert result["keys"] == [navigable[0], navigable[1], navigable[0], navigable[1], navigable[0]]
    assert result["currentMarked"] == 1


def screenshot_copy(page: bytes, bead: int) -> bytes:
    """The page without its summary and the rows before ``bead``.

    Headless chromium's --screenshot paints nothing once a page is scrolled (to a
    #fragment or by a script), so instead of scrolling to the bead the rows above it go.
    """
    tree = html.fromstring(page)
    for summary in tree.xpath("//section[@id='summary']"):
        summary.getparent().remove(summary)
    for row in tree.xpath("//table[@id='beads']/tbody/tr"):
        if row.get("id") == f"bead-{bead}":
            break
        row.getparent().remove(row)
    return html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8")


def test_screenshot(reviewed):
    out, bitext, _, dom, _ = reviewed
    # the first bead with an applied fix: a body paragraph with names on both sides
    row = dom.xpath("//tr[contains(@class,'has-corr')][.//span[contains(@class,'applied')]]")[0]
    bead = int(row.get("id")[len("bead-"):])
    (out / "review-shot.html").write_bytes(screenshot_copy((out / "review.html").read_bytes(), bead))
    shot = out / "review.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1366,900", "--virtual-time-budget=8000",
                    (out / "review-shot.html").as_uri())
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    from PIL import Image
    with Image.open(shot) as image:
        assert image.size == (1366, 900)
        small = image.convert("RGB").resize((200, 130))
        colours = len({small.getpixel((x, y)) for x in range(200) for y in range(130)})
        bottom = image.convert("L").crop((0, 800, 1366, 900))
        assert bottom.getextrema()[0] < 100  # text painted down to the bottom of the window
    assert colours > 200  # text, colours and bars, not a blank page
    keep = os.environ.get("BAYAN_SCREENSHOT_DIR")   # CI keeps the run's screenshot there
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / "review.png")
