"""Choosing checks and running them, for both faces.

`selected_checks` decides which checks run (ids, id prefixes and families, from the command line or
`[tool.mlops-hygiene]`), for the CLI and the repo-review plugin alike. The plugin hands
`check_instances` to repo-review's `process()`; the CLI runs the same classes with
`runner.run`, which follows process()'s rules without importing repo-review (see runner.py).
"""

from __future__ import annotations

import functools

from .checks import ALL_CHECKS, FAMILIES
from .project import Project
from .result import Result


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


def _guarded(check_id: str, method):
    """The check method, answering with a failure message instead of raising: a bug in one check
    must not hide the others' results. Same signature and docstring, for repo-review."""

    @functools.wraps(method)
    def guarded(**fixtures):
        try:
            return method(**fixtures)
        except Exception as error:
            return f"{check_id} could not run: {type(error).__name__}: {error}"

    return guarded


def check_instances(checks: dict) -> dict:
    """{id: check object} as repo-review runs them."""
    instances = {}
    for check_id, check_class in checks.items():
        instance = check_class()
        instance.check = _guarded(check_id, check_class.check)
        instances[check_id] = instance
    return instances


def families() -> dict:
    return {key: dict(value) for key, value in FAMILIES.items()}


def run_checks(project: Project, checks: dict) -> list[Result]:
    """The results of `checks`; the checks of the configuration they require run too (their
    results decide whether a check runs, as in repo-review) but are not reported."""
    from .runner import run

    return run(project, {**selected_checks(project), **checks}, set(checks), _guarded)


def apply_fixes(project: Project, checks: dict) -> list[str]:
    """Run the safe fix of every selected check that fails; return the paths changed."""
    changed = []
    for result in run_checks(project, checks):
        autofix = checks[result.id].autofix
        if result.result is False and autofix is not None:
            changed += autofix(Project.load(project.root, project.only_files))
    return changed
