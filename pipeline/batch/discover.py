"""Finding the work of a batch: a folder tree or a manifest file (CSV or TOML).

Every job names its files by absolute path, so that any worker on any machine that
sees the same file system can run it. A job that cannot even be described (a broken
``meta.toml``, a manifest row without an Arabic file, a duplicate id) is still a job:
it carries its ``problem`` and is recorded as failed, and the rest of the batch runs.
"""
from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..corpus import read_corpus_dir
from ..errors import InputError

#: Bare files in a folder tree taken as Arabic publications without English.
ARABIC_SUFFIXES = (".txt", ".pdf")
#: Metadata a manifest may give (what the text cannot tell); see pipeline.process.metadata_for.
META_COLUMNS = ("publisher", "date", "title_en", "authors_en", "source_url")
MANIFEST_COLUMNS = ("id", "ar", "en", "profile") + META_COLUMNS
#: Names under OUT that are the batch's own.
RESERVED_IDS = frozenset({"_runs", "manifest.jsonl", "entities.parquet"})


@dataclass(frozen=True)
class Job:
    """One publication of a batch, before any file is read.

    Attributes:
        doc_id: the document id (names OUT/<id>/ and the output files).
        ar, en: absolute paths (``en`` None for a document without English).
        origin: where the job was found (a folder, ``manifest.csv row 4``), for messages.
        problem: set when the job cannot run at all; recorded as its failure.
        fallback_id: an id derived from the relative path, used if ``doc_id`` is taken.
    """

    doc_id: str
    ar: Path | None
    en: Path | None = None
    profile: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    problem: str | None = None
    problem_type: str = "InputError"
    fallback_id: str | None = None


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def discover(source: Path, as_manifest: bool = False, exclude: Path | None = None) -> list[Job]:
    """The jobs of ``source``: a folder tree, a manifest (.csv, .toml) or one Arabic file.

    Raises:
        InputError: ``source`` does not exist, or is a manifest that cannot be read at all.
    """
    source = _absolute(source)
    if not source.exists():
        raise InputError(source, "does not exist", "give a folder of publications or a manifest file")
    if source.is_dir():
        if as_manifest:
            raise InputError(source, "is a folder, not a manifest file", "drop --manifest or give the .csv/.toml file")
        jobs = discover_tree(source, exclude)
    elif as_manifest or source.suffix.lower() in (".csv", ".toml"):
        jobs = read_manifest(source)
    elif source.suffix.lower() in ARABIC_SUFFIXES:
        jobs = [Job(source.stem, source, origin=str(source))]
    else:
        raise InputError(source, "is neither a folder, a manifest (.csv, .toml) nor an Arabic file (.txt, .pdf)")
    return resolve_ids(jobs)


def discover_tree(root: Path, exclude: Path | None = None) -> list[Job]:
    """Every folder with a ``meta.toml`` (a corpus entry; its files are its own) and every
    other ``.txt``/``.pdf`` file (an Arabic publication without English) under ``root``."""
    root = _absolute(root)
    excluded = _absolute(exclude) if exclude else None
    jobs: list[Job] = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "__"))
                               and (excluded is None or _absolute(here / d) != excluded))
        if "meta.toml" in files:
            subfolders[:] = []
            jobs.append(_corpus_job(here))
            continue
        for name in sorted(files):
            path = here / name
            if path.suffix.lower() in ARABIC_SUFFIXES and not name.startswith(".") and path.is_file():
                relative = path.relative_to(root).with_suffix("")
                jobs.append(Job(path.stem, path, origin=str(path),
                                fallback_id="__".join(relative.parts)))
    return jobs


def _corpus_job(folder: Path) -> Job:
    try:
        entry = read_corpus_dir(folder)
    except InputError as exc:
        return Job(folder.name, None, origin=str(folder), problem=str(exc))
    return Job(entry.doc_id, _absolute(entry.ar), _absolute(entry.en) if entry.en else None,
               entry.profile, dict(entry.meta), origin=str(folder / "meta.toml"))


def read_manifest(path: Path) -> list[Job]:
    """Jobs from a CSV manifest (a header row naming columns among ``id, ar, en,
    profile, publisher, date, title_en, authors_en, source_url``; ``authors_en``
    separated by ``;``) or a TOML one (``[[doc]]`` tables with the same keys).
    Relative paths are relative to the manifest's folder.

    Raises:
        InputError: the file cannot be read or parsed, or has no ``ar`` column.
    """
    path = _absolute(path)
    try:
        if path.suffix.lower() == ".toml":
            rows = _toml_rows(path)
        else:
            rows = _csv_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot be read as a manifest: {exc}") from None
    return [_manifest_job(path, where, row) for where, row in rows]


def _csv_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in reader.fieldnames or []]
        if "ar" not in columns:
            raise InputError(path, f"has no 'ar' column (columns: {', '.join(columns) or 'none'})",
                             f"a manifest needs a header row with: {', '.join(MANIFEST_COLUMNS)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            clean = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else v
                     for k, v in row.items()}
            if not any(isinstance(v, str) and v for v in clean.values()):
                continue  # a blank line
            rows.append((f"{path.name} line {number}", clean))
        return rows


def _toml_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    docs = data.get("doc")
    if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
        raise InputError(path, "has no [[doc]] tables", 'write one [[doc]] table per publication, with ar = "<file>"')
    return [(f"{path.name} [[doc]] {number}", dict(doc)) for number, doc in enumerate(docs, start=1)]


def _manifest_job(manifest: Path, where: str, row: dict[str, Any]) -> Job:
    base = manifest.parent
    ar_value = row.get("ar")
    doc_id = str(row.get("id") or "").strip()
    if not ar_value:
        return Job(doc_id or where, None, origin=where, problem=f"{where}: names no Arabic file (the 'ar' column is empty)")
    ar = _absolute(base / str(ar_value))
    en = _absolute(base / str(row["en"])) if row.get("en") else None
    meta: dict[str, Any] = {}
    for key in META_COLUMNS:
        value = row.get(key)
        if value in (None, ""):
            continue
        if key == "authors_en" and isinstance(value, str):
            value = [name.strip() for name in value.split(";") if name.strip()]
        meta[key] = value
    return Job(doc_id or ar.stem, ar, en, str(row["profile"]) if row.get("profile") else None, meta, origin=where)


def _id_problem(doc_id: str) -> str | None:
    if not doc_id or doc_id in (".", "..") or doc_id.startswith(".") or doc_id in RESERVED_IDS:
        return f'id "{doc_id}" cannot name an output folder'
    if any(c in doc_id for c in "/\\\0"):
        return f'id "{doc_id}" contains a path separator'
    return None


def resolve_ids(jobs: list[Job]) -> list[Job]:
    """Jobs with unique, usable ids, sorted by id. A bare file whose name is taken gets
    an id from its relative path; any other duplicate is a problem of the later job."""
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.doc_id] = counts.get(job.doc_id, 0) + 1
    jobs = [replace(job, doc_id=job.fallback_id) if counts[job.doc_id] > 1 and job.fallback_id else job
            for job in jobs]
    seen: dict[str, Job] = {}
    resolved = []
    for job in sorted(jobs, key=lambda j: (j.doc_id, j.problem is not None, j.origin)):
        problem = job.problem or _id_problem(job.doc_id)
        if problem is None and job.doc_id in seen:
            problem = f'id "{job.doc_id}" is already used by {seen[job.doc_id].origin}; give each publication its own id'
        if problem is None:
            seen[job.doc_id] = job
        resolved.append(replace(job, problem=problem) if problem != job.problem else job)
    return resolved
