"""platform/node-egress-rules in network namespaces: a stand-in for a user's container behind a
bridge named like Docker's `docker_gwbridge`, a node that forwards its traffic, and an "outside"
namespace holding an internet address, the NFS server, a private address, a link-local
(metadata-like) address and an allowed mirror. Before the rules, everything answers (the topology
works); after `apply`, only the internet address and the allowed mirror do, and the node itself no
longer answers the container; after `remove`, everything answers again.

Every probe is sent from inside the user namespace; the test subnets are blackholed in the root
namespace while the fixture lives.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import tcp_listener, tcp_probe
from harness.processes import stop_process

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[3] / "platform" / "node-egress-rules"
PREFIX = f"plat-eg{os.getpid() % 10000}"
NODE, USER, OUTSIDE = f"{PREFIX}-node", f"{PREFIX}-user", f"{PREFIX}-out"
USER_NET, BRIDGE_ADDRESS, USER_ADDRESS = "172.31.250.0/24", "172.31.250.1", "172.31.250.2"
LINK_NET, NODE_LINK, OUTSIDE_LINK = "198.18.250.0/30", "198.18.250.1", "198.18.250.2"
TARGETS = {
    "internet": "198.51.100.10",
    "nfs server": "10.99.250.5",
    "allowed mirror": "10.99.250.6",
    "private address": "192.168.250.7",
    "link-local (metadata)": "169.254.250.7",
}
PORT = 8080
BLACKHOLES = [USER_NET, LINK_NET, *(f"{address}/32" for address in TARGETS.values())]


def run(*command: str, netns: str | None = None, check: bool = True):
    prefix = ["ip", "netns", "exec", netns] if netns else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def topology():
    if os.geteuid() != 0:
        pytest.fail("network namespaces need root")
    listeners, routes, namespaces = [], [], []
    try:
        for subnet in BLACKHOLES:
            run("ip", "route", "add", "blackhole", subnet)
            routes.append(subnet)
        for namespace in (NODE, USER, OUTSIDE):
            run("ip", "netns", "add", namespace)
            namespaces.append(namespace)
            run("ip", "link", "set", "lo", "up", netns=namespace)
        # user <-> node: a veth whose node end is a port of the bridge `docker_gwbridge`
        run(
            "ip",
            "link",
            "add",
            f"{PREFIX}-u",
            "netns",
            USER,
            "type",
            "veth",
            "peer",
            "name",
            "user0",
            "netns",
            NODE,
        )
        run("ip", "link", "add", "docker_gwbridge", "type", "bridge", netns=NODE)
        run("ip", "link", "set", "user0", "master", "docker_gwbridge", "up", netns=NODE)
        run("ip", "address", "add", f"{BRIDGE_ADDRESS}/24", "dev", "docker_gwbridge", netns=NODE)
        run("ip", "link", "set", "docker_gwbridge", "up", netns=NODE)
        run("ip", "address", "add", f"{USER_ADDRESS}/24", "dev", f"{PREFIX}-u", netns=USER)
        run("ip", "link", "set", f"{PREFIX}-u", "up", netns=USER)
        run("ip", "route", "add", "default", "via", BRIDGE_ADDRESS, netns=USER)
        # node <-> outside
        run(
            "ip",
            "link",
            "add",
            "out0",
            "netns",
            NODE,
            "type",
            "veth",
            "peer",
            "name",
            f"{PREFIX}-o",
            "netns",
            OUTSIDE,
        )
        run("ip", "address", "add", f"{NODE_LINK}/30", "dev", "out0", netns=NODE)
        run("ip", "link", "set", "out0", "up", netns=NODE)
        run("ip", "address", "add", f"{OUTSIDE_LINK}/30", "dev", f"{PREFIX}-o", netns=OUTSIDE)
        run("ip", "link", "set", f"{PREFIX}-o", "up", netns=OUTSIDE)
        run("ip", "route", "add", "default", "via", NODE_LINK, netns=OUTSIDE)
        for address in TARGETS.values():
            run("ip", "address", "add", f"{address}/32", "dev", "lo", netns=OUTSIDE)
            run("ip", "route", "add", f"{address}/32", "via", OUTSIDE_LINK, netns=NODE)
        run("sysctl", "-qw", "net.ipv4.ip_forward=1", netns=NODE)
        # What dockerd sets up: the DOCKER-USER chain, first in FORWARD.
        run("iptables", "-N", "DOCKER-USER", netns=NODE)
        run("iptables", "-A", "DOCKER-USER", "-j", "RETURN", netns=NODE)
        run("iptables", "-I", "FORWARD", "-j", "DOCKER-USER", netns=NODE)
        for namespace in (OUTSIDE, NODE):
            listener = [sys.executable, tcp_listener.__file__, str(PORT)]
            process = subprocess.Popen(
                ["ip", "netns", "exec", namespace, *listener], stdout=subprocess.PIPE, text=True
            )
            listeners.append(process)
            # Probing before the listener is up would see every target as "blocked".
            assert process.stdout.readline().strip() == "listening"
        yield
    finally:
        for listener in listeners:
            stop_process(listener)
        for namespace in namespaces:
            run("ip", "netns", "delete", namespace, check=False)
        for subnet in routes:
            run("ip", "route", "delete", "blackhole", subnet, check=False)


def probe() -> dict:
    targets = {**TARGETS, "the node": BRIDGE_ADDRESS}
    result = run(sys.executable, tcp_probe.__file__, json.dumps(targets), str(PORT), netns=USER)
    return json.loads(result.stdout)


def rules(*arguments: str):
    return run(str(SCRIPT), *arguments, netns=NODE, check=False)


def test_users_reach_the_internet_and_allowed_mirrors_only(topology):
    everything_open = dict.fromkeys([*TARGETS, "the node"], "open")
    assert probe() == everything_open  # the topology works without the rules
    applied = rules(
        "apply",
        "--nfs-server",
        TARGETS["nfs server"],
        "--allow",
        f"{TARGETS['allowed mirror']}/32:{PORT}",
    )
    assert applied.returncode == 0, applied.stderr
    try:
        assert probe() == {
            "internet": "open",
            "allowed mirror": "open",
            "nfs server": "blocked",
            "private address": "blocked",
            "link-local (metadata)": "blocked",
            "the node": "blocked",
        }
        again = rules("apply", "--nfs-server", TARGETS["nfs server"])  # replaces, no duplicates
        assert again.returncode == 0, again.stderr
        assert probe()["allowed mirror"] == "blocked"
    finally:
        removed = rules("remove")
    assert removed.returncode == 0, removed.stderr
    assert probe() == everything_open


def test_apply_without_the_nfs_server_or_docker_fails_clearly(topology):
    missing = rules("apply")
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("node-egress-rules: apply needs --nfs-server ADDR")
    no_docker = run(str(SCRIPT), "apply", "--nfs-server", "10.0.0.5", netns=USER, check=False)
    assert no_docker.returncode == 1
    assert "no DOCKER-USER chain" in no_docker.stderr
