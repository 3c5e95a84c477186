"""Configuration files in YAML: read and parsed safely, every problem one line naming the file.

Betting abstractions (`holdem.abstraction.betting_config`) and training configs
(`holdem.training.config`) both start here; each then validates its own keys and raises
`ConfigError` naming the file and the key. A path written in a config file is relative to that
file's folder (`config_path`), whatever folder the command runs in: one rule for every key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file (and the key)."""


def read_yaml(path: str | Path, needs: str = "") -> Any:
    """The parsed contents of a YAML file (``yaml.safe_load``: plain values only, no objects).

    Raises `ConfigError` for a missing, unreadable or empty file (``needs`` then says what the
    file should hold) and for invalid YAML, with the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "top level"
        problem = getattr(error, "problem", None) or error.__class__.__name__
        raise ConfigError(f"{path}: {where}: not valid YAML: {problem}") from None
    if data is None:
        raise ConfigError(f"{path}: the file is empty" + (f"; {needs}" if needs else ""))
    return data


def config_path(value: str, folder: str | Path) -> Path:
    """The file a config names: ``value`` as written (``~`` expanded) if absolute, else
    relative to ``folder``, the config file's folder; resolved to an absolute path."""
    path = Path(value).expanduser()
    return (path if path.is_absolute() else Path(folder) / path).resolve()
