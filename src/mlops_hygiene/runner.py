"""Running the checks for the CLI, the way repo-review's `process()` runs them for the plugin.

The rules are repo-review's (`repo_review.processor.process`, 1.x): checks run in `requires` order;
a check runs only when every check it requires that was collected passed (a skip or a failure skips
it; a requirement that is not selected counts as passed); True or "" is a pass, None a skip, False
a failure whose message is the `check` method's docstring, a string a failure with that message
(dedented). The CLI runs on every commit and repo-review's processor imports markdown_it (hundreds
of ms on a loaded machine), so the CLI has this small runner; tests/hygiene/test_faces_agree.py
runs both on every case and requires identical results. As in repo-review, the configuration
(`[tool.mlops-hygiene]`) decides which checks are collected and the command line which are
reported.

With `--files`, a check runs only when one of the files concerns it (`Check.concerns`), or when a
check that runs requires it; the others are skipped without costing anything.
"""

from __future__ import annotations

import graphlib
import textwrap

from .checks import FAMILIES
from .project import Project
from .result import Result


def _failure_message(check, check_id: str, outcome) -> str | None:
    """repo-review's `process_result_bool`: "" for a pass, the message for a failure, None for
    a skip."""
    if isinstance(outcome, bool):
        doc = check.check.__doc__ or "Check failed"
        return "" if outcome else doc.format(name=check_id, self=check)
    return outcome


def _to_run(project: Project, checks: dict, reported: set[str]) -> set[str]:
    """The reported checks that concern the given files (all of them without `--files`) and what
    they require, transitively."""
    wanted = [check_id for check_id in reported if checks[check_id].concerns(project)]
    needed: set[str] = set()
    while wanted:
        check_id = wanted.pop()
        if check_id in needed or check_id not in checks:
            continue
        needed.add(check_id)
        wanted.extend(checks[check_id].requires)
    return needed


def run(project: Project, checks: dict, reported: set[str], guard) -> list[Result]:
    """Run the `reported` checks of `checks` ({id: check class}, the collected ones) on the
    project, and the collected checks they require, whose results decide but are not reported
    (as repo-review's `--select` does); `guard(id, method)` wraps each check method (a crash
    becomes a failure message)."""
    to_run = _to_run(project, checks, reported)
    graph = {check_id: check.requires for check_id, check in checks.items()}
    outcome: dict[str, str | None] = {}  # "" pass, message fail, None skip
    for check_id in graphlib.TopologicalSorter(graph).static_order():
        check = checks.get(check_id)
        if check is None:
            continue  # a requirement that is not selected: it counts as passed
        if check_id in to_run and all(outcome.get(r, "") == "" for r in check.requires):
            result = guard(check_id, check.check)(hygiene_project=project)
            outcome[check_id] = _failure_message(check, check_id, result)
        else:
            outcome[check_id] = None
    in_report_order = sorted(
        checks.items(),
        key=lambda item: (FAMILIES[item[1].family]["order"], item[1].family, item[0]),
    )
    return [
        Result(
            id=check_id,
            family=check.family,
            description=(check.__doc__ or "").format(self=check, name=check_id).strip(),
            result=None if outcome[check_id] is None else not outcome[check_id],
            message=textwrap.dedent(outcome[check_id] or "").strip(),
        )
        for check_id, check in in_report_order
        if check_id in reported
    ]
