"""OCR typo fixing: channel, candidates, decisions, the stage, TEI, and the floors."""
import tomllib
from pathlib import Path

import pytest

from pipeline.spell.channel import channel_log_probability, edit_operations
from pipeline.spell.fixer import DocumentContext, decide

ROOT = Path(__file__).resolve().parent.parent


def test_edit_operations():
    assert edit_operations("شرطة", "شرظة") == [("ط", "ظ")]
    assert edit_operations("كابل", "كابلء") == [("", "ء")]


def test_dot_confusions_are_likelier_than_other_substitutions():
    assert channel_log_probability("الدولية", "الذولية") > channel_log_probability("الدولية", "الكولية")
    assert channel_log_probability("دولة", "دولة") > channel_log_probability("دولة", "ذولة")


@pytest.mark.parametrize("observed, intended", [
    ("الذولية", "الدولية"), ("إيزان", "إيران"), ("الحارجية", "الخارجية"), ("كابلء", "كابل،")])
def test_non_words_get_their_reading(observed, intended):
    decision = decide(observed, None, None, DocumentContext([]))
    assert decision is not None and decision[0] == intended


@pytest.mark.parametrize("word", ["الدولية", "طالبان", "أفغانستان", "في", "الحدود"])
def test_correct_words_are_left_alone(word):
    assert decide(word, None, None, DocumentContext([])) is None


def test_document_context_decides_a_real_word():
    context = DocumentContext(["هدفه الأول هو البقاء. وكان هدفه الأول واضحا. هدفه الأول تحقق."])
    decision = decide("هدفة", None, "الأول", context)
    assert decision is not None and decision[0] == "هدفه"


def test_sample_names_are_never_corrected(sample_bitext):
    ar = sample_bitext.ar
    names = [(a, b) for e in ar.layer("entities") for a, b in e.parts]
    for correction in ar.layer("corrections"):
        assert not any(a < correction.end and correction.start < b for a, b in names)
        assert ar.raw[correction.start:correction.end] == correction.attrs["before"]
    corrected = ar.view("corrected").text
    applied = [c for c in ar.layer("corrections") if c.attrs["applied"]]
    assert all(c.attrs["after"] in corrected for c in applied)
    assert ar.raw == (ROOT / "corpora/bayan-2021-taliban-iskp/ar.txt").read_text(encoding="utf-8")


def test_tei_shows_original_and_fix(sample_tei, sample_bitext):
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    choices = sample_tei.findall(".//t:s/t:choice", ns)
    assert len(choices) == len(sample_bitext.ar.layer("corrections"))
    for choice in choices:
        if choice.get("type") == "correction":
            assert choice.find("t:sic", ns).text and choice.find("t:corr", ns).get("cert")
        else:
            assert choice.find("t:orig", ns).text and choice.find("t:reg", ns).text


FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text(encoding="utf-8"))["spelling"]


@pytest.mark.parametrize("level", sorted(FLOORS["test"]))
def test_spelling_floors_on_real_ocr(level):
    from pipeline.spell.evaluate import evaluate_level
    report = evaluate_level(ROOT / "corpora" / "ocr" / "test" / f"{level}.jsonl").as_dict()
    floor = FLOORS["test"][level]
    assert report["precision"] >= floor["precision"], report
    assert report["cer_reduction_vs_normalized"] >= floor["cer_reduction_vs_normalized"], report
