"""Accuracy floors (tests/floors.toml): bayan must not get worse than what was measured."""
import tomllib
from pathlib import Path

import pytest

from pipeline.align.evaluate import evaluate_alignment

ROOT = Path(__file__).resolve().parent.parent
FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text(encoding="utf-8"))
ALIGNMENT_SETS = {k: v for k, v in FLOORS["alignment"].items() if isinstance(v, dict)}


@pytest.fixture(scope="module", params=sorted(ALIGNMENT_SETS))
def alignment_report(request):
    return request.param, evaluate_alignment(ROOT / request.param)


def test_alignment_f1_floors(alignment_report):
    name, report = alignment_report
    floor = ALIGNMENT_SETS[name]
    assert report.bayan.strict_f1 >= floor["strict_f1"], report.as_dict()
    assert report.bayan.lax_f1 >= floor["lax_f1"], report.as_dict()


def test_alignment_beats_gale_church_clearly(alignment_report):
    _, report = alignment_report
    assert report.bayan.strict_f1 >= report.gale_church.strict_f1 + 0.2
    assert report.bayan.lax_f1 > report.gale_church.lax_f1


def test_every_unaligned_sentence_is_flagged(alignment_report):
    _, report = alignment_report
    recall = report.unaligned_flagged / report.unaligned_gold
    assert recall >= FLOORS["alignment"]["unaligned_flag_recall"], report.as_dict()


ENTITY_SETS = FLOORS.get("entities", {})


@pytest.fixture(scope="module", params=sorted(ENTITY_SETS))
def entity_report(request):
    from pipeline.entities.evaluate import evaluate_entities
    return request.param, evaluate_entities(ROOT / request.param)


def test_entity_floors(entity_report):
    name, report = entity_report
    floor = ENTITY_SETS[name]
    for lang in ("ar", "en"):
        if f"{lang}_f1" in floor:
            assert report.by_language[lang].f1 >= floor[f"{lang}_f1"], report.as_dict()
    if "link_accuracy" in floor:
        assert report.link_accuracy >= floor["link_accuracy"], report.as_dict()
