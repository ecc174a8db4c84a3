"""Shared fixtures: the bundled sample, processed once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "corpora" / "bayan-2021-taliban-iskp"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_bitext():
    """The sample publication (Arabic + English reference) through the default stages."""
    from pipeline.corpus import read_corpus_dir
    from pipeline.process import process_entry
    return process_entry(read_corpus_dir(SAMPLE_DIR))


@pytest.fixture(scope="session")
def sample_tei(sample_bitext):
    from lxml import etree
    from pipeline.export.tei import tei_bytes
    return etree.fromstring(tei_bytes(sample_bitext))


@pytest.fixture
def process_texts(tmp_path):
    """A function that runs an Arabic text and its English original (written to files)
    through the default stages and returns the Bitext."""
    from pipeline.process import entry_for_files, process_entry

    def run(arabic_text: str, english_text: str):
        arabic, english = tmp_path / "ar.txt", tmp_path / "en.txt"
        arabic.write_text(arabic_text, encoding="utf-8")
        english.write_text(english_text, encoding="utf-8")
        return process_entry(entry_for_files(arabic, english))
    return run
