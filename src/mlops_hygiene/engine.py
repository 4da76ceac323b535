"""Choosing checks and running them, for both faces, through repo-review's `process()`.

`selected_checks` decides which checks are collected (ids, id prefixes and families, from the
command line or `[tool.mlops-hygiene]`), for the CLI and the repo-review plugin alike, and
`check_instances` makes the objects repo-review runs. Both faces hand them to
`repo_review.processor.process()`: the order by `requires`, skipping a check when a check it
requires failed or was skipped (a requirement that was not collected counts as passed), passing
fixtures by parameter name, turning answers into messages and leaving out what `select` does not
show are repo-review's code, so the CLI and `repo-review` agree by construction. As in
repo-review, the configuration decides which checks are collected and the command line which are
reported.

What `process()` does not do is leave out the work of checks nobody will see: it runs every
collected check and filters afterwards. So each check object first asks `runs(id)` and, when it
need not run, answers None (a skip) without reading anything: in the CLI, the checks that are
neither reported nor required by a reported one, and with `--files` the reported checks that no
given file concerns; in the plugin, see repo_review_plugin.py.
"""

from __future__ import annotations

import functools

from .checks import ALL_CHECKS, FAMILIES
from .project import Project
from .result import Result

TYPE_CHECKING = False  # not `typing`: it is slow to import, and this runs on every commit
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from collections.abc import Set as AbstractSet

# What a check method answers: pass, skip (nothing to check), fail, or a failure message.
CheckAnswer = bool | str | None


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


def with_requirements(graph: Mapping[str, AbstractSet[str]], wanted: Iterable[str]) -> set[str]:
    """The `wanted` checks and those they require, transitively, among the checks of `graph`
    ({id: requires})."""
    found: set[str] = set()
    pending = list(wanted)
    while pending:
        check_id = pending.pop()
        if check_id in graph and check_id not in found:
            found.add(check_id)
            pending.extend(graph[check_id])
    return found


def _guarded(
    check_id: str, method: Callable[..., CheckAnswer], runs: Callable[[str], bool]
) -> Callable[..., CheckAnswer]:
    """The check method for repo-review (same signature and docstring: repo-review reads both),
    answering None when `runs(check_id)` says its result is not needed, and a failure message
    instead of raising: a bug in one check must not hide the others' results."""

    @functools.wraps(method)
    def guarded(**fixtures: object) -> CheckAnswer:
        if not runs(check_id):
            return None
        try:
            return method(**fixtures)
        except Exception as error:
            return f"{check_id} could not run: {type(error).__name__}: {error}"

    return guarded


def _always(check_id: str) -> bool:
    return True


def check_instances(checks: dict, runs: Callable[[str], bool] = _always) -> dict:
    """{id: check object} as repo-review runs them (see `_guarded`)."""
    instances = {}
    for check_id, check_class in checks.items():
        instance = check_class()
        instance.check = _guarded(check_id, check_class.check, runs)
        instances[check_id] = instance
    return instances


def families() -> dict:
    return {key: dict(value) for key, value in FAMILIES.items()}


def run_checks(project: Project, checks: dict) -> list[Result]:
    """The results of `checks`, by repo-review's `process()`. The checks of the configuration are
    collected too: those a reported check requires run and decide whether it runs, as in
    repo-review, but are not reported."""
    if not checks:
        return []  # to process(), an empty selection means every check
    from repo_review.processor import CollectionReturn, process  # imports markdown_it: late

    collected = {**selected_checks(project), **checks}
    graph = {check_id: check.requires for check_id, check in collected.items()}
    runs = with_requirements(graph, (i for i, check in checks.items() if check.concerns(project)))
    fixtures = {
        "root": project.root,
        "package": project.root,
        "list_all": False,
        "hygiene_project": project,
        # process() reads `[tool.repo-review]` from this fixture: that table configures the
        # repo-review command; the CLI's selection is `[tool.mlops-hygiene]` and its command
        # line. None of our checks takes this fixture.
        "pyproject": {},
    }
    instances = check_instances(collected, runs.__contains__)
    _, results = process(
        project.root,
        select=frozenset(checks),
        collected=CollectionReturn(fixtures, instances, families()),
    )
    return [
        Result(
            id=result.name,
            family=result.family,
            description=result.description,
            result=result.result,
            message=result.err_msg.strip(),
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
