"""A freshly generated project passes every hygiene check, in several option combinations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from repo_review.processor import process

from .project_builder import git
from .run_cli import check_json

pytestmark = pytest.mark.slow

INDEX_URL = "https://nexus.example.invalid/repository/pypi/simple"
# The options that change what the checks see: CI files, package index config, pipeline, Python
# version.
COMBINATIONS = {
    "defaults": {},
    "venv-github-index": {"env_manager": "venv", "ci": "github", "package_index_url": INDEX_URL},
    "uv-gitlab-index-py312": {
        "ci": "gitlab",
        "package_index_url": INDEX_URL,
        "python_version": "3.12",
    },
    "no-ci-no-pipeline": {"ci": "none", "include_example_pipeline": "no", "license": "proprietary"},
    "venv-github-remote": {"env_manager": "venv", "ci": "github", "dvc_remote": "/srv/dvc-remote"},
}


def generate(repo_root: Path, output: Path, options: dict) -> Path:
    cookiecutter = Path(sys.executable).parent / "cookiecutter"
    args = [str(cookiecutter), "--no-input", str(repo_root), "-o", str(output)]
    args += [f"{key}={value}" for key, value in options.items()]
    completed = subprocess.run(args, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (project,) = [path for path in output.iterdir() if path.is_dir()]
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")  # what the project's `make setup` does
    git(project, "add", "-A")  # the checks judge what is in git
    return project


@pytest.fixture(scope="module", params=list(COMBINATIONS))
def generated(request, repo_root, tmp_path_factory) -> tuple[dict, Path]:
    options = COMBINATIONS[request.param]
    return options, generate(repo_root, tmp_path_factory.mktemp(request.param), options)


def test_generated_project_passes_every_check(generated):
    options, project = generated
    code, report = check_json(project)
    failures = {
        item["id"]: item["message"] for item in report["results"] if item["result"] == "fail"
    }
    assert failures == {}
    assert code == 0
    results = {item["id"]: item["result"] for item in report["results"]}
    # The checks that have something to look at in this combination did look at it.
    assert results["MH011"] == ("skip" if options.get("ci") == "none" else "pass")
    assert results["MH080"] == ("pass" if options.get("package_index_url") else "skip")
    assert results["MH051"] == (
        "skip" if options.get("include_example_pipeline") == "no" else "pass"
    )
    assert results["MH071"] == results["MH061"] == results["MH030"] == "pass"


def test_repo_review_agrees_on_the_generated_project(generated):
    _, project = generated
    _, report = check_json(project)
    _, results = process(project)
    by_repo_review = {r.name: r.result for r in results if r.name.startswith("MH")}
    by_cli = {
        item["id"]: {"pass": True, "fail": False, "skip": None}[item["result"]]
        for item in report["results"]
    }
    assert by_repo_review == by_cli
