"""The private Docker engine and Swarm: reachable only on 127.0.0.1, and gone without a trace after
teardown.
"""

import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.engine import DockerEngine, mounts_below, network_interfaces

pytestmark = pytest.mark.swarm


def listening_addresses(pid: int) -> set[str]:
    """Local addresses of the TCP sockets `pid` listens on (from `ss`)."""
    output = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, check=True).stdout
    return {
        line.split()[3].rsplit(":", 1)[0] for line in output.splitlines() if f"pid={pid}," in line
    }


def test_swarm_listens_on_loopback_only(swarm):
    assert swarm.docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip() == "active"
    addresses = listening_addresses(swarm.process.pid)
    assert addresses, "the swarm manager should listen on 127.0.0.1:2377"
    assert addresses <= {"127.0.0.1"}, f"dockerd listens beyond loopback: {addresses}"


def test_a_second_engine_stops_without_leftovers():
    interfaces = network_interfaces()
    root = Path(tempfile.mkdtemp(prefix="mlops-dockerd-", dir="/tmp"))
    engine = DockerEngine(root=root)
    engine.start()
    try:
        assert engine.docker("info", "--format", "{{.Driver}}").stdout.strip()
        assert mounts_below(root), (
            "dockerd should have mounted its data root (else this test proves nothing)"
        )
    finally:
        engine.stop()
    assert engine.leftovers() == []
    assert network_interfaces() == interfaces
    subprocess.run(["rm", "-rf", str(root)], check=True)


def test_a_dockerd_that_cannot_start_reports_its_log(tmp_path):
    not_a_folder = tmp_path / "data-root-is-a-file"
    not_a_folder.write_text("")
    engine = DockerEngine(
        root=Path(tempfile.mkdtemp(prefix="mlops-dockerd-", dir="/tmp")), data_root=not_a_folder
    )
    try:
        with pytest.raises(RuntimeError, match="dockerd exited"):
            engine.start(timeout=30)
    finally:
        engine.stop()
    assert engine.leftovers() == []
    subprocess.run(["rm", "-rf", str(engine.root)], check=True)
