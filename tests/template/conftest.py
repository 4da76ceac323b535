from pathlib import Path

import pytest

from harness.mirror import build_toolkit_wheel, publish, start_mirror, wheelhouse
from tests.template.engines import copy_template, generate
from tests.template.mirror_contents import template_requirements
from tests.template.project_commands import project_env, run, uv_only_bin
from tests.template.template_repo import clone_working_tree


@pytest.fixture(scope="session")
def template_dir(repo_root: Path, tmp_path_factory) -> Path:
    """A copy of the template as it ships (cookiecutter.json, copier.yml, hooks/, project tree)."""
    return copy_template(repo_root, tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def template_repo(repo_root: Path, tmp_path_factory) -> Path:
    """A git clone of this repository (working tree included), as a user generates from."""
    return clone_working_tree(repo_root, tmp_path_factory.mktemp("clone") / "cookiecutter-mlops")


def reproduced_project(template_repo: Path, folder: Path, answers: dict, uv_bin: Path) -> dict:
    """A project generated from a clone, after `make setup` and `make repro`: a trained model,
    metrics, plot data and figures.
    """
    env = project_env(uv_bin)
    path = generate("cookiecutter", template_repo, folder, answers)
    run(["make", "setup"], path, env)
    run(["make", "repro"], path, env)
    return {"path": path, "env": env, "module": path.name.replace("-", "_"), "slug": path.name}


@pytest.fixture(scope="session")
def shipped_project(template_repo, tmp_path_factory) -> dict:
    """The defaults (uv) after `make repro` (used by the plot, predict and image tests)."""
    uv_bin = uv_only_bin(tmp_path_factory.mktemp("uv-bin"))
    return reproduced_project(template_repo, tmp_path_factory.mktemp("shipped"), {}, uv_bin)


@pytest.fixture(scope="session")
def shipped_venv_project(template_repo, tmp_path_factory) -> dict:
    """A venv project after `make repro` (used by the image tests)."""
    answers = {"project_name": "Venv Model", "env_manager": "venv"}
    folder = tmp_path_factory.mktemp("shipped-venv")
    return reproduced_project(template_repo, folder, answers, None)


@pytest.fixture(scope="session")
def package_mirror(repo_root, template_repo, tmp_path_factory, artifacts_dir):
    """A private package mirror on 127.0.0.1 holding exactly what generated projects install, and
    mlops-hygiene built from this checkout and published with twine (harness/mirror.py)."""
    scratch = tmp_path_factory.mktemp("mirror")
    # The same folder as the multi-node tests' (their conftest.py): filled once per session.
    wheelhouses = tmp_path_factory.getbasetemp() / "wheelhouses"
    house = wheelhouse("template", template_requirements(repo_root), wheelhouses)
    mirror = start_mirror(scratch / "uploads", [house], artifacts_dir / "template-mirror.log")
    try:
        publish(mirror, [build_toolkit_wheel(template_repo, scratch / "dist")])
        yield mirror
    finally:
        mirror.stop()
