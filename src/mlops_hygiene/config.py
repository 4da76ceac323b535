"""The `[tool.mlops-hygiene]` table of the checked project's pyproject.toml."""

from __future__ import annotations

import re
from collections import namedtuple

DEFAULT_NOTEBOOK_NAME_PATTERN = r"^\d{2}-[a-z]+-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$"


# A named tuple, not a dataclass: importing dataclasses costs `inspect`, on every commit.
class Config(
    namedtuple(
        "Config",
        [
            "select",  # tuple[str, ...]
            "ignore",  # tuple[str, ...]
            "max_file_size_kb",  # int
            "notebook_name_pattern",  # str
            "required_folders",  # tuple[str, ...]
            "data_folders",  # tuple[str, ...]
        ],
        defaults=(
            (),
            (),
            1024,
            DEFAULT_NOTEBOOK_NAME_PATTERN,
            ("data", "models", "notebooks"),
            ("data",),
        ),
    )
):
    __slots__ = ()


class ConfigError(ValueError):
    """The [tool.mlops-hygiene] table has a wrong key or value."""


def _string_list(table: dict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"[tool.mlops-hygiene] {key} must be a list of strings, got {value!r}")
    return tuple(value)


def config_from_pyproject(pyproject: dict) -> Config:
    """Build the configuration; raise ConfigError with a one-line message on a bad value."""
    tool = pyproject.get("tool", {})
    table = tool.get("mlops-hygiene", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError("[tool.mlops-hygiene] must be a table")
    known = {field.replace("_", "-") for field in Config._fields}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"[tool.mlops-hygiene] has unknown key(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    size = table.get("max-file-size-kb", Config().max_file_size_kb)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(
            f"[tool.mlops-hygiene] max-file-size-kb must be a positive integer, got {size!r}"
        )
    pattern = table.get("notebook-name-pattern", DEFAULT_NOTEBOOK_NAME_PATTERN)
    try:
        re.compile(pattern)
    except (re.error, TypeError) as error:
        raise ConfigError(
            f"[tool.mlops-hygiene] notebook-name-pattern is not a valid regular expression: {error}"
        ) from None
    defaults = Config()
    return Config(
        select=_string_list(table, "select", defaults.select),
        ignore=_string_list(table, "ignore", defaults.ignore),
        max_file_size_kb=size,
        notebook_name_pattern=pattern,
        required_folders=_string_list(table, "required-folders", defaults.required_folders),
        data_folders=_string_list(table, "data-folders", defaults.data_folders),
    )
