"""Installing the plugin does not slow other plugins' runs: checks that repo-review's `--select`,
`--ignore` or `[tool.repo-review]` leave out cost nothing (no git process, no file read), and the
results repo-review shows are the same as when every check runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .project_builder import build_project
from .run_cli import check_json, results_by_id

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'


def repo_review(root: Path, trace: Path, *options: str) -> tuple[dict, list[str]]:
    """(the JSON report's checks, the git commands run) of `repo-review ROOT OPTIONS`."""
    trace.unlink(missing_ok=True)
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "repo-review"), str(root), "--format", "json", *options],
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_TRACE": str(trace)},
        check=False,
    )
    lines = trace.read_text().splitlines() if trace.exists() else []
    return json.loads(completed.stdout)["checks"], [x for x in lines if "built-in: git" in x]


def test_ignored_family_runs_no_check(tmp_path):
    root = build_project(tmp_path / "p")
    checks, git_commands = repo_review(root, tmp_path / "trace", "--ignore", "MH")
    assert not [name for name in checks if name.startswith("MH")]
    assert git_commands == []


def test_selected_check_runs_with_what_it_requires_only(tmp_path):
    root = build_project(tmp_path / "p", {"notebooks/bad name.ipynb": "{}"})
    everything, _ = repo_review(root, tmp_path / "trace")
    checks, git_commands = repo_review(root, tmp_path / "trace", "--select", "MH031")
    assert checks == {"MH031": everything["MH031"]}
    assert checks["MH031"]["result"] is False
    assert [command.split("built-in: ")[1].split()[:2] for command in git_commands] == [
        ["git", "rev-parse"],  # MH001, which MH031 requires
        ["git", "ls-files"],  # the notebooks MH031 judges
    ]


def test_a_requirement_left_out_still_decides(tmp_path):
    """Outside git, MH030 is skipped because MH001 fails, whether or not MH001 is shown; the CLI's
    `--select` does the same."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    everything, _ = repo_review(root, tmp_path / "trace")
    checks, _ = repo_review(root, tmp_path / "trace", "--select", "MH030")
    assert everything["MH030"]["result"] is None
    assert checks == {"MH030": everything["MH030"]}
    code, report = check_json(root, "--select", "MH030")
    assert (code, results_by_id(report)) == (0, {"MH030": "skip"})


def test_ignored_in_pyproject_with_a_reason_is_shown_skipped_and_not_run(tmp_path):
    reason = '[tool.repo-review.ignore]\nMH060 = "scanned by the secrets service"\n'
    root = build_project(tmp_path / "p", {"pyproject.toml": PYPROJECT + reason})
    checks, git_commands = repo_review(root, tmp_path / "trace")
    assert checks["MH060"]["result"] is None
    assert checks["MH060"]["skip_reason"] == "scanned by the secrets service"
    assert checks["MH061"]["result"] is True
    assert not [command for command in git_commands if "git grep" in command]


def test_requirements_decide_alike_in_both_faces(tmp_path):
    """Outside git with `[tool.mlops-hygiene] ignore = ["MH001"]`: MH001 is not collected, so the
    checks that require it run (repo-review counts a requirement it did not collect as passed);
    MH070 and MH003 fail, so MH071 and MH010, which require them, are skipped. The CLI and
    repo-review give the same results because both run them through repo-review's process()."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT + '[tool.mlops-hygiene]\nignore = ["MH001"]\n')
    checks, _ = repo_review(root, tmp_path / "trace")
    shown = {name: check["result"] for name, check in checks.items() if name.startswith("MH")}
    code, report = check_json(root)
    statuses = {True: "pass", False: "fail", None: "skip"}
    assert {name: statuses[result] for name, result in shown.items()} == results_by_id(report)
    assert "MH001" not in shown
    assert (shown["MH030"], shown["MH060"]) == (True, True)  # they require MH001: they ran
    assert (shown["MH070"], shown["MH071"]) == (False, None)
    assert (shown["MH003"], shown["MH010"]) == (False, None)
    assert code == 1
