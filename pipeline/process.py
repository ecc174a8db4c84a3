"""Processing one publication: read both sides, run the configured stages."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import load_config
from .corpus import CorpusEntry
from .document import Bitext, Metadata
from .readers import read_arabic, read_english
from .readers.english import HtmlOptions
from .registry import Pipeline, build_pipeline, make_options, StageSpec


def html_options(config: dict[str, Any]) -> HtmlOptions:
    """The HTML reader's options from ``[readers.html]``."""
    problems: list[str] = []
    spec = StageSpec("readers.html", lambda b, o: b, (), (), HtmlOptions, False, "")
    options = make_options(spec, config.get("readers", {}).get("html", {}), problems)
    if problems:
        from .errors import ConfigError
        raise ConfigError(problems)
    return options


def metadata_for(entry: CorpusEntry) -> Metadata:
    """Metadata given with the corpus entry (what the text itself cannot tell)."""
    given = entry.meta
    meta = Metadata(doc_id=entry.doc_id, publisher=given.get("publisher"), date=given.get("date"),
                    source_url=given.get("source_url"))
    if given.get("title_en"):
        meta.title["en"] = given["title_en"]
    if given.get("authors_en"):
        meta.authors["en"] = list(given["authors_en"])
    return meta


def read_bitext(entry: CorpusEntry, config: dict[str, Any]) -> Bitext:
    """Both sides of a corpus entry, read (no stage run yet)."""
    arabic = read_arabic(entry.ar)
    english = read_english(entry.en, html_options(config)) if entry.en else None
    bitext = Bitext(arabic, english, metadata_for(entry))
    if english is not None:
        source = english.source
        bitext.meta.title.setdefault("en", source.get("title") or "")
        if source.get("authors"):
            bitext.meta.authors.setdefault("en", source["authors"])
        bitext.meta.source_url = bitext.meta.source_url or source.get("url")
        bitext.meta.date = bitext.meta.date or source.get("date")
    return bitext


def process_entry(entry: CorpusEntry, user_config: Path | None = None,
                  pipeline: Pipeline | None = None, config: dict | None = None) -> Bitext:
    """Read and process one publication with its profile's configuration."""
    config = config or load_config(user_config, entry.profile)
    pipeline = pipeline or build_pipeline(config)
    return pipeline(read_bitext(entry, config))


def entry_for_files(ar: Path, en: Path | None, profile: str | None = None) -> CorpusEntry:
    """A corpus entry for two files given on the command line."""
    return CorpusEntry(doc_id=ar.stem, ar=ar, en=en, profile=profile)
