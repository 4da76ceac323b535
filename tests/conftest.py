"""Shared test settings: every test runs offline-friendly and leaves artifacts in test-artifacts/."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

os.environ.setdefault("DVC_NO_ANALYTICS", "1")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save things a person may want to look at (screenshots, logs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def hygiene_wheelhouse(tmp_path_factory) -> Path:
    """A folder holding the mlops-hygiene wheel built from this checkout.

    Generated projects pin `mlops-hygiene` in requirements-dev.txt and their pre-commit hooks; teams publish it to
    their package index. Here nothing is published, so tests point pip and uv at this folder
    (see `hygiene_env`).
    """
    import subprocess
    import sys

    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheelhouse), str(REPO_ROOT)],
        check=True,
    )
    # uv caches wheels by name and version, and the version stays 0.1.0: without this, generated
    # projects would install a wheel built from an older checkout.
    subprocess.run(
        [str(Path(sys.executable).parent / "uv"), "cache", "clean", "mlops-hygiene"],
        check=True,
        capture_output=True,
    )
    return wheelhouse


@pytest.fixture(scope="session")
def hygiene_env(hygiene_wheelhouse) -> dict:
    """Environment for commands run in a generated project: finds mlops-hygiene in the local wheelhouse."""
    env = dict(os.environ)
    links = " ".join(filter(None, [str(hygiene_wheelhouse), env.get("PIP_FIND_LINKS")]))
    env["PIP_FIND_LINKS"] = links
    env["UV_FIND_LINKS"] = ",".join(links.split())
    env["DVC_NO_ANALYTICS"] = "1"
    return env
