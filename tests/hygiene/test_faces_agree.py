"""The three faces give the same verdict on the same projects: the CLI's JSON, repo-review's results
and pre-commit's pass/fail. The CLI and the plugin run the checks through the same repo-review
`process()`; this guards what lies around it: collecting the checks (entry points and
`[tool.mlops-hygiene]` against the CLI's own configuration and command line), the fixtures, the
reports."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from repo_review.processor import process

from .cases import CASES
from .precommit_runner import LOCAL_HOOKS, precommit_env, run_precommit
from .run_cli import check_json

RESULT_OF_STATUS = {"pass": True, "fail": False, "skip": None}
# repo-review's own `pyproject` fixture raises on an unparseable pyproject.toml before any plugin
# runs
# (a repo-review limitation, not ours); the CLI's handling of that file is tested in test_cli.py.
REPO_REVIEW_CANNOT_LOAD = {"MH007-unparseable-pyproject"}


@pytest.fixture(scope="session")
def cli_reports(case_projects) -> dict:
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = pool.map(check_json, case_projects.values())
        return dict(zip(case_projects, reports, strict=True))


def cli_view(report: dict) -> dict:
    return {
        item["id"]: (RESULT_OF_STATUS[item["result"]], item["message"], item["description"])
        for item in report["results"]
    }


def repo_review_view(root: Path) -> dict:
    _, results = process(root)
    return {
        r.name: (r.result, r.err_msg, r.description) for r in results if r.name.startswith("MH")
    }


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_repo_review_equals_cli(case, case_projects, cli_reports):
    if case.id in REPO_REVIEW_CANNOT_LOAD:
        pytest.skip("repo-review itself cannot load an unparseable pyproject.toml")
    _code, report = cli_reports[case.id]
    assert repo_review_view(case_projects[case.id]) == cli_view(report)


def test_repo_review_command_line_shows_the_same_results(case_projects, cli_reports):
    case_id = "MH053-cmd-changed"
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "repo-review"),
            str(case_projects[case_id]),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    checks = json.loads(completed.stdout)["checks"]
    shown = {
        name: (c["result"], c["err_msg"], c["description"])
        for name, c in checks.items()
        if name.startswith("MH")
    }
    assert shown == cli_view(cli_reports[case_id][1])
    assert (
        json.loads(completed.stdout)["families"]["mlops-dvc"]["name"]
        == "MLOps hygiene: DVC pipeline"
    )


@pytest.mark.slow
def test_precommit_verdict_equals_cli_exit_code(case_projects, cli_reports, tmp_path):
    """`repo: local` hooks, on every case: pre-commit passes exactly when the CLI exits 0."""
    config = tmp_path / "hooks.yaml"
    config.write_text(LOCAL_HOOKS)
    env = precommit_env(tmp_path / "pre-commit-home")

    def verdict(root: Path) -> int:
        return run_precommit(root, env, "mlops-hygiene", config=config).returncode

    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = dict(zip(case_projects, pool.map(verdict, case_projects.values()), strict=True))
    expected = {case_id: (0 if code == 0 else 1) for case_id, (code, _) in cli_reports.items()}
    assert verdicts == expected
