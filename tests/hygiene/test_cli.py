"""The `mlops-hygiene check` command: output formats, exit codes, selection, configuration and bad
input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mlops_hygiene.checks import ALL_CHECKS

from .cases import CASES
from .project_builder import build_project
from .run_cli import check_json, mlops_hygiene, results_by_id


def assert_no_traceback(completed):
    assert "Traceback" not in completed.stdout + completed.stderr


def test_clean_project_exit_0_and_json_lists_every_check(tmp_path):
    code, report = check_json(build_project(tmp_path / "p"))
    assert code == 0
    assert list(results_by_id(report)) == list(ALL_CHECKS)
    assert report["summary"] == {"passed": len(ALL_CHECKS), "failed": 0, "skipped": 0}
    first = report["results"][0]
    assert set(first) == {"id", "family", "description", "result", "message", "url"}
    assert first["url"] == ""  # no Documentation URL is set in this checkout's metadata


def test_failure_exit_1_and_text_report_lists_failures_first_and_ends_with_a_summary(tmp_path):
    root = build_project(tmp_path / "p", {"requirements.txt": "numpy\n", "README.md": None})
    completed = mlops_hygiene("check", root)
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    marks = [line.split("  ")[0] for line in lines if line.startswith(("✘", "✔", "–"))]
    assert marks == sorted(marks, key=["✘ fail", "✔ pass", "– skip"].index)  # failures first
    assert lines[1].startswith("✘ fail  MH002")
    assert "numpy" in completed.stdout
    assert "mlops-hygiene explain MH020" in completed.stdout
    failed = sum(line.startswith("✘") for line in lines)
    passed = sum(line.startswith("✔") for line in lines)
    skipped = sum(line.startswith("–") for line in lines)
    assert (failed, skipped) == (2, 0)
    assert lines[-1] == f"{failed} failed, {passed} passed, {skipped} skipped"


def test_quiet_prints_the_failures_only(tmp_path):
    root = build_project(tmp_path / "p", {"requirements.txt": "numpy\n"})
    completed = mlops_hygiene("check", root, "--quiet")
    assert completed.returncode == 1
    assert completed.stdout.startswith("✘ fail  MH020")
    assert "✔" not in completed.stdout
    assert "passed" not in completed.stdout
    clean = mlops_hygiene("check", build_project(tmp_path / "clean"), "--quiet")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_explain_refuses_an_unknown_id_in_one_line_with_exit_2():
    unknown = mlops_hygiene("explain", "MH999")
    assert unknown.returncode == 2
    assert len(unknown.stderr.strip().splitlines()) == 1
    assert_no_traceback(unknown)


def test_unknown_option_is_a_usage_error(tmp_path):
    completed = mlops_hygiene("check", tmp_path, "--no-such-option")
    assert completed.returncode == 2
    assert_no_traceback(completed)


def test_default_path_is_the_current_folder(tmp_path):
    root = build_project(tmp_path / "p")
    assert mlops_hygiene("check", cwd=root).returncode == 0


def test_select_and_ignore_on_the_command_line(tmp_path):
    root = build_project(tmp_path / "p", {"requirements.txt": "numpy\n"})
    code, report = check_json(root, "--select", "MH02,notebooks")
    assert set(results_by_id(report)) == {"MH020", "MH021", "MH022", "MH030", "MH031"}
    assert code == 1
    code, report = check_json(root, "--ignore", "MH020")
    assert "MH020" not in results_by_id(report)
    assert code == 0


def test_select_and_ignore_from_pyproject(tmp_path):
    pyproject = (
        '[tool.mlops-hygiene]\nselect = ["mlops-requirements", "MH001"]\n'
        'ignore = ["MH020", "MH022"]\n'
    )
    root = build_project(
        tmp_path / "p", {"pyproject.toml": pyproject, "requirements.txt": "numpy\n"}
    )
    code, report = check_json(root)
    assert set(results_by_id(report)) == {"MH001", "MH021"}
    assert code == 0


def test_unknown_selector_is_a_one_line_error(tmp_path):
    completed = mlops_hygiene("check", build_project(tmp_path / "p"), "--select", "MH999")
    assert completed.returncode == 2
    assert completed.stderr.strip() == "mlops-hygiene: error: unknown check id or family: MH999"


def test_missing_path_is_a_one_line_error(tmp_path):
    completed = mlops_hygiene("check", tmp_path / "nowhere")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert (
        completed.stderr.strip()
        == f"mlops-hygiene: error: {tmp_path / 'nowhere'}: no such file or directory"
    )


def test_file_instead_of_folder_is_a_one_line_error(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    completed = mlops_hygiene("fix", tmp_path / "file.txt")
    assert completed.returncode == 2
    assert completed.stderr.strip().endswith("file.txt: not a directory")


def test_folder_that_is_not_a_repository(tmp_path):
    root = build_project(tmp_path / "p", use_git=False)
    code, report = check_json(root)
    results = results_by_id(report)
    assert code == 1
    assert results["MH001"] == "fail"
    assert results["MH002"] == results["MH050"] == "pass"  # the checks that need no git still run
    assert results["MH060"] == "skip"


def test_unparseable_files_get_one_message_each_and_the_rest_still_runs(tmp_path):
    root = build_project(
        tmp_path / "p",
        {
            "dvc.yaml": "stages: [\n",
            "pyproject.toml": "[project\n",
            "notebooks/02-jd-broken.ipynb": "{not json",
            "params.yaml": "prepare: [\n",
        },
    )
    completed = mlops_hygiene("check", root, "--format", "json")
    assert_no_traceback(completed)
    code, report = check_json(root)
    messages = {item["id"]: item["message"] for item in report["results"]}
    results = results_by_id(report)
    assert code == 1
    assert messages["MH050"].startswith("dvc.yaml: cannot parse: line 2")
    assert messages["MH007"].startswith("pyproject.toml: cannot parse:")
    assert "notebooks/02-jd-broken.ipynb: not valid JSON" in messages["MH030"]
    assert results["MH002"] == results["MH031"] == results["MH041"] == "pass"
    text = mlops_hygiene("check", root)
    assert_no_traceback(text)
    assert text.returncode == 1


def test_binary_and_odd_files_do_not_crash(tmp_path):
    root = build_project(
        tmp_path / "p",
        {
            "notebooks/03-jd-binary.ipynb": b"\xff\xfe\x00garbage",
            "requirements.txt": b"\xff\xfe",
            "pip.conf": "not an ini file\n",
            ".python-version": "system\n",
            ".github/workflows/ci.yml": ":\n- [",
            "dvc.lock": "- a list\n",
        },
    )
    for command in (["check"], ["check", "--format", "json"], ["fix"]):
        completed = mlops_hygiene(*command, root)
        assert_no_traceback(completed)
        assert completed.returncode == 1


def test_files_of_the_wrong_shape_get_messages_not_crashes(tmp_path):
    """Parseable but hand-mangled files: every check still gives a verdict of its own."""
    root = build_project(
        tmp_path / "p",
        {
            "pyproject.toml": 'project = "demo"\ndependency-groups = ["x"]\n[tool]\nuv = 3\n',
            "dvc.yaml": "stages:\n  prepare:\n    cmd: 42\n    deps: src/prepare.py\n"
            "    outs: {data/prepared.csv: {cache: false}}\n    params: prepare\n",
            "dvc.lock": "stages:\n  prepare:\n    deps: [1, {path: x}]\n    params: 7\n",
            "params.yaml": "- a list\n",
            "uv.toml": 'extra-index-url = "https://one.example.invalid/simple"\nindex = 5\n',
            ".pre-commit-config.yaml": "repos:\n- hooks: nbstripout\n- 12\n",
            ".python-version": "\n",
            ".github/workflows/ci.yml": "jobs: [1, 2]\n",
        },
    )
    code, report = check_json(root)
    assert code == 1
    crashed = [item for item in report["results"] if "could not run" in item["message"]]
    assert crashed == []


def test_mh052_says_when_the_params_file_does_not_parse(tmp_path):
    root = build_project(tmp_path / "p", {"params.yaml": "prepare: [\n"})
    code, report = check_json(root)
    message = {item["id"]: item["message"] for item in report["results"]}["MH052"]
    assert code == 1
    assert message.startswith("The params file params.yaml: cannot parse: line 2")
    assert "it does not parse" in message
    assert "Missing parameter" not in message


def test_files_limit_the_checks_of_single_files_to_those_files(tmp_path):
    """The pre-commit hook passes the files of the commit (`--files`): a notebook committed long
    ago is not judged again on every commit."""
    notebook_case = next(c for c in CASES if c.id == "MH030-outputs")
    root = build_project(tmp_path / "p", notebook_case.changes)
    notebook = "notebooks/01-jd-explore-data.ipynb"
    code, report = check_json(root, "--files", str(root / "src/train.py"))
    assert (code, results_by_id(report)["MH030"]) == (0, "skip")
    code, report = check_json(root, "--files", str(root / notebook))
    assert (code, results_by_id(report)["MH030"]) == (1, "fail")


def test_files_run_only_the_checks_they_concern(tmp_path):
    """A check runs when a given file concerns it (its `triggers`, and for MH053 a stage's deps
    and outputs); the cheap checks without triggers always run; the others are skipped unread."""
    root = build_project(tmp_path / "p", {"requirements.txt": "numpy\n"})
    code, report = check_json(root, "--files", "README.md")
    results = results_by_id(report)
    assert code == 0, "a README commit is not refused for an unpinned requirement elsewhere"
    assert results["MH020"] == results["MH053"] == results["MH070"] == "skip"
    assert results["MH002"] == results["MH006"] == results["MH060"] == "pass"
    code, report = check_json(root, "--files", str(root / "requirements.txt"))
    assert (code, results_by_id(report)["MH020"]) == (1, "fail")
    code, report = check_json(root, "--files")  # always_run with no files: the cheap checks only
    assert code == 0
    assert results_by_id(report)["MH053"] == "skip"
    (root / "params.yaml").write_text("prepare:\n  seed: 7\ntrain:\n  n_estimators: 10\n")
    completed = mlops_hygiene("check", "--format", "json", "--files", "src/train.py", cwd=root)
    assert completed.returncode == 1  # file names relative to the current folder, as pre-commit
    assert results_by_id(json.loads(completed.stdout))["MH053"] == "fail"  # train.py is a dep
    code, report = check_json(root, "--files", str(root / "params.yaml"))
    assert (code, results_by_id(report)["MH053"]) == (1, "fail")


def imported_modules(*args: str, cwd: Path, env: dict | None = None) -> set[str]:
    """The modules `mlops-hygiene ARGS` imports (`python -X importtime`)."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlops_hygiene", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return {line.split("|")[-1].strip() for line in completed.stderr.splitlines()}


def test_help_and_explain_do_not_import_repo_review(tmp_path):
    """They start fast: repo-review's processor (markdown_it) is imported only to run checks."""
    for args in (["--help"], ["explain", "MH053"]):
        imported = imported_modules(*args, cwd=tmp_path)
        assert not {"repo_review", "repo_review.processor", "markdown_it"} & imported, args


def test_the_hook_imports_and_runs_only_what_the_commit_needs(tmp_path):
    """The hook's command on a one-file commit runs the checks through repo-review's processor,
    without YAML or packaging when no file needs them, and starts one git process (is this a
    repository)."""
    root = build_project(tmp_path / "p")
    trace = tmp_path / "git-trace"
    imported = imported_modules(
        "check",
        "--quiet",
        "--files",
        "README.md",
        cwd=root,
        env={**os.environ, "GIT_TRACE": str(trace)},
    )
    assert "repo_review.processor" in imported
    for heavy in ("yaml", "packaging"):
        assert heavy not in imported
    git_commands = [line for line in trace.read_text().splitlines() if "built-in: git" in line]
    assert len(git_commands) == 1
    assert "rev-parse" in git_commands[0]
