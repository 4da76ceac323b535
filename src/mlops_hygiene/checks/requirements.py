"""Requirements: reproducible installs (every dependency pinned or bounded) with dev tools kept
apart."""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..project import Project
from ._base import docs_url, listing
from ._shapes import as_dict, as_list

FAMILY = "mlops-requirements"
DEV_FILES = (
    "requirements-dev.txt",
    "requirements_dev.txt",
    "dev-requirements.txt",
    "requirements/dev.txt",
)
# Tools only developers and CI need; in the runtime requirements they bloat every deployment.
DEV_ONLY_TOOLS = {
    "pytest", "pytest-cov", "ruff", "black", "flake8", "isort", "mypy", "pylint", "pre-commit",
    "nbstripout", "mlops-hygiene", "coverage", "tox", "nox",
}  # fmt: skip


def requirement_files(project: Project) -> list[str]:
    names = [path.name for path in sorted(project.root.glob("requirements*.txt"))]
    names += [
        f"requirements/{path.name}" for path in sorted(project.root.glob("requirements/*.txt"))
    ]
    names += [name for name in ("dev-requirements.txt",) if project.path(name).is_file()]
    return names


def requirement_lines(text: str) -> list[str]:
    """The requirement specifiers of a requirements file: no comments, options, includes, URLs or
    paths."""
    text = re.sub(r"\\\n", " ", text)
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        line = re.split(r"\s+-", line)[0].strip()  # per-line options such as --hash
        if not line or line.startswith(("-", ".", "/", "file:")) or "://" in line:
            continue
        lines.append(line)
    return lines


def pyproject_requirements(pyproject: dict) -> list[str]:
    project = as_dict(pyproject.get("project"))
    found = as_list(project.get("dependencies"))
    for group in as_dict(project.get("optional-dependencies")).values():
        found.extend(as_list(group))
    for group in as_dict(pyproject.get("dependency-groups")).values():
        found.extend(as_list(group))
    return [item for item in found if isinstance(item, str)]


def _unbounded(specifiers: list[str]) -> list[str]:
    problems = []
    for text in specifiers:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            problems.append(f"{text} (not a valid requirement)")
            continue
        if not requirement.specifier and not requirement.url:
            problems.append(text)
    return problems


class MH020:
    "Every requirement is pinned (`==`) or bounded (`>=`, `<`, `~=`)"

    family = FAMILY
    requires = frozenset()
    url = docs_url("MH020")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        problems = []
        for name in requirement_files(hygiene_project):
            text = hygiene_project.read_text(name) or ""
            problems += [f"{name}: {item}" for item in _unbounded(requirement_lines(text))]
        pyproject = pyproject_requirements(hygiene_project.pyproject)
        problems += [f"pyproject.toml: {item}" for item in _unbounded(pyproject)]
        if not problems:
            return True
        return (
            f"Unpinned requirement(s) {listing(problems)}: pin each (`pandas==2.2.3`) or bound it "
            "(`pandas>=2.2,<3`) so installs are reproducible."
        )


def _has_dev_requirements(project: Project) -> bool:
    if any(project.path(name).is_file() for name in DEV_FILES):
        return True
    pyproject = project.pyproject
    extras = as_dict(as_dict(pyproject.get("project")).get("optional-dependencies"))
    return "dev" in extras or "dev" in as_dict(pyproject.get("dependency-groups"))


class MH021:
    "Development tools are listed apart from the runtime requirements"

    family = FAMILY
    requires = frozenset({"MH004"})
    url = docs_url("MH021")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        runtime = requirement_lines(hygiene_project.read_text("requirements.txt") or "")
        misplaced = []
        for text in runtime:
            try:
                name = canonicalize_name(Requirement(text).name)
            except InvalidRequirement:
                continue
            if name in DEV_ONLY_TOOLS:
                misplaced.append(name)
        if misplaced:
            return (
                f"`requirements.txt` lists development tool(s) {listing(misplaced)}: move them to "
                "`requirements-dev.txt` (which starts with `-r requirements.txt`)."
            )
        if not _has_dev_requirements(hygiene_project):
            return (
                "No development requirements: add `requirements-dev.txt` (starting with `-r "
                "requirements.txt`) "
                "for test, lint and notebook tools."
            )
        return True


CHECKS = [MH020, MH021]
