"""The `mlops-hygiene check` command: output formats, exit codes, selection, configuration and bad
input."""

from __future__ import annotations

from mlops_hygiene.checks import ALL_CHECKS

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


def test_failure_exit_1_and_text_table_says_how_to_fix(tmp_path):
    root = build_project(tmp_path / "p", {"requirements.txt": "numpy\n"})
    completed = mlops_hygiene("check", root)
    assert completed.returncode == 1
    assert "MH020" in completed.stdout and "✘ fail" in completed.stdout
    assert "numpy" in completed.stdout
    assert "failed" in completed.stdout.splitlines()[-1]
    assert "mlops-hygiene explain MH020" in completed.stdout


def test_explain_prints_the_readme_section_or_refuses_in_one_line():
    completed = mlops_hygiene("explain", "mh020")
    assert completed.returncode == 0
    assert completed.stdout.startswith("### MH020") and "**Fix:**" in completed.stdout
    unknown = mlops_hygiene("explain", "MH999")
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1
    assert_no_traceback(unknown)


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
    assert completed.returncode == 1
    assert completed.stderr.strip() == "mlops-hygiene: error: unknown check id or family: MH999"


def test_missing_path_is_a_one_line_error(tmp_path):
    completed = mlops_hygiene("check", tmp_path / "nowhere")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert (
        completed.stderr.strip()
        == f"mlops-hygiene: error: {tmp_path / 'nowhere'}: no such file or directory"
    )


def test_file_instead_of_folder_is_a_one_line_error(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    completed = mlops_hygiene("fix", tmp_path / "file.txt")
    assert completed.returncode == 1
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
