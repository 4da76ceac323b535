"""Requirements: reproducible installs (every dependency pinned or bounded, locks that match what
is declared) with dev tools kept apart."""

from __future__ import annotations

import posixpath
import re

from ..project import Project
from ._base import Check, listing
from ._shapes import as_dict, as_list

TYPE_CHECKING = False
if TYPE_CHECKING:  # packaging is imported lazily: it is slow to import
    from packaging.requirements import Requirement

FAMILY = "mlops-requirements"
DEV_FILES = (
    "requirements-dev.txt",
    "requirements_dev.txt",
    "dev-requirements.txt",
    "requirements/dev.txt",
)
DEV_EXTRAS = {"dev", "develop", "development", "test", "tests", "testing", "lint", "docs"}
# Tools only developers and CI need; in the runtime requirements they bloat every deployment.
DEV_ONLY_TOOLS = {
    "pytest",
    "pytest-cov",
    "ruff",
    "black",
    "flake8",
    "isort",
    "mypy",
    "pylint",
    "pre-commit",
    "nbstripout",
    "mlops-hygiene",
    "coverage",
    "tox",
    "nox",
}
# Other ways to declare dependencies than requirements.txt: a conda environment, a Pipfile, lock
# files of the usual tools.
OTHER_DECLARATIONS = (
    "environment.yml",
    "environment.yaml",
    "Pipfile",
    "setup.py",
    "setup.cfg",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "Pipfile.lock",
    "conda-lock.yml",
)
# Which files the checks of requirements are about (see `Check.triggers`): requirements files
# and their locks and pip-tools inputs, anywhere.
REQUIREMENT_TRIGGERS = ("*requirements*", "pyproject.toml")
REQUIREMENTS_NAME = re.compile(r"(^|[-_.])requirements([-_.][^/]*)?\.(txt|lock)$")


def _is_requirements_file(path: str, suffix: str) -> bool:
    """`requirements*.txt`, `dev-requirements.txt`, `requirements/*.txt` (suffix `.txt`), and the
    same names with `.lock`: pip-style requirement lists, anywhere in the project."""
    if not path.endswith(suffix):
        return False
    folder, name = posixpath.split(path)
    return bool(REQUIREMENTS_NAME.search(name)) or posixpath.basename(folder) == "requirements"


def _candidate_paths(project: Project) -> list[str]:
    if project.is_git_repo:
        return [path for path in project.tracked_paths if path.endswith((".txt", ".lock", ".in"))]
    # Without git: the root and `requirements/`, as far as it can be seen.
    root = [path.name for path in sorted(project.root.glob("*")) if path.is_file()]
    nested = sorted(project.root.glob("requirements/*"))
    return root + [f"requirements/{path.name}" for path in nested if path.is_file()]


def _requirement_paths(project: Project) -> tuple[list[str], list[str]]:
    candidates = _candidate_paths(project)
    return (
        [path for path in candidates if _is_requirements_file(path, ".txt")],
        [path for path in candidates if _is_requirements_file(path, ".lock")],
    )


def requirement_files(project: Project) -> list[str]:
    """Every requirements input file (`.txt`), tracked anywhere in the project."""
    return project.memo("requirement_paths", _requirement_paths)[0]


def requirement_locks(project: Project) -> list[str]:
    """Every pip-style lock file (`requirements.lock`, `requirements-dev.lock`, ...)."""
    return project.memo("requirement_paths", _requirement_paths)[1]


def requirement_lines(text: str) -> list[str]:
    """The requirement specifiers of a requirements file: no comments, options, includes, URLs or
    paths."""
    text = re.sub(r"\\\r?\n", " ", text)
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        line = re.split(r"\s+-", line)[0].strip()  # per-line options such as --hash
        if not line or line.startswith(("-", ".", "/", "file:")) or "://" in line:
            continue
        lines.append(line)
    return lines


def included_files(text: str, path: str) -> list[str]:
    """The files a requirements file includes with `-r FILE` / `--requirement FILE`."""
    folder = posixpath.dirname(path)
    found = re.findall(r"^\s*(?:-r|--requirement)(?:\s+|=)(\S+)", text, re.MULTILINE)
    return [posixpath.normpath(posixpath.join(folder, name)) for name in found]


def _project_table(pyproject: dict) -> dict:
    return as_dict(pyproject.get("project"))


def dependency_groups(pyproject: dict) -> dict[str, list[str]]:
    """`[dependency-groups]` with `{include-group = ...}` entries expanded (PEP 735), plus uv's
    older `[tool.uv] dev-dependencies`, which uv locks as the group `dev`."""
    groups = as_dict(pyproject.get("dependency-groups"))

    def expand(name: str, seen: frozenset) -> list[str]:
        found = []
        for item in as_list(groups.get(name)):
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict) and item.get("include-group") not in seen:
                included = str(item.get("include-group"))
                found += expand(included, seen | {included})
        return found

    expanded = {str(name): expand(name, frozenset({name})) for name in groups}
    legacy = as_dict(as_dict(pyproject.get("tool")).get("uv")).get("dev-dependencies")
    if legacy:
        expanded["dev"] = expanded.get("dev", []) + [
            i for i in as_list(legacy) if isinstance(i, str)
        ]
    return expanded


def pyproject_requirements(pyproject: dict) -> list[str]:
    project = _project_table(pyproject)
    found = list(as_list(project.get("dependencies")))
    for group in as_dict(project.get("optional-dependencies")).values():
        found.extend(as_list(group))
    for group in dependency_groups(pyproject).values():
        found.extend(group)
    return [item for item in found if isinstance(item, str)]


# The usual requirement lines, read without `packaging` (a slow import, paid on every commit):
# a name, optional extras, then either nothing (unbounded) or a version operator (bounded).
SIMPLE_REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*"
    r"(?P<rest>(?:===|==|~=|!=|<=|>=|<|>)[^;@]*)?(?:;[^@]*)?$"
)


def _parse(text: str) -> Requirement | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def requirement_name(text: str) -> str | None:
    """The canonical name of a requirement line; None when it is not a valid requirement."""
    match = SIMPLE_REQUIREMENT.match(text.strip())
    if match:
        name = match["name"]
    else:
        requirement = _parse(text)
        if requirement is None:
            return None
        name = requirement.name
    return re.sub(r"[-_.]+", "-", name).lower()


def _unbounded(specifiers: list[str]) -> list[str]:
    problems = []
    for text in specifiers:
        match = SIMPLE_REQUIREMENT.match(text.strip())
        if match:
            if not match["rest"]:
                problems.append(text)
            continue
        requirement = _parse(text)
        if requirement is None:
            problems.append(f"{text} (not a valid requirement)")
        elif not requirement.specifier and not requirement.url:
            problems.append(text)
    return problems


def _unpinned(specifiers: list[str]) -> list[str]:
    """Lock entries that are not exact pins (`==1.2.3`, `===1.2.3`)."""
    problems = []
    for text in specifiers:
        requirement = _parse(text)
        if requirement is None:
            problems.append(f"{text} (not a valid requirement)")
            continue
        exact = [s for s in requirement.specifier if s.operator in ("==", "===")]
        if not requirement.url and not (exact and "*" not in exact[0].version):
            problems.append(text)
    return problems


class MH020(Check):
    "Every requirement is pinned (`==`) or bounded (`>=`, `<`, `~=`), and every lock pins"

    family = FAMILY
    triggers = REQUIREMENT_TRIGGERS
    requires = frozenset()
    what = (
        "every requirement has a version: in every tracked `requirements*.txt` / "
        "`requirements/*.txt` (anywhere in the project, not only at the root) and in "
        "`pyproject.toml` (dependencies, optional dependencies, dependency groups) it is pinned "
        "(`==`) or bounded (`>=`, `<`, `~=`); in pip-style lock files (`requirements.lock`, "
        "`requirements-dev.lock`) every line is an exact pin."
    )
    why = (
        "a bare name installs whatever is newest that day, so yesterday's model does not "
        "retrain today; a lock with a range locks nothing."
    )
    fix = (
        "pin it (`pandas==2.2.3`) or bound it (`pandas>=2.2,<3`); compile locks with "
        "`--generate-hashes` from their input."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        problems = []
        for name in requirement_files(hygiene_project):
            text = hygiene_project.read_text(name) or ""
            problems += [f"{name}: {item}" for item in _unbounded(requirement_lines(text))]
        for name in requirement_locks(hygiene_project):
            text = hygiene_project.read_text(name) or ""
            problems += [
                f"{name}: {item} (a lock pins `==`)" for item in _unpinned(requirement_lines(text))
            ]
        pyproject = pyproject_requirements(hygiene_project.pyproject)
        problems += [f"pyproject.toml: {item}" for item in _unbounded(pyproject)]
        if not problems:
            return True
        return (
            f"Unpinned requirement(s) {listing(problems)}: pin each (`pandas==2.2.3`) or bound it "
            "(`pandas>=2.2,<3`) so installs are reproducible."
        )


def declares_dependencies(project: Project) -> bool:
    """requirements files, `[project] dependencies` (even empty: the project says it has none),
    Poetry's table, or another tool's declaration or lock file."""
    if "dependencies" in _project_table(project.pyproject):
        return True
    poetry = as_dict(as_dict(project.pyproject.get("tool")).get("poetry"))
    if "dependencies" in poetry or project.is_file("requirements.txt"):
        return True
    if any(project.is_file(name) for name in OTHER_DECLARATIONS):
        return True
    return bool(requirement_files(project) or requirement_locks(project))  # lists git's files


def _runtime_requirements(project: Project) -> list[tuple[str, str]]:
    """(file, requirement) of what the project installs at run time."""
    found = [
        ("requirements.txt", line)
        for line in requirement_lines(project.read_text("requirements.txt") or "")
    ]
    dependencies = as_list(_project_table(project.pyproject).get("dependencies"))
    found += [("pyproject.toml", item) for item in dependencies if isinstance(item, str)]
    return found


def _has_dev_requirements(project: Project) -> bool:
    if any(project.is_file(name) for name in DEV_FILES):
        return True
    pyproject = project.pyproject
    extras = as_dict(_project_table(pyproject).get("optional-dependencies"))
    poetry_groups = as_dict(as_dict(as_dict(pyproject.get("tool")).get("poetry")).get("group"))
    return bool(DEV_EXTRAS & set(extras) or dependency_groups(pyproject) or poetry_groups)


class MH021(Check):
    "Development tools are listed apart from the runtime requirements"

    family = FAMILY
    triggers = REQUIREMENT_TRIGGERS
    requires = frozenset({"MH004"})
    what = (
        "development tools (pytest, ruff, black, mypy, pre-commit, nbstripout, mlops-hygiene, "
        "...) are not runtime requirements (`requirements.txt`, `[project] dependencies`), and "
        "development requirements exist apart: a dependency group (`[dependency-groups]`, any "
        "name), a `dev`/`test`/`lint` extra, `requirements-dev.txt` or `requirements/dev.txt`."
    )
    why = "production images and jobs install only what they need."
    fix = (
        "move them to `[dependency-groups] dev` (uv) or to `requirements-dev.txt`, which starts "
        "with `-r requirements.txt`."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        misplaced = []
        for file, text in _runtime_requirements(hygiene_project):
            if requirement_name(text) in DEV_ONLY_TOOLS:
                misplaced.append(f"{file}: {text.split(';')[0].strip()}")
        if misplaced:
            return (
                f"Runtime requirements list development tool(s) {listing(misplaced)}: move them to "
                "a dependency group (`[dependency-groups] dev` in `pyproject.toml`) or to "
                "`requirements-dev.txt` (which starts with `-r requirements.txt`)."
            )
        if not _has_dev_requirements(hygiene_project):
            return (
                "No development requirements: add a dependency group (`[dependency-groups] dev` "
                "in `pyproject.toml`) or `requirements-dev.txt` (starting with `-r "
                "requirements.txt`) for test, lint and notebook tools."
            )
        return True


CHECKS = [MH020, MH021]
