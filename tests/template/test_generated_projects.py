"""Generated projects work out of the box: setup, hooks, pipeline, tests, formatting (real tools).

Each project is generated and set up once per module and shared by the tests below. `make setup`
installs from the package index, and mlops-hygiene from a wheel built from this checkout
(the `hygiene_env` fixture).
"""

import json

import pytest
import yaml

from tests.template.engines import generate
from tests.template.project_commands import (
    commit_everything,
    git_status,
    project_env,
    run,
)

pytestmark = pytest.mark.slow

PROJECTS = {
    # The defaults: what `cookiecutter <template>` gives (uv, GitLab CI, the example pipeline).
    "defaults": ("cookiecutter", {}),
    "venv-github": (
        "cookiecutter",
        {
            "project_name": "Tumour Classifier",
            "env_manager": "venv",
            "ci": "github",
            "license": "BSD-3-Clause",
            "python_version": "3.11.7",
            "dvc_remote": "/srv/dvc-store",
        },
    ),
    "uv-no-example": (
        "copier",
        {
            "project_name": "Empty Start",
            "ci": "none",
            "include_example_pipeline": False,
            "license": "proprietary",
        },
    ),
}
WITH_PIPELINE = ["defaults", "venv-github"]


@pytest.fixture(scope="module", params=list(PROJECTS))
def project(request, template_dir, tmp_path_factory, hygiene_env):
    """A generated project after `make setup` and a first commit (which runs the git hooks)."""
    engine, answers = PROJECTS[request.param]
    env = project_env(hygiene_env)
    path = generate(engine, template_dir, tmp_path_factory.mktemp(request.param), answers, env)
    setup_output = run(["make", "setup"], path, env)
    commit_output = commit_everything(path, env, "Generated from the template")
    return {
        "name": request.param,
        "path": path,
        "env": env,
        "setup_output": setup_output,
        "commit_output": commit_output,
    }


def test_setup_creates_venv_git_repo_and_hooks(project):
    path, env = project["path"], project["env"]
    assert (path / ".venv/bin/python").exists()
    assert (path / ".git/hooks/pre-commit").exists()
    clean_filter = run(["git", "config", "filter.nbstripout.clean"], path, env)
    assert str(path / ".venv/bin/python") in clean_filter
    manager = "uv venv" if project["name"] != "venv-github" else "-m venv"
    assert manager in project["setup_output"]
    assert (path / ".venv/bin/pip").exists() == (project["name"] == "venv-github")


def test_first_commit_ran_every_hook_and_left_a_clean_tree(project):
    for hook in ("ruff check", "ruff format", "strip notebook outputs", "check YAML syntax"):
        assert hook in project["commit_output"]
    assert "Failed" not in project["commit_output"]
    assert git_status(project["path"]) == ""


def test_pre_commit_passes_on_all_files(project):
    output = run([".venv/bin/pre-commit", "run", "--all-files"], project["path"], project["env"])
    assert "Passed" in output and "Failed" not in output


def test_generated_code_is_already_formatted(project):
    path, env = project["path"], project["env"]
    run([".venv/bin/ruff", "format", "--check", "."], path, env)
    run(["make", "lint"], path, env)
    run(["make", "format"], path, env)
    assert git_status(path) == ""


def test_make_test_passes(project):
    path, env = project["path"], project["env"]
    output = run(["make", "test"], path, env)
    assert " passed" in output and "failed" not in output
    run(["make", "clean"], path, env)
    assert not (path / ".pytest_cache").exists()
    assert not list(path.glob("src/*/__pycache__"))


@pytest.fixture(scope="module")
def reproduced(project):
    """The project after `make repro`, with the results committed (the hooks run on them too)."""
    path, env = project["path"], project["env"]
    output = run(["make", "repro"], path, env)
    commit_everything(path, env, "Run the pipeline")
    return {**project, "repro_output": output}


def test_repro_writes_metrics_and_plots_and_a_second_run_does_nothing(reproduced):
    path, env = reproduced["path"], reproduced["env"]
    if reproduced["name"] not in WITH_PIPELINE:
        assert "Data and pipelines are up to date." in reproduced["repro_output"]
        assert not (path / "reports/metrics.json").exists()
        return
    for stage in ("prepare", "features", "train", "evaluate"):
        assert f"Running stage '{stage}'" in reproduced["repro_output"]
    scores = json.loads((path / "reports/metrics.json").read_text())
    assert set(scores) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    assert scores["accuracy"] > 0.9 and scores["roc_auc"] > 0.95

    plots = run([".venv/bin/dvc", "plots", "show", "--json"], path, env)
    rendered = json.loads(plots)["data"]
    vega = {"reports/plots/confusion_matrix.csv", "reports/plots/roc.csv"}
    figures = {"reports/figures/confusion_matrix.png", "reports/figures/roc.png"}
    assert set(rendered) == vega | figures
    for name, renders in rendered.items():
        assert renders[0]["type"] == ("vega" if name in vega else "image")
        assert renders[0]["content"]["data"]["values"] if name in vega else renders[0]["url"]
    run([".venv/bin/dvc", "plots", "show"], path, env)
    html = (path / "dvc_plots/index.html").read_text()
    assert "ROC curve (test set)" in html and "Confusion matrix (test set)" in html

    second = run(["make", "repro"], path, env)
    assert "Data and pipelines are up to date." in second
    assert "Running stage" not in second
    assert git_status(path) == ""


def test_a_forced_rerun_gives_identical_results(reproduced):
    path, env = reproduced["path"], reproduced["env"]
    metrics = path / "reports/metrics.json"
    first = metrics.read_bytes() if metrics.exists() else None
    project_python_first = {**env, "PATH": f"{path}/.venv/bin:{env['PATH']}"}
    output = run([".venv/bin/dvc", "repro", "--force"], path, project_python_first)
    assert ("Running stage 'train'" in output) == (reproduced["name"] in WITH_PIPELINE)
    assert (metrics.read_bytes() if metrics.exists() else None) == first
    assert git_status(path) == ""


def test_pipeline_lists_its_scripts_and_params(reproduced):
    path = reproduced["path"]
    if reproduced["name"] not in WITH_PIPELINE:
        assert not (path / "dvc.lock").exists()
        return
    lock = yaml.safe_load((path / "dvc.lock").read_text())
    assert list(lock["stages"]) == ["prepare", "features", "train", "evaluate"]
    assert lock["stages"]["train"]["params"]["params.yaml"]["seed"] == 42
