"""Python version: one version, named in `.python-version`, agreed on by pyproject.toml and CI."""

from __future__ import annotations

import re
from pathlib import Path

from ..project import Project
from ._base import Check
from ._shapes import as_dict

FAMILY = "mlops-python"
MINOR_VERSION = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?:\.(\d+))?")


def minor_version(text: str) -> str | None:
    """'cpython-3.11.7' -> '3.11'; None when the text names no version."""
    match = MINOR_VERSION.search(text)
    return f"{match[1]}.{match[2]}" if match else None


class MH010(Check):
    "`.python-version` satisfies `requires-python` in `pyproject.toml`"

    family = FAMILY
    triggers = (".python-version", "pyproject.toml")
    requires = frozenset({"MH003"})
    what = (
        "the version in `.python-version` satisfies `requires-python` in `pyproject.toml` "
        "(skipped without `requires-python`)."
    )
    why = "otherwise the package refuses to install on the interpreter the project says it uses."
    fix = "change one of the two so they agree."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        requires_python = as_dict(hygiene_project.pyproject.get("project")).get("requires-python")
        if requires_python is None:
            return None
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import Version

        pinned = hygiene_project.python_version
        match = MINOR_VERSION.search(pinned)
        if not match:
            return (
                f"`.python-version` holds `{pinned}`, which names no Python version: write `3.11`."
            )
        try:
            allowed = SpecifierSet(str(requires_python))
        except InvalidSpecifier:
            return f"`requires-python = {requires_python!r}` in `pyproject.toml` is not valid."
        version = Version(match[0])
        if allowed.contains(version, prereleases=True):
            return True
        return (
            f"`.python-version` says {match[0]} but `pyproject.toml` has `requires-python = "
            f'"{requires_python}"`: make them agree.'
        )


def _values_for_key(data: object, key: str) -> list[object]:
    """Every value stored under `key` anywhere in a YAML document."""
    found = []
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                found.append(value)
            found.extend(_values_for_key(value, key))
    elif isinstance(data, list):
        for item in data:
            found.extend(_values_for_key(item, key))
    return found


def _flatten(values: list[object]) -> list[str]:
    flat = []
    for value in values:
        if isinstance(value, list):
            flat.extend(_flatten(value))
        elif isinstance(value, dict):
            flat.extend(_flatten([value.get("name", "")]))
        elif value is not None:
            flat.append(str(value))
    return flat


def ci_files(project: Project) -> list[str]:
    files = [str(path.relative_to(project.root)) for path in _workflow_paths(project.root)]
    if project.path(".gitlab-ci.yml").is_file():
        files.append(".gitlab-ci.yml")
    return files


def _workflow_paths(root: Path) -> list[Path]:
    workflows = root / ".github" / "workflows"
    if not workflows.is_dir():
        return []
    return sorted(path for path in workflows.iterdir() if path.suffix in (".yml", ".yaml"))


def _ci_python_versions(project: Project, ci_file: str, data: object) -> list[str]:
    """The Python versions a CI file pins (not those it reads from `.python-version`)."""
    if ci_file == ".gitlab-ci.yml":
        images = [v for v in _flatten(_values_for_key(data, "image")) if "python" in v]
        texts = images + _flatten(_values_for_key(data, "PYTHON_VERSION"))
    else:
        texts = _flatten(_values_for_key(data, "python-version"))
    versions = []
    for text in texts:
        if "${{" in text or "$" in text:
            # an expression: the values it takes are listed elsewhere (matrix) or not ours to judge
            continue
        version = minor_version(text)
        if version:
            versions.append(version)
    return versions


class MH011(Check):
    "CI uses the Python version of `.python-version`"

    family = FAMILY
    triggers = (".python-version", ".github/workflows/*", ".gitlab-ci.yml")
    requires = frozenset({"MH003"})
    what = (
        "the Python versions CI pins (GitHub Actions `python-version`, GitLab `image: "
        "python:X.Y` or `PYTHON_VERSION`) include the version in `.python-version` (skipped "
        "without CI files; CI that reads the file, e.g. `python-version-file: .python-version`, "
        "passes)."
    )
    why = "tests should run on the Python the project runs on."
    fix = "use the same version, or read it from `.python-version`."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        files = ci_files(hygiene_project)
        if not files:
            return None
        pinned = minor_version(hygiene_project.python_version)
        if pinned is None:
            version = hygiene_project.python_version
            return f"`.python-version` holds `{version}`, which names no Python version."
        problems = []
        for ci_file in files:
            data, error = hygiene_project.load_yaml(ci_file)
            if error:
                problems.append(error)
                continue
            versions = _ci_python_versions(hygiene_project, ci_file, data)
            if versions and pinned not in versions:
                problems.append(f"`{ci_file}` uses Python {', '.join(sorted(set(versions)))}")
        if not problems:
            return True
        return (
            f"`.python-version` says {pinned} but {'; '.join(problems)}: use the same version "
            "(GitHub Actions: `python-version-file: .python-version`)."
        )


CHECKS = [MH010, MH011]
