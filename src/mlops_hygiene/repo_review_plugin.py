"""The repo-review face: the same check classes, registered through repo-review's entry points.

Which checks run follows `[tool.mlops-hygiene]` select/ignore, like the CLI, so both report the same
set.
"""

from __future__ import annotations

from pathlib import Path

from .checks import ALL_CHECKS, FAMILIES
from .engine import selected_checks
from .project import Project


def hygiene_project(root) -> Project | None:
    """Fixture: the checked project. None for remote (GitHub) paths: the checks need a local git
    checkout."""
    return Project.load(root) if isinstance(root, Path) else None


def repo_review_checks(hygiene_project: Project | None, list_all: bool) -> dict:
    if list_all:
        return {check_id: check() for check_id, check in ALL_CHECKS.items()}
    if hygiene_project is None:
        return {}
    return {check_id: check() for check_id, check in selected_checks(hygiene_project).items()}


def repo_review_families() -> dict:
    return {key: dict(value) for key, value in FAMILIES.items()}
