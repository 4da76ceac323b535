from pathlib import Path

import pytest

from tests.template.engines import copy_template, generate
from tests.template.project_commands import project_env, run


@pytest.fixture(scope="session")
def template_dir(repo_root: Path, tmp_path_factory) -> Path:
    """A copy of the template as it ships (cookiecutter.json, copier.yml, hooks/, project tree)."""
    return copy_template(repo_root, tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def shipped_project(template_dir, tmp_path_factory, hygiene_env) -> dict:
    """A project with the defaults after `make setup` and `make repro`: a trained model, metrics,
    plot data and figures (used by the plot, predict and image tests).
    """
    env = project_env(hygiene_env)
    path = generate("cookiecutter", template_dir, tmp_path_factory.mktemp("shipped"), {}, env)
    run(["make", "setup"], path, env)
    run(["make", "repro"], path, env)
    return {"path": path, "env": env, "module": "my_ml_project"}
