"""Every check against its passing and failing projects (the engine, in process)."""

from __future__ import annotations

import pytest

from mlops_hygiene.checks import ALL_CHECKS
from mlops_hygiene.engine import run_checks, selected_checks
from mlops_hygiene.project import Project

from .cases import CASES


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_check_result(case, case_projects):
    project = Project.load(case_projects[case.id])
    results = {result.id: result for result in run_checks(project, selected_checks(project))}
    result = results[case.check_id]
    assert result.result is case.expected, result.message
    if case.expected is False:
        assert result.message, "a failure says how to fix it"
        indented = [line for line in result.message.splitlines() if line[:1].isspace()]
        assert not indented, "a message reads as one paragraph (the text report indents it)"


def test_every_check_has_a_passing_and_a_failing_case():
    for check_id in ALL_CHECKS:
        outcomes = {case.expected for case in CASES if case.check_id == check_id}
        assert {True, False} <= outcomes, check_id


def test_baseline_passes_everything_without_skips(case_projects):
    project = Project.load(case_projects["MH001-git-repo"])
    results = run_checks(project, selected_checks(project))
    assert [(r.id, r.status, r.message) for r in results if r.result is not True] == []
