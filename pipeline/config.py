"""Configuration: packaged defaults, then a publisher profile, then the user's file.

Each layer is a TOML file; a later layer overrides only the keys it sets (tables are
merged, other values replaced). Files live in ``configs/``: ``default.toml`` and one
profile per publisher layout (``bayan-center.toml`` …).
"""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError

_PACKAGED = Path(__file__).resolve().parent / "configs"
_REPOSITORY = Path(__file__).resolve().parent.parent / "configs"


def configs_dir() -> Path:
    """Where the shipped configuration files are (in the wheel or the source tree)."""
    return _PACKAGED if _PACKAGED.is_dir() else _REPOSITORY


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it, tables merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file, or a ConfigError naming the file and the problem."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"{path} does not exist"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path} is not valid TOML: {exc}"]) from None


def available_profiles() -> list[str]:
    return sorted(p.stem for p in configs_dir().glob("*.toml") if p.stem != "default")


def load_config(user_file: Path | None = None, profile: str | None = None) -> dict[str, Any]:
    """The merged configuration.

    Args:
        user_file: the user's TOML file (``--config``); may itself name a ``profile``.
        profile: a shipped profile name (``bayan-center``), e.g. from a corpus meta.toml.
    """
    config = read_toml(configs_dir() / "default.toml")
    user = read_toml(user_file) if user_file else {}
    profile = user.get("profile", profile)
    if profile:
        path = configs_dir() / f"{profile}.toml"
        if not path.is_file():
            raise ConfigError([f'unknown profile "{profile}" (shipped: {", ".join(available_profiles())})'])
        config = merge(config, read_toml(path))
    config = merge(config, {k: v for k, v in user.items() if k != "profile"})
    config["profile"] = profile
    return config
