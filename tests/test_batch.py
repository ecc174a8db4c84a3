"""The batch runner: bad files fail alone, re-runs skip, killed runs resume, Dask = local.

The archive used here is made in a temporary folder: a copy of the sample, the first
third of the sample's Arabic alone, tiny Arabic files with and without English, and broken ones (empty,
binary, English, a meta.toml naming a missing file, invalid TOML).

Runs are compared only when they ran the same bayan code (the key includes a fingerprint
of it): if the code is edited while the tests run, such comparisons are skipped.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.batch.discover import discover, read_manifest
from pipeline.batch.keys import bayan_version, document_key
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "bayan-2021-taliban-iskp"

TINY_AR = ("تقرير قصير عن الأمن في العراق\n\n"
           "شهدت العاصمة بغداد اجتماعاً مهماً لمناقشة الأوضاع الأمنية في البلاد. "
           "وأكد المشاركون ضرورة التعاون بين المؤسسات.\n\n"
           "وفي الختام دعا المجتمعون إلى مواصلة الحوار.\n")
TINY_EN = ("# A short report on security in Iraq\n\n"
           "Baghdad hosted an important meeting to discuss the security situation in the country. "
           "The participants stressed the need for cooperation between institutions.\n\n"
           "In conclusion, the participants called for continued dialogue.\n")
TINY_AR_2 = ("ملاحظات حول الانتخابات\n\n"
             "تستعد المحافظات لإجراء الانتخابات المحلية في الربيع المقبل. "
             "وتقول المفوضية إن الاستعدادات تسير بصورة جيدة.\n")

GOOD = {"bayan-2021-taliban-iskp", "iskp-ar", "tiny-en", "short-1", "short-2"}
BROKEN = {  # id -> what the reason must say
    "empty": "empty",
    "binary": "binary",
    "english": "not Arabic",
    "missing-file": "does not exist",
    "bad-toml": "not valid TOML",
}


def _write_corpus(folder: Path, doc_id: str, ar: str, en: str | None, meta: str = "", profile: str = "") -> None:
    folder.mkdir(parents=True)
    lines = [f'id = "{doc_id}"', f'ar = "{ar}"'] + ([f'en = "{en}"'] if en else [])
    lines += [f'profile = "{profile}"'] if profile else []
    (folder / "meta.toml").write_text("\n".join(lines) + "\n" + meta, encoding="utf-8")


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    """The default stages, with fewer output formats (the charts and review page are slow
    to render and say nothing about batching)."""
    from pipeline.export import EXPORTERS
    formats = ["tei", "json"] + [f for f in ("entities-parquet",) if f in EXPORTERS]
    path = tmp_path_factory.mktemp("config") / "batch-test.toml"
    path.write_text(f"[output]\nformats = {json.dumps(formats)}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(SAMPLE, root / "2021" / "iskp")
    _write_corpus(root / "2021" / "iskp-ar", "iskp-ar", "ar.txt", None, profile="bayan-center")
    paragraphs = (SAMPLE / "ar.txt").read_text(encoding="utf-8").split("\n\n")
    (root / "2021" / "iskp-ar" / "ar.txt").write_text("\n\n".join(paragraphs[:len(paragraphs) // 3]), encoding="utf-8")
    _write_corpus(root / "2022" / "tiny-en", "tiny-en", "ar.txt", "en.md",
                  '[meta]\ndate = "2022-01"\nauthors_en = ["A. Writer"]\n')
    (root / "2022" / "tiny-en" / "ar.txt").write_text(TINY_AR, encoding="utf-8")
    (root / "2022" / "tiny-en" / "en.md").write_text(TINY_EN, encoding="utf-8")
    loose = root / "2022" / "loose"
    loose.mkdir()
    (loose / "short-1.txt").write_text(TINY_AR, encoding="utf-8")
    (loose / "short-2.txt").write_text(TINY_AR_2, encoding="utf-16")
    broken = root / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (broken / "english.txt").write_text("This is an English text and nothing else.\n", encoding="utf-8")
    _write_corpus(broken / "missing", "missing-file", "nowhere.txt", None)
    (broken / "bad-toml").mkdir()
    (broken / "bad-toml" / "meta.toml").write_text('id = "bad-toml\nar = ', encoding="utf-8")
    return root


def run_batch(*args: str) -> tuple[int, str]:
    """``bayan batch ARGS`` in this process; (exit code, stdout)."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["batch", *map(str, args)])
    return code, stdout.getvalue()


def latest(out: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}


def run_lines(out: Path, which: int = -1) -> list[dict]:
    runs = sorted((out / "_runs").glob("*.jsonl"))
    return [json.loads(line) for line in runs[which].read_text(encoding="utf-8").splitlines()]


def documents(lines: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in lines if r["type"] == "document"}


def require_same_code(*outs: Path) -> None:
    """Skip when the runs compared did not all run the same bayan code (edited meanwhile):
    the clients' run records and the workers' done-markers name the code they ran."""
    versions = set()
    for out in outs:
        versions |= {json.loads(run.read_text(encoding="utf-8").splitlines()[0])["bayan"]
                     for run in (out / "_runs").glob("*.jsonl")}
        versions |= {json.loads(marker.read_text(encoding="utf-8"))["bayan"] for marker in out.glob("*/bayan-done.json")}
    if len(versions) > 1:
        pytest.skip(f"bayan's code changed while the test ran ({', '.join(sorted(versions))})")


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every output file (not the run records) by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] != "_runs" and p.name != "manifest.jsonl"}


@pytest.fixture(scope="module")
def first_run(archive, config, tmp_path_factory):
    out = tmp_path_factory.mktemp("out-local")
    code, stdout = run_batch(archive, "-o", out, "--config", config, "--workers", "1", "--quiet")
    return code, stdout, out


# --- (a) broken documents fail alone ------------------------------------------------

def test_broken_documents_fail_alone_and_are_named(first_run):
    code, stdout, out = first_run
    assert code == 1
    records = latest(out)
    assert {i for i, r in records.items() if r["status"] == "done"} == GOOD
    for doc_id, reason in BROKEN.items():
        assert records[doc_id]["status"] == "failed", doc_id
        assert reason in records[doc_id]["error"]["message"], records[doc_id]
        assert records[doc_id]["error"]["type"] == "InputError"
        assert not (out / doc_id / "bayan-done.json").exists()
    assert "failed" in stdout and str(len(BROKEN)) in stdout  # the summary (the only stdout)
    for doc_id in GOOD:
        marker = json.loads((out / doc_id / "bayan-done.json").read_text(encoding="utf-8"))
        assert marker["key"] == records[doc_id]["key"]
        assert set(marker["files"]) == set(records[doc_id]["outputs"])
        assert f"{doc_id}.tei.xml" in marker["files"]
    assert records["bayan-2021-taliban-iskp"]["stage_seconds"]["ar.structure"] >= 0
    assert "align" not in records["short-1"]["stage_seconds"]  # no English: skipped
    lines = run_lines(out)
    workers = [r for r in lines if r["type"] == "worker"]
    assert workers and all(w["startup_seconds"] > 0 for w in workers)
    assert lines[-1]["type"] == "summary" and lines[-1]["failed"] == len(BROKEN)
    assert not list(out.rglob("*.part"))


def test_entity_tables_are_gathered(first_run):
    _, _, out = first_run
    per_document = sorted(out.glob("*/*.entities.parquet"))
    if not per_document:
        assert not (out / "entities.parquet").exists()
        return
    import pyarrow.parquet as pq
    table = pq.read_table(out / "entities.parquet")
    assert table.num_rows == sum(pq.read_table(p).num_rows for p in per_document)
    assert set(table.column("doc").to_pylist()) <= GOOD


# --- (b) a re-run skips everything and changes nothing -----------------------------

def test_rerun_skips_done_documents_and_changes_no_output(archive, config, first_run):
    _, _, out = first_run
    before = output_bytes(out)
    code, stdout = run_batch(archive, "-o", out, "--config", config, "--workers", "2", "--quiet")
    require_same_code(out)
    assert code == 1  # the broken ones fail again (not tried again: their inputs did not change)
    records = documents(run_lines(out))
    assert {i for i, r in records.items() if r["status"] == "skipped"} == GOOD
    assert {i for i, r in records.items() if r["status"] == "failed"} == set(BROKEN)
    assert not [r for r in run_lines(out) if r["type"] == "worker"]  # nothing to do, no worker
    assert output_bytes(out) == before


# --- (c) a killed run resumes where it stopped -------------------------------------

def test_killed_run_resumes_and_matches_an_uninterrupted_run(archive, config, first_run, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(archive), "-o", str(out),
                                "--config", str(config), "--workers", "1", "--quiet"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if (out / "_runs").is_dir() and any(r.get("status") == "done" for r in documents(run_lines(out)).values()):
                break
            assert process.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    done_before = {i for i, r in documents(run_lines(out)).items() if r["status"] == "done"}
    assert done_before and done_before < GOOD

    code, _ = run_batch(archive, "-o", out, "--config", config, "--workers", "1", "--quiet")
    require_same_code(out, first_run[2])
    assert code == 1
    resumed = documents(run_lines(out))
    assert {i for i, r in resumed.items() if r["status"] == "skipped"} >= done_before
    redone = {i for i, r in resumed.items() if r["status"] == "done"}
    assert redone and not redone & done_before
    assert {i for i, r in latest(out).items() if r["status"] in ("done", "skipped")} == GOOD
    assert not list(out.rglob("*.part"))
    assert output_bytes(out) == output_bytes(first_run[2])


# --- (d) Dask: the same results --------------------------------------------------

def test_dask_local_cluster_gives_the_same_results(archive, config, first_run, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    code, _ = run_batch(archive, "-o", out, "--config", config, "--executor", "dask", "--workers", "2", "--quiet")
    assert code == 1
    require_same_code(out, first_run[2])
    local, dask = documents(run_lines(first_run[2], 0)), documents(run_lines(out))
    assert {i: r["status"] for i, r in dask.items()} == {i: r["status"] for i, r in local.items()}
    for doc_id in BROKEN:
        assert dask[doc_id]["error"]["message"] == local[doc_id]["error"]["message"]
    assert output_bytes(out) == output_bytes(first_run[2])
    assert any(r["type"] == "worker" for r in run_lines(out))

    code, _ = run_batch(archive, "-o", out, "--config", config, "--executor", "dask", "--workers", "2", "--quiet")
    require_same_code(out)
    assert code == 1
    assert {i for i, r in documents(run_lines(out)).items() if r["status"] == "skipped"} == GOOD


# --- (e) time limits and crashes in a stage ----------------------------------------

def _one_stage_job(tmp_path: Path, stage_name: str, timeout: float | None) -> dict:
    from pipeline.config import load_config
    config = load_config(None, None)
    config["pipeline"]["stages"] = ["ar.structure", stage_name]
    config["stages"] = {}
    config["output"]["formats"] = ["json"]
    source = tmp_path / "doc.txt"
    source.write_text(TINY_AR, encoding="utf-8")
    key = document_key("doc", source, None, {}, config, bayan_version())
    return {"id": "doc", "ar": str(source), "en": None, "profile": None, "meta": {}, "config": config,
            "key": key, "out_dir": str(tmp_path / "out" / "doc"), "timeout": timeout, "version": bayan_version()}


@pytest.fixture
def test_stage(monkeypatch):
    """Register a stage for one test only."""
    from pipeline import registry

    def register(name: str, function):
        registry.registered_stages()
        monkeypatch.setitem(registry._REGISTRY, name, registry.StageSpec(
            name, function, ("ar.blocks",), (), registry.NoOptions, False, "a test stage"))
    return register


def test_a_stage_past_the_time_limit_is_recorded_as_a_timeout(tmp_path, test_stage):
    from pipeline.batch.worker import process_job

    def slow(bitext, options):
        time.sleep(5)
        return bitext
    test_stage("test.slow", slow)
    started = time.monotonic()
    record = process_job(_one_stage_job(tmp_path, "test.slow", timeout=0.3))
    assert time.monotonic() - started < 3
    assert record["status"] == "failed" and record["recycle"]
    assert record["error"]["type"] == "Timeout" and record["error"]["stage"] == "test.slow"
    assert "0.3 s" in record["error"]["message"] and "test.slow" in record["error"]["message"]
    assert not (tmp_path / "out" / "doc").exists()


def test_a_crash_in_a_stage_fails_the_document_with_its_stage(tmp_path, test_stage):
    from pipeline.batch.worker import process_job

    def crash(bitext, options):
        return 1 / 0
    test_stage("test.crash", crash)
    record = process_job(_one_stage_job(tmp_path, "test.crash", timeout=None))
    assert record["status"] == "failed" and not record.get("recycle")
    assert record["error"]["type"] == "ZeroDivisionError" and record["error"]["stage"] == "test.crash"
    assert "in stage test.crash" in record["error"]["message"]

    def hungry(bitext, options):
        raise MemoryError()
    test_stage("test.hungry", hungry)
    record = process_job(_one_stage_job(tmp_path, "test.hungry", timeout=None))
    assert record["error"]["type"] == "MemoryError" and record["recycle"]


# --- (f) manifests ------------------------------------------------------------------

def _manifest_rows(archive: Path) -> list[dict]:
    sample_meta = {"publisher": "مركز البيان للدراسات والتخطيط / Al-Bayan Center for Planning and Studies",
                   "date": "2021-10", "title_en": "The Taliban Can't Take on the Islamic State Alone",
                   "authors_en": "Amira Jadoon; Andrew Mines"}
    return [
        dict(id="bayan-2021-taliban-iskp", ar="2021/iskp/ar.txt", en="2021/iskp/en.html", profile="bayan-center",
             **sample_meta),
        dict(id="iskp-ar", ar="2021/iskp-ar/ar.txt", en="", profile="bayan-center"),
        dict(id="tiny-en", ar="2022/tiny-en/ar.txt", en="2022/tiny-en/en.md", profile="", date="2022-01",
             authors_en="A. Writer"),
        dict(id="", ar="2022/loose/short-1.txt", en="", profile=""),
    ]


def test_csv_and_toml_manifests_describe_the_same_documents_as_the_folders(archive, config, first_run, tmp_path):
    rows = _manifest_rows(archive)
    with open(archive / "list.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    toml_lines = []
    for row in rows:
        toml_lines.append("[[doc]]")
        for key, value in row.items():
            if value and key == "authors_en":
                toml_lines.append(f"authors_en = {json.dumps([a.strip() for a in value.split(';')], ensure_ascii=False)}")
            elif value:
                toml_lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    (archive / "list.toml").write_text("\n".join(toml_lines) + "\n", encoding="utf-8")
    try:
        from_csv, from_toml = read_manifest(archive / "list.csv"), read_manifest(archive / "list.toml")
        assert [replace(job, origin="") for job in from_csv] == [replace(job, origin="") for job in from_toml]
        assert from_csv[0].meta["authors_en"] == ["Amira Jadoon", "Andrew Mines"]
        assert from_csv[1].en is None and from_csv[3].doc_id == "short-1" and from_csv[0].ar.is_absolute()
        # The same documents as found in the folders: same keys, so everything is skipped.
        for manifest in ("list.csv", "list.toml"):
            out = tmp_path / manifest
            shutil.copytree(first_run[2], out)
            code, _ = run_batch(archive / manifest, "-o", out, "--config", config, "--quiet")
            require_same_code(out)
            assert code == 0
            assert {r["status"] for r in documents(run_lines(out)).values()} == {"skipped"}
            assert set(documents(run_lines(out))) == {"bayan-2021-taliban-iskp", "iskp-ar", "tiny-en", "short-1"}
    finally:
        (archive / "list.csv").unlink()
        (archive / "list.toml").unlink()


def test_manifest_run_with_a_time_limit(config, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(TINY_AR, encoding="utf-8")
    (tmp_path / "texts" / "a.md").write_text(TINY_EN, encoding="utf-8")
    (tmp_path / "texts" / "huge.txt").write_text(SAMPLE.joinpath("ar.txt").read_text(encoding="utf-8") * 200,
                                                 encoding="utf-8")
    (tmp_path / "docs.toml").write_text(
        '[[doc]]\nid = "with-en"\nar = "texts/a.txt"\nen = "texts/a.md"\ntitle_en = "A short report"\n'
        'authors_en = "A. Writer; B. Writer"\n\n'
        '[[doc]]\nid = "without-en"\nar = "texts/a.txt"\n\n'
        '[[doc]]\nid = "huge"\nar = "texts/huge.txt"\n\n'
        '[[doc]]\nid = "no-arabic-file"\nen = "texts/a.md"\n', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout = run_batch(tmp_path / "docs.toml", "-o", out, "--config", config,
                             "--timeout", "3", "--workers", "2", "--quiet")
    assert code == 1
    records = latest(out)
    assert records["with-en"]["status"] == records["without-en"]["status"] == "done"
    assert {"with-en.json", "with-en.tei.xml"} <= set(records["with-en"]["outputs"])
    tei = (out / "with-en" / "with-en.tei.xml").read_text(encoding="utf-8")
    assert "A short report" in tei and "B. Writer" in tei and 'xml:lang="en"' in tei
    assert records["huge"]["status"] == "failed" and records["huge"]["error"]["type"] == "Timeout"
    assert "no Arabic file" in records["no-arabic-file"]["error"]["message"]
    assert not (out / "huge").exists() or not (out / "huge" / "bayan-done.json").exists()


# --- discovery and arguments --------------------------------------------------------

def test_discovery_gives_unique_ids_and_keeps_corpus_files_together(archive, tmp_path):
    jobs = {job.doc_id: job for job in discover(archive, exclude=archive / "out")}
    assert set(jobs) == GOOD | set(BROKEN)
    assert jobs["tiny-en"].en.name == "en.md" and jobs["short-2"].en is None
    assert all(job.ar is None or job.ar.is_absolute() for job in jobs.values())
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "report.txt").write_text(TINY_AR, encoding="utf-8")
    _write_corpus(tmp_path / "c", "same", "ar.txt", None)
    _write_corpus(tmp_path / "d", "same", "ar.txt", None)
    found = [(job.doc_id, job.problem) for job in discover(tmp_path)]
    assert ("a__report", None) in found and ("b__report", None) in found  # same name: ids from the paths
    same = [problem for doc_id, problem in found if doc_id == "same"]
    assert len(same) == 2 and same.count(None) == 1 and "already used by" in str(same)


@pytest.mark.parametrize("args, message", [
    (["{missing}", "-o", "{out}"], "does not exist"),
    (["{archive}", "-o", "{out}", "--scheduler", "tcp://x:8786"], "--scheduler is for --executor dask"),
    (["{archive}", "-o", "{out}", "--workers", "0"], "--workers must be at least 1"),
    (["{bad_csv}", "-o", "{out}"], "has no 'ar' column"),
    (["{archive}", "-o", "{out}", "--config", "{missing}"], "does not exist"),
])
def test_bad_arguments_exit_2_with_a_message(args, message, archive, tmp_path, capsys):
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("id,arabic\nx,y.txt\n", encoding="utf-8")
    values = {"missing": tmp_path / "nothing-here", "out": tmp_path / "out", "archive": archive, "bad_csv": bad_csv}
    code = main(["batch", *[a.format(**values) for a in args]])
    assert code == 2
    assert message in capsys.readouterr().err


def test_aggregation_handles_missing_and_partial_entity_tables(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    from pipeline.batch.archive import aggregate_entities
    assert aggregate_entities(tmp_path, ["x", "y"]).path is None
    assert not (tmp_path / "entities.parquet").exists()
    for doc_id, table in (("x", pa.table({"doc": ["x", "x"], "surface": ["بغداد", "كابل"]})),
                          ("y", pa.table({"surface": ["Kabul"]}))):
        (tmp_path / doc_id).mkdir()
        pq.write_table(table, tmp_path / doc_id / f"{doc_id}.entities.parquet")
    (tmp_path / "z").mkdir()  # a document without a table
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "w.entities.parquet").write_bytes(b"not parquet")
    result = aggregate_entities(tmp_path, ["x", "y", "z", "w"])
    table = pq.read_table(result.path)
    assert table.num_rows == 3 and table.column("doc").to_pylist() == ["x", "x", "y"]
    assert result.problems and "w.entities.parquet" in result.problems[0]
    os.remove(tmp_path / "x" / "x.entities.parquet")
    os.remove(tmp_path / "y" / "y.entities.parquet")
    os.remove(tmp_path / "w" / "w.entities.parquet")
    assert aggregate_entities(tmp_path, ["x", "y"]).path is None and not (tmp_path / "entities.parquet").exists()
