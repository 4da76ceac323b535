"""The repo-review face: the same check objects the CLI runs, registered through repo-review's
entry points.

Which checks run follows `[tool.mlops-hygiene]` select/ignore, through the same function as the
CLI, so both report the same set.
"""

from __future__ import annotations

from pathlib import Path

from .checks import ALL_CHECKS
from .engine import check_instances, families, selected_checks
from .project import Project


def hygiene_project(root: object) -> Project | None:
    """Fixture: the checked project (nothing is read until a check asks). None for remote
    (GitHub) paths: the checks need a local git checkout."""
    return Project.load(root) if isinstance(root, Path) else None


def repo_review_checks(hygiene_project: Project | None, list_all: bool) -> dict:
    if list_all:
        return check_instances(ALL_CHECKS)
    if hygiene_project is None:
        return {}
    return check_instances(selected_checks(hygiene_project))


def repo_review_families() -> dict:
    return families()
