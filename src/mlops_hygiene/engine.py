"""Choosing checks, and running them with repo-review's own processing.

Both faces go through the same two functions: `selected_checks` decides which checks run (ids, id
prefixes and families, from the command line or `[tool.mlops-hygiene]`), and `check_instances`
makes the objects repo-review runs. The CLI hands them to `repo_review.processor.process` exactly
as the repo-review plugin hands them to repo-review, so ordering by `requires`, skipping a check
whose requirement failed and the messages of failures are repo-review's, in both faces.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from .checks import ALL_CHECKS, FAMILIES
from .project import Project

# What a check method answers: pass, skip (nothing to check), fail, or a failure message.
CheckAnswer = bool | str | None


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


def _guarded(check_id: str, method: Callable[..., CheckAnswer]) -> Callable[..., CheckAnswer]:
    """The check method, answering with a failure message instead of raising: a bug in one check
    must not hide the others' results. Same signature and docstring, for repo-review."""

    @functools.wraps(method)
    def guarded(**fixtures: object) -> CheckAnswer:
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
    from repo_review.processor import CollectionReturn, process

    # `[tool.repo-review]` selects among all plugins' checks; ours follow `[tool.mlops-hygiene]`.
    tool = {k: v for k, v in project.pyproject.get("tool", {}).items() if k != "repo-review"}
    fixtures = {
        "root": project.root,
        "package": project.root,
        "pyproject": {**project.pyproject, "tool": tool},
        "list_all": False,
        "hygiene_project": project,
    }
    collected = CollectionReturn(fixtures, check_instances(checks), families())
    _, results = process(project.root, collected=collected)
    return [
        Result(
            id=result.name,
            family=result.family,
            description=result.description,
            result=result.result,
            message=result.err_msg.strip(),
            url=result.url,
        )
        for result in results
    ]


def apply_fixes(project: Project, checks: dict) -> list[str]:
    """Run the safe fix of every selected check that fails; return the paths changed."""
    changed = []
    for result in run_checks(project, checks):
        autofix = checks[result.id].autofix
        if result.result is False and autofix is not None:
            changed += autofix(Project.load(project.root, project.only_files))
    return changed
