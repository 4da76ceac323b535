"""Lock files: what is installed is what is declared.

Two kinds of lock are compared with the declarations they were made from:
- `uv.lock` records, for the project itself, the requirements it was resolved from
  (`[package.metadata] requires-dist` and `requires-dev`). They must equal `pyproject.toml`'s
  `[project] dependencies`, `optional-dependencies` and `[dependency-groups]` (name, extras and
  version specifier of each; markers are not compared). That is what `uv lock --check` finds stale.
- a pip-style lock (`requirements.lock` next to `requirements.txt`, or `requirements.txt` next to
  pip-tools' `requirements.in`) must pin every requirement of its input, at a version the input
  allows.
"""

from __future__ import annotations

import posixpath
import re

from ..project import Project
from ._base import Check, listing
from ._shapes import as_dict, as_list
from .requirements import (
    FAMILY,
    REQUIREMENT_TRIGGERS,
    dependency_groups,
    included_files,
    requirement_files,
    requirement_lines,
)

# A requirement uv locks from a path, a URL or git: uv records no version specifier for it.
UNVERSIONED_SOURCES = ("directory", "path", "editable", "git", "url")


REQUIREMENT_PARTS = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?P<extras>[^\]]*)\])?\s*"
    r"\(?(?P<specifier>(?:===|==|~=|!=|<=|>=|<|>)[^;@)]*)?\)?\s*(?:;.*)?$"
)


def _specifier(text: str) -> str:
    """A version specifier written one way: no spaces, clauses sorted (as `packaging` prints
    one)."""
    return ",".join(sorted(part.replace(" ", "") for part in text.split(",") if part.strip()))


def _key(name: str, extras, specifier: str | None) -> tuple:
    canonical = re.sub(r"[-_.]+", "-", name).lower()
    extras = tuple(sorted(re.sub(r"[-_.]+", "-", e.strip()).lower() for e in extras if e.strip()))
    return canonical, extras, None if specifier is None else _specifier(specifier)


def _requirement_key(text: str) -> tuple | None:
    """(name, extras, specifier) of a requirement string; None when it is not valid."""
    match = REQUIREMENT_PARTS.match(text.strip())
    if match:
        return _key(match["name"], (match["extras"] or "").split(","), match["specifier"] or "")
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    return _key(requirement.name, requirement.extras, str(requirement.specifier))


def _declared(pyproject: dict) -> dict[str, set[tuple]]:
    """{group: {(name, extras, specifier)}}: "" for dependencies, "extra:X", "group:X"."""
    project = as_dict(pyproject.get("project"))
    sources = {"": as_list(project.get("dependencies"))}
    for extra, items in as_dict(project.get("optional-dependencies")).items():
        sources[f"extra:{extra}"] = as_list(items)
    for group, items in dependency_groups(pyproject).items():
        sources[f"group:{group}"] = items
    declared = {}
    for group, items in sources.items():
        keys = {_requirement_key(str(item)) for item in items}
        declared[group] = {key for key in keys if key is not None}
    return declared


def _locked_entry(entry: dict) -> tuple:
    specifier = entry.get("specifier")
    if specifier is None and any(key in entry for key in UNVERSIONED_SOURCES):
        return _key(str(entry.get("name")), as_list(entry.get("extras")), None)  # name only
    return _key(str(entry.get("name")), as_list(entry.get("extras")), str(specifier or ""))


def _extra_of(entry: dict) -> str | None:
    marker = str(entry.get("marker", ""))
    for clause in marker.split(" and "):
        clause = clause.strip().strip("()")
        if clause.startswith("extra == "):
            return clause.split("==", 1)[1].strip().strip("'\"")
    return None


def _locked(lock: dict) -> dict[str, set[tuple]] | None:
    """The same shape as `_declared`, from the project's own package in uv.lock; None when the
    lock has no package for the project."""
    root = next(
        (
            package
            for package in as_list(lock.get("package"))
            if isinstance(package, dict)
            and any(
                as_dict(package.get("source")).get(kind) == "."
                for kind in ("virtual", "editable", "directory")
            )
        ),
        None,
    )
    if root is None:
        return None
    metadata = as_dict(root.get("metadata"))
    locked: dict[str, set[tuple]] = {"": set()}
    for entry in as_list(metadata.get("requires-dist")):
        if isinstance(entry, dict):
            extra = _extra_of(entry)
            locked.setdefault(f"extra:{extra}" if extra else "", set()).add(_locked_entry(entry))
    for group, entries in as_dict(metadata.get("requires-dev")).items():
        locked[f"group:{group}"] = {
            _locked_entry(e) for e in as_list(entries) if isinstance(e, dict)
        }
    return locked


def _matches(declared: tuple, locked: tuple) -> bool:
    return declared[:2] == locked[:2] and (locked[2] is None or declared[2] == locked[2])


def _differences(declared: dict[str, set[tuple]], locked: dict[str, set[tuple]]) -> list[str]:
    problems = []
    for group in sorted(set(declared) | set(locked)):
        wanted, recorded = declared.get(group, set()), locked.get(group, set())
        where = group.replace("extra:", "extra ").replace("group:", "group ") or "dependencies"
        for item in sorted(wanted, key=str):
            if not any(_matches(item, entry) for entry in recorded):
                problems.append(f"{where}: {item[0]}{item[2] or ''} not in the lock")
        for entry in sorted(recorded, key=str):
            if not any(_matches(item, entry) for item in wanted):
                problems.append(f"{where}: {entry[0]}{entry[2] or ''} no longer declared")
    return problems


def uv_lock_problems(project: Project) -> list[str]:
    if not project.is_file("uv.lock") or "project" not in project.pyproject:
        return []
    lock, error = project.load_toml("uv.lock")
    if error:
        return [error]
    locked = _locked(lock)
    if locked is None:
        return []  # a workspace without a root package: nothing of ours to compare
    problems = _differences(_declared(project.pyproject), locked)
    return [f"uv.lock: {problem}" for problem in problems]


def _input_requirements(project: Project, path: str, seen: set[str]) -> list[str]:
    """The requirements of a requirements file, with the files it includes (`-r`)."""
    seen.add(path)
    text = project.read_text(path) or ""
    found = requirement_lines(text)
    for included in included_files(text, path):
        if included not in seen:
            found += _input_requirements(project, included, seen)
    return found


def _pins(text: str) -> dict[str, str]:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in requirement_lines(text):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        for specifier in requirement.specifier:
            if specifier.operator in ("==", "==="):
                pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def lock_pairs(project: Project) -> list[tuple[str, str]]:
    """(input, lock): `X.txt` with `X.lock` beside it; pip-tools' `X.in` with `X.txt`."""
    pairs = []
    for path in requirement_files(project):
        stem = path[: -len(".txt")]
        if project.is_file(stem + ".lock"):
            pairs.append((path, stem + ".lock"))
        if project.is_file(stem + ".in"):
            pairs.append((stem + ".in", path))
    return pairs


def requirements_lock_problems(project: Project) -> list[str]:
    pairs = lock_pairs(project)
    if not pairs:
        return []
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    problems = []
    for source, lock in pairs:
        pins = _pins(project.read_text(lock) or "")
        for line in _input_requirements(project, source, set()):
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue  # MH020 reports it
            pinned = pins.get(canonicalize_name(requirement.name))
            if pinned is None:
                if requirement.marker is None and requirement.url is None:
                    problems.append(
                        f"{lock}: {requirement.name} (from {posixpath.basename(source)}) is missing"
                    )
            elif not requirement.specifier.contains(pinned, prereleases=True):
                problems.append(
                    f"{lock}: {requirement.name}=={pinned} but {source} wants "
                    f"{requirement.specifier}"
                )
    return problems


class MH022(Check):
    "Lock files match the declared dependencies (`uv.lock`, `requirements.lock`)"

    family = FAMILY
    triggers = (*REQUIREMENT_TRIGGERS, "uv.lock")
    requires = frozenset()
    what = (
        "lock files match what is declared (skipped without a lock). `uv.lock`: the "
        "requirements uv recorded for the project itself (`requires-dist`, `requires-dev`) "
        "equal `pyproject.toml`'s dependencies, optional dependencies and dependency groups "
        "(name, extras and version specifier; markers are not compared; path and git sources by "
        "name). pip-style: `requirements.lock` beside `requirements.txt` (also `-dev`, and "
        "pip-tools' `requirements.in` beside `requirements.txt`) pins every requirement of its "
        "input, `-r` includes followed, at a version the input allows."
    )
    why = (
        "a lock older than the declarations installs something else than what the project says "
        "it needs, and the next `uv sync` or `pip install` silently changes the environment."
    )
    fix = (
        "`uv lock` (or compile the pip lock again, e.g. `uv pip compile requirements.txt "
        "--generate-hashes -o requirements.lock`) and commit the lock."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        uv_problems = uv_lock_problems(hygiene_project)
        pip_problems = requirements_lock_problems(hygiene_project)
        if not (hygiene_project.is_file("uv.lock") or lock_pairs(hygiene_project)):
            return None
        fixes = []
        if uv_problems:
            fixes.append("run `uv lock` and commit `uv.lock`")
        if pip_problems:
            fixes.append(
                "compile the lock again from its input (e.g. `uv pip compile requirements.txt "
                "--generate-hashes -o requirements.lock`) and commit it"
            )
        if not fixes:
            return True
        return (
            f"Lock file(s) out of date with the declared dependencies: "
            f"{listing(uv_problems + pip_problems)}. To fix: {'; '.join(fixes)}."
        )


CHECKS = [MH022]
