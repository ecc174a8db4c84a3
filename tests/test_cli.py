"""The command line, end to end: outputs, exit codes, clear errors, nothing partial."""
import json
import shutil

import pytest
from lxml import etree

from pipeline.cli import EXIT_BAD_INPUT, EXIT_OK, main
from pipeline.document import Bitext
from pipeline.readers.text import read_text_file


@pytest.fixture(scope="module")
def processed(tmp_path_factory, sample_dir):
    out = tmp_path_factory.mktemp("out")
    assert main(["process", str(sample_dir), "-o", str(out)]) == EXIT_OK
    return out


def test_process_corpus_folder_writes_valid_tei_and_json(processed, capsys):
    files = sorted(p.name for p in processed.iterdir())
    for suffix in ("beads.tsv", "entities.csv", "entities.jsonl", "entities.parquet", "json", "tei.xml", "tmx"):
        assert f"bayan-2021-taliban-iskp.{suffix}" in files
    assert main(["validate", str(processed / "bayan-2021-taliban-iskp.tei.xml")]) == EXIT_OK


def test_round_trip_raw_text_is_exactly_recoverable(processed, sample_dir):
    data = json.loads((processed / "bayan-2021-taliban-iskp.json").read_text(encoding="utf-8"))
    bitext = Bitext.from_json(data)
    assert bitext.ar.raw == read_text_file(sample_dir / "ar.txt").text
    assert bitext.ar.raw == (sample_dir / "ar.txt").read_text(encoding="utf-8")
    assert bitext.en.raw and bitext.en.source["format"] == "html"
    # every layer survives: same spans, same ids
    for side in bitext.sides():
        assert side.layer("sentences") and side.layer("blocks")
        for span in side.layer("sentences"):
            assert all(0 <= a <= b <= len(side.raw) for a, b in span.parts)


def test_process_single_files_with_english(tmp_path, sample_dir):
    out = tmp_path / "o"
    code = main(["process", str(sample_dir / "ar.txt"), "--en", str(sample_dir / "en.html"),
                 "--profile", "bayan-center", "-o", str(out)])
    assert code == EXIT_OK
    tree = etree.parse(str(out / "ar.tei.xml"))
    assert len(tree.findall(".//{http://www.tei-c.org/ns/1.0}group/{http://www.tei-c.org/ns/1.0}text")) == 2


def test_arabic_only_document_is_valid(tmp_path, sample_dir, capsys):
    out = tmp_path / "o"
    assert main(["process", str(sample_dir / "ar.txt"), "-o", str(out)]) == EXIT_OK
    err = capsys.readouterr().err
    assert "en.sentences: skipped, the document has no English side" in err
    assert main(["validate", str(out / "ar.tei.xml")]) == EXIT_OK


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "the file is empty"),
    ("binary.txt", bytes(range(256)) * 20, "binary"),
    ("english.txt", b"This is an English text and nothing else.\n", "not Arabic"),
    ("fake.pdf", b"just text pretending", "not a PDF"),
])
def test_bad_inputs_fail_clearly_and_write_nothing(tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    out = tmp_path / "out"
    assert main(["process", str(bad), "-o", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert str(bad) in err and message in err
    assert not out.exists() or not any(out.iterdir())


def test_missing_file_and_bad_config(tmp_path, capsys, sample_dir):
    assert main(["process", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")]) == EXIT_BAD_INPUT
    assert "no such file" in capsys.readouterr().err
    config = tmp_path / "bad.toml"
    config.write_text('[pipeline]\nstages = ["ar.sentences"]\n', encoding="utf-8")
    code = main(["process", str(sample_dir / "ar.txt"), "--config", str(config), "-o", str(tmp_path / "o")])
    assert code == EXIT_BAD_INPUT
    assert "requires ar.blocks" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_folder_without_meta_toml(tmp_path, capsys):
    assert main(["process", str(tmp_path), "-o", str(tmp_path / "o")]) == EXIT_BAD_INPUT
    assert "meta.toml" in capsys.readouterr().err


def test_failed_run_leaves_earlier_outputs_untouched(tmp_path, sample_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    out = tmp_path / "out"
    assert main(["process", str(corpus), "-o", str(out)]) == EXIT_OK
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (corpus / "ar.txt").write_bytes(b"")
    assert main(["process", str(corpus), "-o", str(out)]) == EXIT_BAD_INPUT
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_corrections_lists_each_change_in_its_context(processed, capsys):
    assert main(["corrections", str(processed)]) == EXIT_OK
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows and all(len(row) == 8 for row in rows)
    for row in rows:
        before = row[4].split(" → ")[0]
        assert f"[{before}]" in row[7]                      # the original, bracketed, among its words
    assert main(["corrections", str(processed), "--suggested"]) == EXIT_OK
    suggested = capsys.readouterr().out.splitlines()
    assert suggested and all("\tsuggested\t" in line for line in suggested)
    assert len(suggested) < len(rows)


def test_eval_says_what_a_folder_lacks(tmp_path, capsys):
    assert main(["eval", "entities", str(tmp_path / "missing")]) == EXIT_BAD_INPUT
    assert "missing: no such folder" in capsys.readouterr().err
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ar.txt").write_text("نص عربي قصير.\n", encoding="utf-8")
    (folder / "meta.toml").write_text('ar = "ar.txt"\n', encoding="utf-8")
    assert main(["eval", "entities", str(folder)]) == EXIT_BAD_INPUT
    assert "has no entities.gold.tsv" in capsys.readouterr().err
    assert main(["eval", "align", str(folder)]) == EXIT_BAD_INPUT
    assert "has no alignment.gold.tsv" in capsys.readouterr().err


def test_validate_searches_folders_for_tei_files(processed, tmp_path, capsys):
    assert main(["validate", str(processed)]) == EXIT_OK
    assert "bayan-2021-taliban-iskp.tei.xml: valid" in capsys.readouterr().out
    assert main(["validate", str(tmp_path), str(tmp_path / "missing.tei.xml")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "no TEI files (*.tei.xml) in this folder" in err and "missing.tei.xml: no such file" in err


def test_validate_reports_invalid_and_malformed_files(tmp_path, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text/></TEI>", encoding="utf-8")
    assert main(["validate", str(bad)]) == EXIT_BAD_INPUT
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI>", encoding="utf-8")
    assert main(["validate", str(broken)]) == EXIT_BAD_INPUT
    assert "not well-formed" in capsys.readouterr().err


def test_stages_command_lists_requirements(capsys):
    assert main(["stages"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "ar.sentences" in out and "requires: ar.blocks, ar.view.reading" in out


ARTICLE = ("عنوان تجريبي للمقال\n\nكاتب أول - كاتب ثان\n\n"
           "هذه فقرة أولى من المقال، وفيها جملتان. وهذه الجملة الثانية فيها.\n\n"
           "وهذه فقرة ثانية تنتهي بنقطة.\n")


def _tei_sentences(path):
    tree = etree.parse(str(path))
    return [" ".join("".join(s.itertext()).split()) for s in tree.iter("{http://www.tei-c.org/ns/1.0}s")]


def test_presentation_forms_are_read_and_normalized(tmp_path):
    import arabic_reshaper
    source = tmp_path / "shaped.txt"
    source.write_text(arabic_reshaper.reshape(ARTICLE), encoding="utf-8")
    assert main(["process", str(source), "-o", str(tmp_path / "o")]) == EXIT_OK
    sentences = _tei_sentences(tmp_path / "o" / "shaped.tei.xml")
    assert "وهذه الجملة الثانية فيها." in sentences
    data = json.loads((tmp_path / "o" / "shaped.json").read_text(encoding="utf-8"))
    assert data["sides"][0]["raw"] == arabic_reshaper.reshape(ARTICLE)   # raw kept as shaped


@pytest.mark.parametrize("encoding, bom", [("cp1256", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")])
def test_encodings_end_to_end(tmp_path, encoding, bom):
    source = tmp_path / "doc.txt"
    source.write_bytes(bom + ARTICLE.encode(encoding))
    assert main(["process", str(source), "-o", str(tmp_path / "o")]) == EXIT_OK
    tree = etree.parse(str(tmp_path / "o" / "doc.tei.xml"))
    notes = [n.text for n in tree.iter("{http://www.tei-c.org/ns/1.0}note") if n.get("type") == "encoding"]
    assert notes == [encoding]
    assert "وهذه فقرة ثانية تنتهي بنقطة." in _tei_sentences(tmp_path / "o" / "doc.tei.xml")
