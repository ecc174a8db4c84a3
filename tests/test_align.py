"""The aligner's parts on small hand-made inputs, and its outputs on the sample."""
import random

import numpy as np
import pytest
from lxml import etree
from scipy import sparse

from pipeline.align.dp import AlignParams, Side, align_sides
from pipeline.align.gale_church import gale_church
from pipeline.align.perturb import perturb
from pipeline.align.score import check_gold, read_gold, score
from pipeline.translit import arabic_skeleton, english_skeleton


def dp_side(rows, lengths=None, blocks=None, skip=1.2):
    matrix = sparse.csr_matrix(np.array(rows, dtype=float))
    n = matrix.shape[0]
    return Side(matrix, np.array(lengths or [20.0] * n), np.array(blocks or list(range(n))),
                np.zeros(n, dtype=int), np.full(n, skip))


def pairs(beads):
    return [(b.ar, b.en) for b in beads]


def test_identity_gives_one_to_one():
    eye = np.eye(4).tolist()
    assert pairs(align_sides(dp_side(eye), dp_side(eye))) == [((i,), (i,)) for i in range(4)]


def test_merged_arabic_sentence_gives_one_to_two():
    arabic = [[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]]          # sentence 1 = English 1 + 2
    english = np.eye(4).tolist()
    beads = align_sides(dp_side(arabic, [20, 40, 20], blocks=[0, 1, 2]), dp_side(english, blocks=[0, 1, 1, 2]))
    assert pairs(beads) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_unmatched_english_sentence_is_an_omission():
    arabic = [[1, 0, 0], [0, 0, 1]]
    english = np.eye(3).tolist()
    beads = align_sides(dp_side(arabic), dp_side(english, skip=0.5))
    assert ((), (1,)) in pairs(beads)


def test_empty_sides():
    assert align_sides(dp_side(np.zeros((0, 3))), dp_side(np.eye(2).tolist())) != []
    assert pairs(align_sides(dp_side(np.eye(2).tolist()), dp_side(np.zeros((0, 2))))) == [((0,), ()), ((1,), ())]


def test_coarse_to_fine_band_matches_the_full_search():
    rng = np.random.default_rng(3)
    n = 300
    base = rng.random((n, 400)) * (rng.random((n, 400)) < 0.03)
    arabic, gold = [], []
    k = 0
    while k < n:                     # English sentences k (and k+1) merged into one Arabic
        if k + 1 < n and rng.random() < 0.3:
            arabic.append(base[k] + base[k + 1])
            gold.append(((len(arabic) - 1,), (k, k + 1)))
            k += 2
        else:
            arabic.append(base[k])
            gold.append(((len(arabic) - 1,), (k,)))
            k += 1
    full = align_sides(dp_side(arabic), dp_side(base.tolist()), AlignParams())
    banded = align_sides(dp_side(arabic), dp_side(base.tolist()), AlignParams(max_cells=5_000))
    assert pairs(full) == pairs(banded) == gold


def test_gale_church_on_lengths():
    beads = gale_church([10, 20, 30], [10, 20, 30])
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert gale_church([10, 40], [10, 20, 20])[-1] == ((1,), (1, 2))


def test_scores_strict_and_lax():
    gold = [(("a1",), ("e1",)), (("a2",), ("e2", "e3")), ((), ("e4",))]
    assert score(gold, gold).strict_f1 == 1.0
    predicted = [(("a1",), ("e1",)), (("a2",), ("e2",)), ((), ("e3",)), ((), ("e4",))]
    result = score(predicted, gold)
    assert result.strict_p == pytest.approx(2 / 4) and result.strict_r == pytest.approx(2 / 3)
    assert result.lax_p == pytest.approx(3 / 4) and result.lax_r == pytest.approx(1.0)


@pytest.mark.parametrize("arabic, english", [
    ("ننكرهار", "Nangarhar"), ("كونار", "Kunar"), ("لوكر", "Logar"), ("البغدادي", "Baghdadi"),
    ("خراسان", "Khorasan"), ("حقاني", "Haqqani")])
def test_name_skeletons_match_across_scripts(arabic, english):
    assert arabic_skeleton(arabic) == english_skeleton(english)


def test_perturbed_gold_still_covers_every_sentence(sample_bitext, sample_dir):
    gold = read_gold(sample_dir / "alignment.gold.tsv")
    for seed in range(3):
        bitext, new_gold = perturb(sample_bitext, gold, random.Random(seed), merge=0.5,
                                   drop_arabic=0.1, drop_english=0.1)
        check_gold(new_gold, [s.id for s in bitext.ar.layer("sentences")],
                   [s.id for s in bitext.en.layer("sentences")])
        assert len(bitext.ar.layer("sentences")) < len(sample_bitext.ar.layer("sentences"))


def test_sample_alignment_beads_cover_both_sides(sample_bitext):
    beads = sample_bitext.alignment
    ar_ids = [i for b in beads for i in b["ar"]]
    en_ids = [i for b in beads for i in b["en"]]
    assert ar_ids == [s.id for s in sample_bitext.ar.layer("sentences")]
    assert en_ids == [s.id for s in sample_bitext.en.layer("sentences")]
    assert all(0.0 <= b["cert"] <= 1.0 for b in beads)
    front = [b for b in beads if b.get("addition_kind") == "front"]
    assert len(front) == 12 and all("addition" in b["flags"] for b in front)  # 11 blocks, 12 sentences


def test_tei_alignment_links(sample_tei, sample_bitext):
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    links = sample_tei.findall(".//t:standOff/t:linkGrp[@type='alignment']/*", ns)
    assert len(links) == len(sample_bitext.alignment)
    ids = {e.get("{http://www.w3.org/XML/1998/namespace}id") for e in sample_tei.iter()}
    for link in links:
        assert all(target[1:] in ids for target in link.get("target").split())
        assert 0 <= float(link.get("cert")) <= 1
    merged = [l for l in links if l.get("type") == "1-3"]
    assert merged and len(merged[0].get("target").split()) == 4
    paragraphs = sample_tei.findall(".//t:linkGrp[@type='paragraphs']/t:link", ns)
    assert any(l.get("target").startswith("#ar.p2 #en.p2") for l in paragraphs)


def test_tmx_is_tmx_1_4b(sample_bitext):
    from pipeline.export.alignment import tmx_bytes
    data = tmx_bytes(sample_bitext)
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attribute), attribute
    units = root.findall("body/tu")
    both_sided = [b for b in sample_bitext.alignment if b["ar"] and b["en"]]
    assert len(units) == len(both_sided)
    for unit in units:
        variants = unit.findall("tuv")
        assert [v.get("{http://www.w3.org/XML/1998/namespace}lang") for v in variants] == ["en", "ar"]
        assert all(len(v.findall("seg")) == 1 and v.find("seg").text for v in variants)


def test_beads_tsv_has_a_row_per_bead(sample_bitext):
    from pipeline.export.alignment import TSV_COLUMNS, beads_tsv_bytes
    lines = beads_tsv_bytes(sample_bitext).decode("utf-8").splitlines()
    assert lines[0].split("\t") == TSV_COLUMNS
    assert len(lines) == len(sample_bitext.alignment) + 1
    assert all(len(line.split("\t")) == len(TSV_COLUMNS) for line in lines)
