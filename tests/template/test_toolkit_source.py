"""Generated projects get mlops-hygiene from where the template came from, at its exact revision.

cookiecutter and copier, by path and by `git+file://` URL (both engines need the `git+` to know a
local URL is git): the template's git repository and the revision rendered. A template that is not
a git repository: its folder. With a package index: the index, by version. Both engines agree.
"""

import pytest
import tomllib

from tests.template.engines import generate
from tests.template.questions import choices
from tests.template.template_repo import head_revision

SOURCES = [
    ("cookiecutter", "path"),
    ("cookiecutter", "git-url"),
    ("copier", "path"),
    ("copier", "git-url"),
]


def _template_argument(template_repo, form: str) -> str:
    return {
        "path": str(template_repo),
        "git-url": f"git+file://{template_repo}",
    }[form]


def _uv_source(project) -> dict | None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    return pyproject.get("tool", {}).get("uv", {}).get("sources", {}).get("mlops-hygiene")


@pytest.mark.parametrize(("engine", "form"), SOURCES, ids=[f"{e}-{f}" for e, f in SOURCES])
def test_the_toolkit_comes_from_the_template_repository_at_its_revision(
    template_repo, tmp_path, engine, form
):
    template = _template_argument(template_repo, form)
    revision = head_revision(template_repo)
    uv_project = generate(engine, template, tmp_path / "uv", {"ci": "none"})
    assert _uv_source(uv_project) == {"git": f"file://{template_repo}", "rev": revision}

    venv_project = generate(engine, template, tmp_path / "venv", {"env_manager": "venv"})
    requirement = f"mlops-hygiene @ git+file://localhost{template_repo}@{revision}"
    assert requirement in (venv_project / "requirements-dev.txt").read_text().splitlines()
    assert f"`file://{template_repo}`" in (venv_project / "README.md").read_text()


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_a_template_folder_without_git_is_the_source(template_dir, tmp_path, engine):
    uv_project = generate(engine, template_dir, tmp_path / "uv", {})
    assert _uv_source(uv_project) == {"path": str(template_dir)}
    venv_project = generate(engine, template_dir, tmp_path / "venv", {"env_manager": "venv"})
    requirement = f"mlops-hygiene @ file://{template_dir}"
    assert requirement in (venv_project / "requirements-dev.txt").read_text().splitlines()


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_with_a_package_index_the_toolkit_comes_from_it_by_version(
    template_repo, repo_root, tmp_path, env_manager
):
    answers = {"env_manager": env_manager, "package_index_url": "https://nexus.example.com/simple"}
    project = generate("cookiecutter", template_repo, tmp_path, answers)
    version = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]["version"]
    assert _uv_source(project) is None
    if env_manager == "uv":
        dev_tools = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]
        assert f"mlops-hygiene=={version}" in dev_tools["dev"]
    else:
        lines = (project / "requirements-dev.txt").read_text().splitlines()
        assert f"mlops-hygiene=={version}" in lines
        assert not any(line.startswith("mlops-hygiene @") for line in lines)
