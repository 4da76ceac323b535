"""Shared test settings: offline-friendly, artifacts for people in test-artifacts/, and the
session's one private Docker engine (the Swarm tests and the model image tests share it and its
images).
"""

import os
from pathlib import Path

import pytest

from harness.engine import running_engine

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

# Set to a folder to keep dockerd's data root (and so the built images and their layer cache)
# between runs while developing; by default everything lives in a temporary folder removed at the
# end of the session.
KEEP_DATA_ROOT_ENV = "SWARM_TEST_DATA_ROOT"

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
def docker_engine():
    """A private dockerd, started on first use and stopped at the end of the session."""
    try:
        yield from running_engine("the swarm tests", KEEP_DATA_ROOT_ENV)
    except RuntimeError as error:
        pytest.fail(str(error))
