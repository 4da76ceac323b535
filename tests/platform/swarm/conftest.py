"""Session fixtures for the Swarm tests: a private dockerd, a single-node Swarm on 127.0.0.1, the platform's images
and the deployed stack. Each is started once per session and torn down even when tests fail; the teardown fails the
run if a process, interface or mount is left behind."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.platform.swarm.engine import DockerEngine

# Set to a folder to keep dockerd's data root (and so the built images and their layer cache) between runs while
# developing; by default everything lives in a temporary folder removed at the end of the session.
KEEP_DATA_ROOT_ENV = "SWARM_TEST_DATA_ROOT"


@pytest.fixture(scope="session")
def docker_engine():
    if os.geteuid() != 0:
        pytest.fail("the swarm tests start dockerd and need root")
    root = Path(tempfile.mkdtemp(prefix="mlops-dockerd-", dir="/tmp"))  # short: the socket path must fit 108 bytes
    kept = os.environ.get(KEEP_DATA_ROOT_ENV)
    engine = DockerEngine(root=root, data_root=Path(kept) if kept else None)
    try:
        engine.start()
        yield engine
    finally:
        engine.stop()
        leftovers = engine.leftovers()
        if not leftovers:
            shutil.rmtree(root, ignore_errors=True)
    assert not leftovers, f"dockerd teardown left: {leftovers}"


@pytest.fixture(scope="session")
def swarm(docker_engine):
    docker_engine.init_swarm()
    try:
        yield docker_engine
    finally:
        docker_engine.leave_swarm()
