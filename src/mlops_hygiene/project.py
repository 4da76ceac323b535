"""The checked project: its files as git sees them, its parsed config files. Read once, shared by
every check, and only what a selected check asks for (everything here is computed on first use).

Nothing here raises on bad input: a file that does not parse is recorded as an error message for the
checks to report. Git is asked a fixed number of times whatever the size of the repository: one
`ls-files`, one `check-attr`, one `cat-file --batch` for every staged blob a check reads.
"""

from __future__ import annotations

import functools
import os
import stat
import subprocess
from pathlib import Path

from .config import Config, ConfigError, config_from_pyproject


def toml_parser():
    """tomllib (tomli on Python 3.10), imported when a TOML file is parsed: it is slow to import
    (its regular expressions), and most commits need none."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NOTEBOOK_FILTER = "nbstripout"
DEFAULT_CONFIG = Config()


class Project:
    """A plain class, not a dataclass: importing dataclasses costs `inspect`, on every commit.
    Equal when root and files are (repo-review compares its fixtures after each check)."""

    def __init__(self, root: Path, only_files: tuple[str, ...] | None = None) -> None:
        self.root = root
        # `--files`: the files of a commit, the only ones the checks of single files judge and
        # the ones that decide which checks run (None: every tracked file, every check).
        self.only_files = only_files

    def _settings(self) -> tuple:
        return (self.root, self.only_files)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Project) and self._settings() == other._settings()

    def __hash__(self) -> int:
        return hash(self._settings())

    def __repr__(self) -> str:
        return f"Project({self.root!r}, only_files={self.only_files!r})"

    @classmethod
    def load(cls, root: Path, only_files: tuple[str, ...] | None = None) -> Project:
        return cls(Path(root).resolve(), only_files)

    @functools.cached_property
    def _configuration(self) -> tuple[Config, str | None]:
        # No table, no settings: the defaults, without parsing TOML (slow to import, and the
        # hook runs on every commit).
        if "mlops-hygiene" not in (self.read_text("pyproject.toml") or ""):
            return DEFAULT_CONFIG, None
        if self.pyproject_error:
            return DEFAULT_CONFIG, self.pyproject_error
        try:
            return config_from_pyproject(self.pyproject), None
        except ConfigError as error:
            return DEFAULT_CONFIG, f"pyproject.toml: {error}"

    @property
    def config(self) -> Config:
        """`[tool.mlops-hygiene]` of pyproject.toml; the defaults when it is missing or bad."""
        return self._configuration[0]

    @property
    def config_error(self) -> str | None:
        """Why the configuration fell back to the defaults (its table is bad)."""
        return self._configuration[1]

    # --- git ----------------------------------------------------------------------------------
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
    def tracked_paths(self) -> list[str]:
        """Paths in git's index (committed or staged), in git's order; nothing is read from disk."""
        if not self.is_git_repo:
            return []
        result = self.git("ls-files", "-z", "--cached")
        # dict.fromkeys: a conflicted file is listed once per stage
        return [path for path in dict.fromkeys(result.stdout.split("\0")) if path]

    def _lstat(self, relative: str) -> os.stat_result | None:
        cache = self._stats
        if relative not in cache:
            try:
                cache[relative] = os.lstat(os.path.join(self.root, relative))
            except OSError:
                cache[relative] = None
        return cache[relative]

    @functools.cached_property
    def _stats(self) -> dict[str, os.stat_result | None]:
        return {}

    @property
    def tracked_files(self) -> list[str]:
        """Files in git's index: committed or staged."""
        return self.tracked_paths

    @functools.cached_property
    def scan_files(self) -> list[str]:
        """The files the checks of single files judge: the tracked files, or only the given ones
        (`--files`: the pre-commit hook passes the files of the commit)."""
        if self.only_files is None:
            return self.tracked_paths
        if not self.is_git_repo:
            return []
        return [path for path in dict.fromkeys(self.only_files) if self._lstat(path) is not None]

    @functools.cached_property
    def _index_sizes(self) -> dict[str, int]:
        """{path: size} as git's index recorded it when the file was last staged or refreshed:
        one `git ls-files --debug`, no `stat` per file."""
        if not self.is_git_repo:
            return {}
        pieces = self.git("ls-files", "-z", "--cached", "--debug").stdout.split("\0")
        # pieces: path, then "<stat lines of the previous path>\n<next path>", ..., "<stat lines>"
        sizes, path = {}, pieces[0]
        for piece in pieces[1:]:
            stats, _, next_path = piece.rpartition("\n")
            start = stats.rfind("size: ") + 6
            sizes[path] = int(stats[start : stats.index("\t", start)])
            path = next_path
        return sizes

    def tracked_size(self, relative: str) -> int | None:
        """Size of a tracked file: the working file's when only some files are judged, else the
        size git's index recorded."""
        if self.only_files is not None:
            info = self._lstat(relative)
            return info.st_size if info is not None and stat.S_ISREG(info.st_mode) else None
        return self._index_sizes.get(relative)

    def ignored(self, paths: list[str]) -> set[str]:
        """The paths (existing or not) that .gitignore rules ignore."""
        result = self.git("check-ignore", "--no-index", "--stdin", stdin="\n".join(paths) + "\n")
        return {line for line in result.stdout.splitlines() if line}

    def attribute(self, name: str, paths: list[str]) -> dict[str, str]:
        """{path: value} of a git attribute (.gitattributes, .git/info/attributes), for the paths
        where it is set to a value."""
        if not paths or not self.is_git_repo:
            return {}
        result = self.git("check-attr", "-z", name, "--stdin", stdin="\0".join(paths) + "\0")
        parts = result.stdout.split("\0")
        return {
            parts[i]: parts[i + 2]
            for i in range(0, len(parts) - 2, 3)
            if parts[i + 2] not in ("unspecified", "unset", "set")
        }

    @functools.cached_property
    def notebook_filter_installed(self) -> bool:
        """The nbstripout git filter is installed (`nbstripout --install`): `git add` cleans the
        notebooks the attributes send through it."""
        if not self.is_git_repo:
            return False
        return bool(self.git("config", "--get", f"filter.{NOTEBOOK_FILTER}.clean").stdout.strip())

    def staged_texts(self, paths: list[str]) -> dict[str, str | None]:
        """{path: staged content} in one `git cat-file --batch`; None for a blob that is not
        UTF-8 text or not in the index."""
        if not paths:
            return {}
        requests = "".join(f":{path}\n" for path in paths).encode()
        output = subprocess.run(
            ["git", "-C", str(self.root), "cat-file", "--batch"],
            input=requests,
            capture_output=True,
            check=False,
        ).stdout
        texts, position = {}, 0
        for path in paths:
            end = output.index(b"\n", position)
            header = output[position:end].split()
            position = end + 1
            if len(header) != 3 or header[1] != b"blob":
                texts[path] = None  # "<name> missing"
                continue
            size = int(header[2])
            blob = output[position : position + size]
            position += size + 1
            try:
                texts[path] = blob.decode("utf-8")
            except UnicodeDecodeError:
                texts[path] = None
        return texts

    # --- files --------------------------------------------------------------------------------
    def path(self, relative: str) -> Path:
        return self.root / relative

    def exists(self, relative: str) -> bool:
        return os.path.exists(os.path.join(self.root, relative))

    def is_file(self, relative: str) -> bool:
        info = self._lstat(relative)
        if info is not None and stat.S_ISREG(info.st_mode):
            return True
        return info is not None and os.path.isfile(os.path.join(self.root, relative))

    def is_dir(self, relative: str) -> bool:
        return os.path.isdir(os.path.join(self.root, relative))

    def read_text(self, relative: str) -> str | None:
        try:
            with open(os.path.join(self.root, relative), "rb") as handle:
                return handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def read_bytes(self, relative: str) -> bytes | None:
        try:
            with open(os.path.join(self.root, relative), "rb") as handle:
                return handle.read()
        except (OSError, ValueError):
            return None

    @functools.cached_property
    def _memo(self) -> dict[str, Any]:
        return {}

    def memo(self, key: str, compute):
        """compute(self), once per project: for results several checks share."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

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
        import yaml  # only when a check reads YAML: it is a slow import

        if not self.is_file(relative):
            return None, None
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when there
        try:
            with open(os.path.join(self.root, relative), encoding="utf-8") as handle:
                return yaml.load(handle.read(), Loader=loader), None
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(error, "problem", None) or str(error)
            return None, f"{relative}: cannot parse: {where}{' '.join(str(reason).split())}"

    def load_toml(self, relative: str) -> tuple[dict, str | None]:
        """Like load_yaml, for TOML files."""
        text = self.read_text(relative)
        if text is None:
            return {}, None
        tomllib = toml_parser()
        try:
            return tomllib.loads(text), None
        except tomllib.TOMLDecodeError as error:
            return {}, f"{relative}: cannot parse: {error}"

    @functools.cached_property
    def _pyproject(self) -> tuple[dict, str | None]:
        if not self.is_file("pyproject.toml"):
            return {}, None
        text = self.read_text("pyproject.toml")
        if text is None:
            return {}, "pyproject.toml: cannot parse: not UTF-8 text"
        tomllib = toml_parser()
        try:
            return tomllib.loads(text), None
        except tomllib.TOMLDecodeError as error:
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
