"""Generated projects work out of the box: setup, hooks, pipeline, tests, formatting (real tools).

Each project is generated from a git clone of this repository (by `git+file://` URL or by path, as
a user does) and set up once per module, then shared by the tests below. `make setup` installs from
the package index and mlops-hygiene from that clone at the revision the project was generated
from: no wheelhouse, no harness tools in the project's environment.
"""

import json
import os

import pytest
import yaml

from tests.template.engines import generate
from tests.template.project_commands import (
    TOOLS_BIN,
    commit_everything,
    git_status,
    project_env,
    run,
    uv_only_bin,
)
from tests.template.template_repo import head_revision

pytestmark = pytest.mark.slow

# name: (engine, how the template is given, answers)
PROJECTS = {
    # The defaults: what `cookiecutter <template>` gives (uv, GitLab CI, the example pipeline).
    "defaults": ("cookiecutter", "git-url", {}),
    "venv-github": (
        "cookiecutter",
        "path",
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
        "path",
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
def project(request, template_repo, tmp_path_factory):
    """A generated project after `make setup` and a first commit (which runs the git hooks)."""
    engine, form, answers = PROJECTS[request.param]
    template = f"git+file://{template_repo}" if form == "git-url" else template_repo
    env = project_env(uv_only_bin(tmp_path_factory.mktemp("uv-bin")))
    path = generate(engine, template, tmp_path_factory.mktemp(request.param), answers)
    setup_output = run(["make", "setup"], path, env)
    commit_output = commit_everything(path, env, "Generated from the template")
    return {
        "name": request.param,
        "path": path,
        "env": env,
        "revision": head_revision(template_repo),
        "setup_output": setup_output,
        "commit_output": commit_output,
    }


def test_setup_creates_venv_git_repo_and_hooks(project):
    path, env = project["path"], project["env"]
    assert (path / ".venv/bin/python").exists()
    assert (path / ".git/hooks/pre-commit").exists()
    clean_filter = run(["git", "config", "filter.nbstripout.clean"], path, env)
    assert str(path / ".venv/bin/python") in clean_filter
    uses_uv = project["name"] != "venv-github"
    assert ("uv sync --locked" in project["setup_output"]) == uses_uv
    assert (path / ".venv/bin/pip").exists() == (not uses_uv)
    assert not (path / ".tools").exists()  # uv was on PATH: nothing bootstrapped


def test_setup_wrote_lock_files_that_are_committed(project):
    path, env = project["path"], project["env"]
    locks = (
        ["uv.lock"]
        if project["name"] != "venv-github"
        else ["requirements.lock", "requirements-dev.lock"]
    )
    tracked = run(["git", "ls-files"], path, env).splitlines()
    for lock in locks:
        assert lock in tracked
    if project["name"] == "venv-github":
        runtime = (path / "requirements.lock").read_text()
        assert "scikit-learn==" in runtime and "--hash=sha256:" in runtime
        assert "numpy==" in (path / "requirements-dev.lock").read_text()


def test_the_toolkit_is_the_template_repository_at_its_revision(project):
    path, env = project["path"], project["env"]
    code = (
        "import importlib.metadata as m;"
        "print(m.distribution('mlops-hygiene').read_text('direct_url.json'))"
    )
    direct_url = json.loads(run([".venv/bin/python", "-c", code], path, env))
    assert direct_url["vcs_info"]["commit_id"] == project["revision"]
    assert direct_url["url"].endswith("cookiecutter-mlops")


def test_first_commit_ran_every_hook_and_left_a_clean_tree(project):
    for hook in ("ruff check", "ruff format", "mlops-hygiene check", "check YAML syntax"):
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


def test_the_example_notebook_runs_on_the_project_kernel_and_keeps_its_outputs(
    reproduced, tmp_path
):
    """`make kernel`, then the notebook executed in place and committed (the issue's repro)."""
    path = reproduced["path"]
    env = {**reproduced["env"], "JUPYTER_DATA_DIR": str(tmp_path / "jupyter")}
    kernel_name = yaml.safe_load(
        (path / "Makefile").read_text().split("KERNEL_NAME := ")[1].split("\n")[0]
    )
    run(["make", "kernel"], path, env)
    spec = json.loads((tmp_path / "jupyter/kernels" / kernel_name / "kernel.json").read_text())
    assert spec["argv"][0] == str(path / ".venv/bin/python")

    notebook = path / "notebooks/00-example-explore-dataset.ipynb"
    assert json.loads(notebook.read_text())["metadata"]["kernelspec"]["name"] == kernel_name
    nbconvert = [
        str(TOOLS_BIN / "jupyter"),
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--inplace",
    ]
    run(
        [*nbconvert, str(notebook.relative_to(path))],
        path,
        {**env, "PATH": f"{TOOLS_BIN}:{env['PATH']}"},
    )
    executed = json.loads(notebook.read_text())
    outputs = [cell["outputs"] for cell in executed["cells"] if cell["cell_type"] == "code"]
    assert all(outputs), "every code cell has an output"
    if reproduced["name"] in WITH_PIPELINE:
        metrics = json.loads((path / "reports/metrics.json").read_text())
        assert repr(metrics["accuracy"]) in "".join(outputs[-1][0]["data"]["text/plain"])

    commit_everything(path, env, "Explore the results")
    assert json.loads(notebook.read_text()) == executed  # the working copy keeps its outputs
    stored = json.loads(run(["git", "show", f"HEAD:{notebook.relative_to(path)}"], path, env))
    assert all(cell.get("outputs", []) == [] for cell in stored["cells"])
    assert git_status(path) == ""


def test_editing_config_reruns_every_stage_that_imports_it(reproduced):
    path, env = reproduced["path"], reproduced["env"]
    if reproduced["name"] not in WITH_PIPELINE:
        pytest.skip("no pipeline stages")
    config = next(path.glob("src/*/config.py"))
    original = config.read_text()
    try:
        config.write_text(original + "\n# a change a stage must see\n")
        status = run([".venv/bin/dvc", "status"], path, env)
        for stage in ("prepare", "features", "train", "evaluate"):
            assert f"{stage}:" in status, status
        assert status.count("modified:") == 4 and "config.py" in status
    finally:
        config.write_text(original)
    assert "up to date" in run([".venv/bin/dvc", "status"], path, env)


def test_day_two_dvc_commands_of_the_readme(reproduced, tmp_path):
    """dvc add, a remote, push, a colleague's clone + pull + no-op repro, experiments, diffs."""
    path, env = reproduced["path"], reproduced["env"]
    if reproduced["name"] not in WITH_PIPELINE:
        pytest.skip("the experiment commands need the example pipeline")
    readme = (path / "README.md").read_text()
    for command in (
        "dvc add",
        "dvc remote add",
        "dvc push",
        "dvc pull",
        "dvc exp run -S",
        "dvc exp show",
        "dvc params diff",
        "dvc metrics diff",
    ):
        assert command in readme, command
    project_python = {**env, "PATH": f"{path}/.venv/bin{os.pathsep}{env['PATH']}"}
    dvc = str(path / ".venv/bin/dvc")

    (path / "data/raw/patients.csv").write_text("id,age\n1,54\n2,61\n")
    run([dvc, "add", "data/raw/patients.csv"], path, env)
    remote = tmp_path / "dvc-remote"
    run([dvc, "remote", "add", "--force", "--default", "storage", str(remote)], path, env)
    commit_everything(path, env, "Raw data under DVC, a remote")
    tracked = run(["git", "ls-files", "data/raw"], path, env).splitlines()
    assert "data/raw/patients.csv.dvc" in tracked and "data/raw/patients.csv" not in tracked
    run([dvc, "push"], path, env)
    assert any(remote.rglob("*"))

    colleague = tmp_path / "colleague"
    run(["git", "clone", "--quiet", str(path), str(colleague)], tmp_path, env)
    run([dvc, "pull"], colleague, project_python)
    assert (colleague / "data/raw/patients.csv").read_text() == "id,age\n1,54\n2,61\n"
    assert (colleague / "models/model.joblib").read_bytes() == (
        path / "models/model.joblib"
    ).read_bytes()
    assert "Data and pipelines are up to date." in run([dvc, "repro"], colleague, project_python)

    run([dvc, "exp", "run", "-S", "train.C=0.05"], path, project_python)
    experiments = run([dvc, "exp", "show", "--csv"], path, env)
    assert "train.C" in experiments and "0.05" in experiments
    params_diff = run([dvc, "params", "diff"], path, env)
    assert "train.C" in params_diff and "0.05" in params_diff
    metrics_diff = run([dvc, "metrics", "diff"], path, env)
    assert "reports/metrics.json" in metrics_diff and "accuracy" in metrics_diff
