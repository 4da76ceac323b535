"""The repo-review face: the same check objects the CLI runs, registered through repo-review's
entry points.

Which checks run follows `[tool.mlops-hygiene]` select/ignore, through the same function as the
CLI, so both report the same set.

repo-review's `process()` runs every collected check and drops the ones `--select`/`--ignore` (or
`[tool.repo-review]`) leave out only when it builds the results; a plugin is not told the
selection. So that `repo-review --ignore MH` (or `--select` of another plugin's checks) does not
pay for ours, each of our checks first looks at the `process()` call running it: when its result
will not be reported and no reported check requires it, it returns at once (a pass nobody sees)
instead of reading the project. Without that call in sight (another caller, a repo-review whose
`process()` keeps its selection elsewhere) every check simply runs.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from .checks import ALL_CHECKS
from .engine import check_instances, families, selected_checks
from .project import Project

PROCESSOR = "repo_review.processor"


def _process_locals() -> dict | None:
    """The local variables of the repo-review `process()` call this check runs in, if any."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "process" and frame.f_globals.get("__name__") == PROCESSOR:
            return frame.f_locals
        frame = frame.f_back
    return None


def unreported(check_id: str) -> bool:
    """True when the running `process()` will neither report this check nor need its result for
    a check it reports (`requires`)."""
    variables = _process_locals()
    if variables is None:
        return False
    try:
        select, ignore = variables["select_checks"], variables["skip_checks"]
        graph = variables["graph"]
    except KeyError:  # not the process() this was written against: run the check
        return False
    from repo_review.checks import is_allowed

    needed = [name for name in graph if is_allowed(select, ignore, name)]
    seen: set[str] = set()
    while needed:
        name = needed.pop()
        if name == check_id:
            return False
        if name not in seen:
            seen.add(name)
            needed.extend(graph.get(name, ()))
    return True


def _skipping_unreported(check_id: str, method):
    @functools.wraps(method)
    def check(**fixtures):
        if unreported(check_id):
            return True  # repo-review drops this result: nothing read, nothing shown
        return method(**fixtures)

    return check


def _plugin_instances(checks: dict) -> dict:
    instances = check_instances(checks)
    for check_id, instance in instances.items():
        instance.check = _skipping_unreported(check_id, instance.check)
    return instances


def hygiene_project(root) -> Project | None:
    """Fixture: the checked project (nothing is read until a check asks). None for remote
    (GitHub) paths: the checks need a local git checkout."""
    return Project.load(root) if isinstance(root, Path) else None


def repo_review_checks(hygiene_project: Project | None, list_all: bool) -> dict:
    if list_all:
        return _plugin_instances(ALL_CHECKS)
    if hygiene_project is None:
        return {}
    return _plugin_instances(selected_checks(hygiene_project))


def repo_review_families() -> dict:
    return families()
