"""The files that point a generated project at its package index (fast; the projects that run
against a real mirror are in test_airgapped_project.py)."""

import configparser

import pytest
import tomllib
import yaml

from tests.template.engines import generate
from tests.template.questions import choices

INDEX = "https://nexus.example.com/repository/pypi/simple/"
CI_FILES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/ci.yml"}


@pytest.mark.parametrize("ci", ["gitlab", "github"])
@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_ci_uses_the_index_through_one_variable(ci, env_manager, template_dir, tmp_path):
    answers = {"env_manager": env_manager, "ci": ci, "package_index_url": INDEX}
    project = generate("cookiecutter", template_dir, tmp_path, answers)
    text = (project / CI_FILES[ci]).read_text()
    workflow = yaml.safe_load(text)
    variables = workflow["variables"] if ci == "gitlab" else workflow["jobs"]["check"]["env"]

    assert text.count(INDEX) == 1
    assert [name for name, value in variables.items() if value == INDEX] == ["PIP_INDEX_URL"]
    # The Makefile takes CI's variable for pip and names the same index by default.
    assert (
        f"PACKAGE_INDEX_URL := {INDEX}\nexport PIP_INDEX_URL ?= $(PACKAGE_INDEX_URL)\n"
        in (project / "Makefile").read_text()
    )
    if env_manager == "uv":
        assert tomllib.loads((project / "uv.toml").read_text())["index"] == [
            {"url": INDEX, "default": True}
        ]
    else:
        config = configparser.ConfigParser()
        config.read(project / "pip.conf")
        assert config["global"]["index-url"] == INDEX


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_the_readme_says_how_each_tool_finds_the_index(env_manager, template_dir, tmp_path):
    answers = {"env_manager": env_manager, "package_index_url": INDEX}
    readme = (generate("cookiecutter", template_dir, tmp_path, answers) / "README.md").read_text()
    section = readme.split("**Package index.**")[1].split("\n\n**")[0]

    for tool in ["- pip:", "- pre-commit:", "- DVC", "- CI:", "- Docker"]:
        assert tool in section, section
    assert ("- uv:" in section) == (env_manager == "uv")
    assert "UV_PYTHON_DOWNLOADS=never" in section or env_manager == "venv"
    assert INDEX in section


def test_without_an_index_nothing_names_one(template_dir, tmp_path):
    project = generate("cookiecutter", template_dir, tmp_path, {})
    assert "**Package index.**" not in (project / "README.md").read_text()
    assert "PIP_INDEX_URL" not in (project / "Makefile").read_text()
    assert "PIP_INDEX_URL" not in (project / ".gitlab-ci.yml").read_text()
