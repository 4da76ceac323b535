"""The repo-review face: the same check objects the CLI runs (engine.py), registered through
repo-review's entry points; repo-review's `process()` runs them, as it does for the CLI.

Which checks are collected follows `[tool.mlops-hygiene]` select/ignore, through the same function
as the CLI, so both report the same set.

repo-review's `process()` runs every collected check and drops the ones `--select`/`--ignore` (or
`[tool.repo-review]`) leave out only when it builds the results, and tells neither plugins nor
fixtures the selection: fixtures receive the repository and other fixtures only, all of them are
computed before any check runs, and `[tool.repo-review]` (the `pyproject` fixture) misses the
command line. So that `repo-review --ignore MH` (or `--select` of another plugin's checks) does not
pay for ours, each of our checks first looks at the `process()` call running it: when its result
will not be reported and no reported check requires it, it answers None at once (a skip nobody
sees) instead of reading the project. Without that call in sight (another caller, a repo-review
whose `process()` keeps its selection elsewhere) every check simply runs;
tests/hygiene/test_repo_review_selection.py fails when that happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .checks import ALL_CHECKS
from .engine import check_instances, families, selected_checks, with_requirements
from .project import Project

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType

PROCESSOR = "repo_review.processor"


def _process_locals() -> dict | None:
    """The local variables of the repo-review `process()` call this check runs in, if any."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "process" and frame.f_globals.get("__name__") == PROCESSOR:
            return frame.f_locals
        frame = frame.f_back
    return None


def reported_or_required(check_id: str) -> bool:
    """False when the running `process()` will neither report this check nor need its result for
    a check it reports (`requires`); True when that cannot be known."""
    variables = _process_locals()
    if variables is None:
        return True
    try:
        select, ignore = variables["select_checks"], variables["skip_checks"]
        graph = variables["graph"]
    except KeyError:  # not the process() this was written against: run the check
        return True
    from repo_review.checks import is_allowed

    shown = (name for name in graph if is_allowed(select, ignore, name))
    return check_id in with_requirements(graph, shown)


def hygiene_project(root: object) -> Project | None:
    """Fixture: the checked project (nothing is read until a check asks). None for remote
    (GitHub) paths: the checks need a local git checkout."""
    return Project.load(root) if isinstance(root, Path) else None


def repo_review_checks(hygiene_project: Project | None, list_all: bool) -> dict:
    if list_all:
        return check_instances(ALL_CHECKS, reported_or_required)
    if hygiene_project is None:
        return {}
    return check_instances(selected_checks(hygiene_project), reported_or_required)


def repo_review_families() -> dict:
    return families()
