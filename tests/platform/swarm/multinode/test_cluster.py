"""The multi-node test cluster itself: nodes in their own namespaces, a subnet nobody outside can
route to, and a teardown that leaves nothing, even after a node crashed."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.multinode.cluster import (
    CGROUP_ROOT,
    Cluster,
    free_network,
    in_netns,
    ip,
    reap_killed_runs,
    remove_cgroup,
)

pytestmark = pytest.mark.swarm

NAMESPACES = ("net", "mnt", "uts", "pid")


def test_the_node_subnet_is_a_blackhole_in_the_root_namespace(cluster):
    assert ip("route", "show", cluster.subnet).stdout.startswith(f"blackhole {cluster.subnet}")
    # From the root namespace a node address goes nowhere, not to the default gateway.
    assert ip("route", "get", cluster.manager.address, check=False).returncode != 0


def test_nodes_reach_each_other_only_on_their_subnet(cluster):
    for node in cluster.nodes.values():
        assert in_netns(node.netns, "ip", "route", "show", "default").stdout == ""
        assert in_netns(node.netns, "ip", "route", "get", "192.0.2.1").returncode != 0
    # Swarm's gossip port on a worker, from the lan namespace.
    probe = f"exec 3<>/dev/tcp/{cluster.workers[1].address}/7946"
    reached = in_netns(cluster.lan, "timeout", "5", "bash", "-c", probe)
    assert reached.returncode == 0, reached.stderr


def test_each_node_is_a_dockerd_in_namespaces_of_its_own(cluster):
    own = {kind: os.readlink(f"/proc/self/ns/{kind}") for kind in NAMESPACES}
    seen = set()
    for name, node in cluster.nodes.items():
        init = node.init_pid()
        assert init, f"{name}: no tini found by command line"
        assert node.dockerd_pid(), f"{name}: no dockerd found by command line"
        namespaces = {kind: os.readlink(f"/proc/{init}/ns/{kind}") for kind in NAMESPACES}
        assert all(namespaces[kind] != own[kind] for kind in NAMESPACES), namespaces
        seen.add(tuple(namespaces.values()))
        assert node.docker("info", "--format", "{{.Name}}").stdout.strip() == name
    assert len(seen) == len(cluster.nodes)
    states = cluster.node_states()
    assert states == dict.fromkeys(cluster.nodes, ("Ready", "Active"))


def sleeper_image_archive(folder: Path) -> Path:
    """A rootfs tarball with only this machine's `sleep` and the C library it loads."""
    rootfs = folder / "rootfs"
    for path in (
        "/bin/sleep",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
    ):
        (rootfs / path[1:]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, rootfs / path[1:])
    (rootfs / "lib64").mkdir()
    (rootfs / "lib64/ld-linux-x86-64.so.2").symlink_to("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
    return Path(shutil.make_archive(str(folder / "sleeper"), "tar", rootfs))


def test_teardown_leaves_nothing_even_after_a_node_crashed():
    """A one-node cluster on its own subnet runs a container, crashes (SIGKILL to its PID 1) and is
    torn down: no process, namespace, interface, route, mount or cgroup remains."""
    root = Path(tempfile.mkdtemp(prefix="mn-", dir="/tmp"))
    crashed = Cluster(root=root, prefix=f"mnt{os.getpid()}", node_names=("manager",))
    try:
        crashed.start()
        node = crashed.manager
        node.docker("import", str(sleeper_image_archive(root)), "sleeper")
        node.docker("run", "-d", "--name", "sleeper", "sleeper", "/bin/sleep", "600")
        assert crashed.cgroup_folders(), "the container's cgroups are not under the node's parent"
        node.crash()
        assert node.init_pid() is None
        assert crashed.stray_processes() == []  # the PID namespace died whole
    finally:
        crashed.stop()
        left = crashed.leftovers()
        shutil.rmtree(root, ignore_errors=True)
    assert left == []
    assert not any(name.startswith(crashed.prefix) for name in os.listdir("/run/netns"))


def dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_a_killed_runs_namespaces_and_route_are_reaped_and_its_subnet_skipped():
    """A run killed mid-session (CI stopped, machine snapshotted) leaves its namespaces and its
    blackhole route and cgroups: the next cluster removes them and never takes a routed subnet."""
    stale_network = free_network()
    prefix = f"mnt{dead_pid()}"
    lan = f"{prefix}-lan"
    cgroup = next(CGROUP_ROOT.glob("*/")) / f"{prefix}-manager"
    (cgroup / "child").mkdir(parents=True)
    ip("netns", "add", lan)
    try:
        ip("link", "add", "br0", "type", "bridge", netns=lan)
        ip("addr", "add", f"{stale_network}.1/24", "dev", "br0", netns=lan)
        ip("route", "add", "blackhole", f"{stale_network}.0/24")
        assert free_network() != stale_network
        reap_killed_runs()
        assert lan not in os.listdir("/run/netns")
        assert ip("route", "show", f"{stale_network}.0/24").stdout.strip() == ""
        assert free_network() == stale_network
        assert not cgroup.exists()
    finally:
        if cgroup.exists():
            remove_cgroup(cgroup)
        ip("netns", "delete", lan, check=False)
        ip("route", "del", "blackhole", f"{stale_network}.0/24", check=False)
