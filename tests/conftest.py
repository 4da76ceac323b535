"""Shared test settings: offline-friendly, artifacts for people in test-artifacts/."""

import os
from pathlib import Path

import pytest

from tools.wheelhouse import build_hygiene_wheel, environment_with_wheelhouse

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
    """A folder holding the mlops-hygiene wheel built from this checkout (tools/wheelhouse.py)."""
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    build_hygiene_wheel(wheelhouse)
    return wheelhouse


@pytest.fixture(scope="session")
def hygiene_env(hygiene_wheelhouse) -> dict:
    """Environment for commands in a generated project: pip and uv find mlops-hygiene there."""
    return environment_with_wheelhouse(hygiene_wheelhouse)
