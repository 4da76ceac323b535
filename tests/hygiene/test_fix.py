"""`mlops-hygiene fix` repairs what is safe to repair, and touches nothing else."""

from __future__ import annotations

import pytest

from .cases import CASES
from .project_builder import BASELINE, build_project, snapshot
from .run_cli import check_json, mlops_hygiene, results_by_id

FIXABLE = [case for case in CASES if case.fixed_paths]


def changed_paths(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.mark.parametrize("case", FIXABLE, ids=lambda case: case.id)
def test_fix_repairs_and_changes_nothing_else(case, tmp_path):
    root = build_project(tmp_path / "project", case.changes)
    assert results_by_id(check_json(root)[1])[case.check_id] == "fail"
    before = snapshot(root)

    completed = mlops_hygiene("fix", root)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert changed_paths(before, snapshot(root)) == case.fixed_paths
    code, report = check_json(root)
    assert code == 0
    assert results_by_id(report)[case.check_id] == "pass"


def test_stripped_notebook_is_exactly_the_clean_one(tmp_path):
    case = next(case for case in FIXABLE if case.check_id == "MH030")
    root = build_project(tmp_path / "project", case.changes)
    mlops_hygiene("fix", root, "--select", "MH030")
    notebook = "notebooks/01-jd-explore-data.ipynb"
    assert (root / notebook).read_text(encoding="utf-8") == BASELINE[notebook]


def test_fix_on_a_clean_project_changes_nothing(tmp_path):
    root = build_project(tmp_path / "project")
    before = snapshot(root)
    completed = mlops_hygiene("fix", root)
    assert completed.returncode == 0
    assert snapshot(root) == before


def test_fix_repairs_several_problems_and_reports_what_it_cannot(tmp_path):
    changes = {}
    for case in FIXABLE:
        changes.update(case.changes)
    changes["requirements.txt"] = "numpy\n"  # MH020: a person must choose the version
    root = build_project(tmp_path / "project", changes)

    completed = mlops_hygiene("fix", root)

    assert completed.returncode == 1
    assert "fixed: .gitignore" in completed.stdout
    _code, report = check_json(root)
    failing = {check_id for check_id, result in results_by_id(report).items() if result == "fail"}
    assert failing == {"MH020"}
