"""Choosing and running checks, with repo-review's rules: a check whose `requires` did not all pass
is
skipped; a required check that is not selected counts as passed."""

from __future__ import annotations

import dataclasses
import graphlib
import inspect
import textwrap

from .checks import ALL_CHECKS
from .project import Project


@dataclasses.dataclass(frozen=True)
class Result:
    id: str
    family: str
    description: str
    result: bool | None  # True pass, False fail, None skipped
    message: str  # the failure message (markdown), empty unless result is False
    url: str

    @property
    def status(self) -> str:
        return {True: "pass", False: "fail", None: "skip"}[self.result]


def _matches(check_id: str, selector: str) -> bool:
    family = ALL_CHECKS[check_id].family
    return (
        check_id.startswith(selector.upper()) or selector == family or f"mlops-{selector}" == family
    )


def unknown_selectors(selectors: list[str]) -> list[str]:
    return [s for s in selectors if not any(_matches(check_id, s) for check_id in ALL_CHECKS)]


def selected_checks(
    project: Project, select: list[str] | None = None, ignore: list[str] | None = None
) -> dict:
    """The checks to run: `select` (from the command line, else from the config; empty = all)
    minus `ignore` (config plus command line). Selectors are ids (`MH030`), id prefixes (`MH03`)
    or families (`notebooks`, `mlops-notebooks`)."""
    chosen = list(select) if select else list(project.config.select)
    skipped = list(project.config.ignore) + list(ignore or [])
    return {
        check_id: check
        for check_id, check in ALL_CHECKS.items()
        if (not chosen or any(_matches(check_id, s) for s in chosen))
        and not any(_matches(check_id, s) for s in skipped)
    }


def call_with_fixtures(function, fixtures: dict):
    wanted = inspect.signature(function).parameters
    return function(**{name: value for name, value in fixtures.items() if name in wanted})


def _run_one(check_id: str, check, project: Project) -> tuple[bool | None, str]:
    try:
        outcome = call_with_fixtures(check.check, {"hygiene_project": project})
    except Exception as error:  # a bug in a check must not hide the other checks' results
        return False, f"{check_id} could not run: {type(error).__name__}: {error}"
    if outcome is None:
        return None, ""
    if isinstance(outcome, str):
        return (False, textwrap.dedent(outcome)) if outcome else (True, "")
    if outcome:
        return True, ""
    return False, textwrap.dedent(check.check.__doc__ or "Check failed").strip()


def run_checks(project: Project, checks: dict) -> list[Result]:
    graph = {
        check_id: set(getattr(check, "requires", set())) & set(checks)
        for check_id, check in checks.items()
    }
    outcomes: dict[str, tuple[bool | None, str]] = {}
    for check_id in graphlib.TopologicalSorter(graph).static_order():
        if all(outcomes[required][0] is True for required in graph[check_id]):
            outcomes[check_id] = _run_one(check_id, checks[check_id], project)
        else:
            outcomes[check_id] = (None, "")
    return [
        Result(
            id=check_id,
            family=check.family,
            description=(check.__doc__ or "").strip(),
            result=outcomes[check_id][0],
            message=outcomes[check_id][1],
            url=getattr(check, "url", ""),
        )
        for check_id, check in checks.items()
    ]


def apply_fixes(project: Project, checks: dict) -> list[str]:
    """Run the safe fix of every selected check that fails; return the paths changed."""
    changed = []
    for result in run_checks(project, checks):
        fix = getattr(checks[result.id], "fix", None)
        if result.result is False and fix is not None:
            changed += call_with_fixtures(fix, {"hygiene_project": Project.load(project.root)})
    return changed
