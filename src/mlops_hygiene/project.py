"""The checked project: its files as git sees them, its parsed config files. Read once, shared by
every check.

Nothing here raises on bad input: a file that does not parse is recorded as an error message for the
checks to report.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from .config import Config, ConfigError, config_from_pyproject

SafeLoader = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # the C loader when libyaml is there: faster

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@dataclasses.dataclass(frozen=True)
class Project:
    root: Path
    config: Config = Config()
    # Why the configuration fell back to the defaults (pyproject.toml or its [tool.mlops-hygiene]
    # table is bad).
    config_error: str | None = None

    @classmethod
    def load(cls, root: Path) -> Project:
        project = cls(Path(root).resolve())
        if project.pyproject_error:
            return cls(project.root, Config(), project.pyproject_error)
        try:
            return cls(project.root, config_from_pyproject(project.pyproject))
        except ConfigError as error:
            return cls(project.root, Config(), f"pyproject.toml: {error}")

    # --- git --------------------------------------------------------------------------------------
    # ---------
    def git(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )

    @functools.cached_property
    def is_git_repo(self) -> bool:
        try:
            result = self.git("rev-parse", "--is-inside-work-tree")
        except OSError:
            return False
        return result.returncode == 0 and result.stdout.strip() == "true"

    @functools.cached_property
    def tracked_files(self) -> list[str]:
        """Files in git's index (committed or staged) that exist in the working tree."""
        if not self.is_git_repo:
            return []
        result = self.git("ls-files", "-z", "--cached")
        paths = [path for path in result.stdout.split("\0") if path]
        return sorted({path for path in paths if os.path.lexists(self.root / path)})

    def ignored(self, paths: list[str]) -> set[str]:
        """The paths (existing or not) that .gitignore rules ignore."""
        result = self.git("check-ignore", "--no-index", "--stdin", stdin="\n".join(paths) + "\n")
        return {line for line in result.stdout.splitlines() if line}

    # --- files
    # ---------------------------------------------------------------------------------------------
    def path(self, relative: str) -> Path:
        return self.root / relative

    def exists(self, relative: str) -> bool:
        return (self.root / relative).exists()

    def read_text(self, relative: str) -> str | None:
        try:
            return (self.root / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    @functools.cached_property
    def _yaml_cache(self) -> dict[str, tuple[Any, str | None]]:
        return {}

    def load_yaml(self, relative: str) -> tuple[Any, str | None]:
        """(data, None) or (None, "file: why it does not parse"); (None, None) when the file is
        missing."""
        if relative not in self._yaml_cache:
            self._yaml_cache[relative] = self._parse_yaml(relative)
        return self._yaml_cache[relative]

    def _parse_yaml(self, relative: str) -> tuple[Any, str | None]:
        path = self.root / relative
        if not path.is_file():
            return None, None
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader), None
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(error, "problem", None) or str(error)
            return None, f"{relative}: cannot parse: {where}{' '.join(str(reason).split())}"

    @functools.cached_property
    def _pyproject(self) -> tuple[dict, str | None]:
        path = self.root / "pyproject.toml"
        if not path.is_file():
            return {}, None
        try:
            return tomllib.loads(path.read_text(encoding="utf-8")), None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            return {}, f"pyproject.toml: cannot parse: {error}"

    @property
    def pyproject(self) -> dict:
        """The parsed pyproject.toml; {} when missing or unparseable."""
        return self._pyproject[0]

    @property
    def pyproject_error(self) -> str | None:
        return self._pyproject[1]

    @functools.cached_property
    def python_version(self) -> str | None:
        """The first non-comment line of .python-version, or None."""
        text = self.read_text(".python-version")
        if text is None:
            return None
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                return line
        return None
