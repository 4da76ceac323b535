"""A multi-node Docker Swarm on one machine: each node a dockerd in its own network, mount, UTS and
PID namespace, the nodes joined over a bridge in a network namespace of the tests ("lan").

    root namespace          lan namespace (bridge, 10.213.0.1: the tests' client and slapd)
       blackhole route  ─┬─ veth ── manager (10.213.0.11)
       for the subnet    ├─ veth ── worker1 (10.213.0.12)
                         └─ veth ── worker2 (10.213.0.13)

No packet of the tests leaves these namespaces: the node namespaces have no default route, the
veths are created inside the lan namespace (nothing appears in the root namespace), and the root
namespace has a blackhole route for the subnet while the cluster lives, so a probe sent from the
wrong namespace fails instead of going to the machine's default gateway. The docker CLI talks to
each node over its unix socket (a file, reachable from anywhere).

A node's PID 1 is tini with dockerd as its only child: SIGKILL to tini takes the node down whole
(dockerd, containerd, every container), as a crashed machine. Containers' cgroups live under
/<prefix>-<node> in every controller so that teardown can remove what a crash leaves.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from harness.engine import DOCKERD, OWNER_FILE, mounts_of_killed_runs, run_docker
from harness.processes import pids_where

NETWORKS = "10.213"  # each cluster takes a free /24 of 10.213.0.0/16: lan .1, nodes .11, .12, ...
# A cluster's namespaces are named <letters><pid of the test process>-<node>, e.g. mn4242-manager.
NAMESPACE_OF_A_RUN = re.compile(r"^mn[a-z]*(\d+)-[a-z0-9]+$")
CGROUP_ROOT = Path("/sys/fs/cgroup")
TINI = "/usr/bin/tini"

# Runs in the node's new mount and UTS namespaces, already inside its network namespace. A fresh
# sysfs shows the node's own network devices (dockerd reads them); it hides the cgroup mounts
# under /sys, so they are moved aside and back first.
NODE_INIT = """\
set -eu
hostname "$NODE_NAME"
mkdir -p "$NODE_ROOT/cgroup"
mount --rbind /sys/fs/cgroup "$NODE_ROOT/cgroup"
mount -t sysfs sysfs /sys
mount --rbind "$NODE_ROOT/cgroup" /sys/fs/cgroup
exec "$@"
"""


def ip(*args: str, netns: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    command = ["ip", "netns", "exec", netns, "ip", *args] if netns else ["ip", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result


def in_netns(netns: str, *command: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run a command inside a network namespace of the cluster (probes go out from there)."""
    return subprocess.run(
        ["ip", "netns", "exec", netns, *command], capture_output=True, text=True, timeout=timeout
    )


def cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").rstrip("\0").split("\0")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@dataclass
class Node:
    name: str
    address: str
    netns: str
    root: Path
    cgroup_parent: str
    process: subprocess.Popen | None = None  # `unshare`, the parent of the node's PID 1

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def log_file(self) -> Path:
        return self.root / "dockerd.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DOCKER_CONTEXT"}
        return {**env, "DOCKER_HOST": f"unix://{self.socket}"}

    def docker(self, *args: str, check: bool = True, timeout: float = 120, **kwargs):
        env = {**self.env(), **kwargs.pop("env", {})}
        return run_docker(
            args, env, check=check, timeout=timeout, label=f"[{self.name}] ", **kwargs
        )

    def start(self, timeout: float = 60) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for stale in (self.root / "dockerd.pid", self.socket):
            stale.unlink(missing_ok=True)
        shutil.rmtree(self.root / "exec", ignore_errors=True)  # a crashed node's leftovers
        init_script = self.root / "node-init.sh"
        init_script.write_text(NODE_INIT)
        dockerd = [
            DOCKERD,
            f"--data-root={self.root / 'data'}",
            f"--exec-root={self.root / 'exec'}",
            f"--pidfile={self.root / 'dockerd.pid'}",
            f"--host=unix://{self.socket}",
            f"--cgroup-parent=/{self.cgroup_parent}",
            "--bridge=none",
            # What platform/README.md asks of the nodes running users' servers (daemon.json).
            "--no-new-privileges",
        ]
        command = [
            "unshare",
            "--mount",
            "--uts",
            "--pid",
            "--fork",
            "--kill-child",
            "--mount-proc",
            "--propagation",
            "slave",
            "--",
            "nsenter",
            f"--net=/run/netns/{self.netns}",
            "--",
            "sh",
            str(init_script),
            TINI,
            "--",
            *dockerd,
        ]
        env = {
            **os.environ,
            "NODE_NAME": self.name,
            "NODE_ROOT": str(self.root),
            # Without it every task waits ~20 s trying to pull from a registry this machine lacks.
            "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1",
        }
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name} exited:\n{self.log_tail()}")
            if self.socket.exists() and self.docker("version", check=False).returncode == 0:
                return
            time.sleep(0.3)
        raise RuntimeError(f"node {self.name}: dockerd did not answer:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_file.exists():
            return ""
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def init_pid(self) -> int | None:
        """The host PID of the node's PID 1 (tini), checked by its command line."""
        if self.process is None or self.process.poll() is not None:
            return None
        for pid in children(self.process.pid):
            line = cmdline(pid)
            if line[:2] == [TINI, "--"] and f"--data-root={self.root / 'data'}" in line:
                return pid
        return None

    def dockerd_pid(self) -> int | None:
        init = self.init_pid()
        for pid in children(init) if init else []:
            line = cmdline(pid)
            if line[:1] == [DOCKERD] and f"--data-root={self.root / 'data'}" in line:
                return pid
        return None

    def crash(self) -> None:
        """SIGKILL the node's PID 1: the kernel kills every process of its PID namespace."""
        pid = self.init_pid()
        assert pid, f"node {self.name} has no running init"
        os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self) -> None:
        """SIGTERM dockerd, found by PID and checked by command line."""
        dockerd = self.dockerd_pid()
        if dockerd:
            os.kill(dockerd, signal.SIGTERM)

    def wait_or_kill(self, timeout: float) -> None:
        """Wait for the node to end (tini exits with dockerd), else SIGKILL its PID 1."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            init = self.init_pid()
            if init:
                os.kill(init, signal.SIGKILL)
            self.process.wait(timeout=30)


@dataclass
class Cluster:
    """The namespaces, nodes and Swarm; everything named with `prefix`, stored below `root`."""

    root: Path
    prefix: str
    node_names: tuple[str, ...] = ("manager", "worker1", "worker2")
    network: str = ""  # the /24's first three octets; a free one when empty
    nodes: dict[str, Node] = field(default_factory=dict)
    interfaces_before: set[str] = field(default_factory=set)
    created_route: bool = False
    mounted_root: bool = False

    @property
    def lan(self) -> str:
        return f"{self.prefix}-lan"

    @property
    def subnet(self) -> str:
        return f"{self.network}.0/24"

    @property
    def lan_address(self) -> str:
        return f"{self.network}.1"

    @property
    def manager(self) -> Node:
        return self.nodes["manager"]

    @property
    def workers(self) -> list[Node]:
        return [node for name, node in self.nodes.items() if name != "manager"]

    def build_network(self) -> None:
        self.interfaces_before = set(os.listdir("/sys/class/net"))
        reap_killed_runs()
        self.network = self.network or free_network()
        if ip("route", "show", self.subnet).stdout.strip():
            raise RuntimeError(
                f"{self.subnet} is already routed here; refusing to use it for the tests"
            )
        ip("route", "add", "blackhole", self.subnet)
        self.created_route = True
        ip("netns", "add", self.lan)
        ip("link", "set", "lo", "up", netns=self.lan)
        ip("link", "add", "br0", "type", "bridge", netns=self.lan)
        ip("addr", "add", f"{self.lan_address}/24", "dev", "br0", netns=self.lan)
        ip("link", "set", "br0", "up", netns=self.lan)
        for index, name in enumerate(self.node_names):
            netns = f"{self.prefix}-{name}"
            ip("netns", "add", netns)
            ip("link", "set", "lo", "up", netns=netns)
            port = f"port{index}"
            ip(
                "link",
                "add",
                port,
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                netns,
                netns=self.lan,
            )
            ip("link", "set", port, "master", "br0", netns=self.lan)
            ip("link", "set", port, "up", netns=self.lan)
            address = f"{self.network}.{11 + index}"
            ip("addr", "add", f"{address}/24", "dev", "eth0", netns=netns)
            ip("link", "set", "eth0", "up", netns=netns)
            self.nodes[name] = Node(name, address, netns, self.root / name, f"{self.prefix}-{name}")

    def start(self) -> None:
        # The nodes' data roots (three copies of the images) live in memory: removing gigabytes of
        # image layers from disk takes minutes on this machine, unmounting a tmpfs does not.
        self.root.mkdir(parents=True, exist_ok=True)
        tmpfs = ["mount", "-t", "tmpfs", "-o", "size=12g,mode=0755", "tmpfs", str(self.root)]
        subprocess.run(tmpfs, check=True)
        self.mounted_root = True
        (self.root / OWNER_FILE).write_text(str(os.getpid()))
        self.build_network()
        for node in self.nodes.values():
            node.start()

    def init_swarm(self) -> None:
        manager = self.manager
        manager.docker(
            "swarm",
            "init",
            "--advertise-addr",
            manager.address,
            "--listen-addr",
            f"{manager.address}:2377",
            "--dispatcher-heartbeat",
            "1s",
        )
        token = manager.docker("swarm", "join-token", "-q", "worker").stdout.strip()
        for worker in self.workers:
            self.join(worker, token)
        self.wait_nodes_ready(len(self.nodes))

    def join(self, worker: Node, token: str | None = None) -> None:
        token = token or self.manager.docker("swarm", "join-token", "-q", "worker").stdout.strip()
        worker.docker(
            "swarm",
            "join",
            "--token",
            token,
            "--advertise-addr",
            worker.address,
            "--listen-addr",
            f"{worker.address}:2377",
            f"{self.manager.address}:2377",
        )

    def node_states(self) -> dict[str, tuple[str, str]]:
        """hostname -> (status, availability), as the manager sees them."""
        out = self.manager.docker(
            "node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.Availability}}"
        ).stdout
        return {name: (status, avail) for name, status, avail in map(str.split, out.splitlines())}

    def wait_nodes_ready(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.node_states()
            if sum(status == "Ready" for status, _ in states.values()) >= count:
                return
            time.sleep(0.5)
        raise TimeoutError(f"{count} nodes not Ready within {timeout:.0f} s: {self.node_states()}")

    def load_images(self, archive: Path, nodes: list[Node]) -> None:
        """`docker load` into every node at once."""
        with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
            list(pool.map(lambda node: node.docker("load", "-i", str(archive), timeout=600), nodes))

    def stop(self) -> None:
        """Stop every node by PID, then remove namespaces, route, cgroups and files."""
        # dockerd stops its containers first (10 s at most each, in parallel): the nodes together.
        for node in self.nodes.values():
            node.terminate()
        deadline = time.monotonic() + 20
        for node in self.nodes.values():
            # Keep tearing down the rest; leftovers() reports what remains.
            with contextlib.suppress(Exception):
                node.wait_or_kill(deadline - time.monotonic())
        for pid in self.stray_processes():
            if str(self.root) in " ".join(cmdline(pid)):
                os.kill(pid, signal.SIGKILL)
        for netns in [f"{self.prefix}-{name}" for name in self.node_names] + [self.lan]:
            if Path(f"/run/netns/{netns}").exists():
                ip("netns", "delete", netns, check=False)
        if self.created_route:
            ip("route", "del", "blackhole", self.subnet, check=False)
            self.created_route = False
        for folder in self.cgroup_folders():
            remove_cgroup(folder)
        if self.mounted_root:
            subprocess.run(["umount", str(self.root)], check=False, capture_output=True)
            self.mounted_root = False

    def cgroup_folders(self) -> list[Path]:
        return sorted(CGROUP_ROOT.glob(f"*/{self.prefix}-*"))

    def stray_processes(self) -> list[int]:
        marker = str(self.root).encode()
        return pids_where(lambda entry: marker in (entry / "cmdline").read_bytes())

    def leftovers(self) -> list[str]:
        """What the cluster left: processes, namespaces, interfaces, routes, mounts, cgroups."""
        found = [f"process {pid}: {' '.join(cmdline(pid))[:120]}" for pid in self.stray_processes()]
        found += (
            [
                f"network namespace {name}"
                for name in os.listdir("/run/netns")
                if name.startswith(self.prefix + "-")
            ]
            if Path("/run/netns").is_dir()
            else []
        )
        # The cluster creates its interfaces inside its namespaces; one in the root namespace would
        # be a bug. (Other engines on this machine add docker_gwbridge and veths there: not ours.)
        found += [
            f"interface {name}"
            for name in sorted(set(os.listdir("/sys/class/net")) - self.interfaces_before)
            if name == "br0" or name.startswith("port")
        ]
        found += [f"route {line}" for line in ip("route", "show", self.subnet).stdout.splitlines()]
        found += [
            f"mount {line.split()[1]}"
            for line in Path("/proc/mounts").read_text().splitlines()
            if line.split()[1] == str(self.root) or line.split()[1].startswith(f"{self.root}/")
        ]
        found += [f"cgroup {folder}" for folder in self.cgroup_folders()]
        return found


def routed_networks() -> list[ipaddress.IPv4Network]:
    routes = json.loads(ip("-j", "route", "show", "table", "all").stdout or "[]")
    found = []
    for route in routes:
        with contextlib.suppress(ValueError):
            if route["dst"] != "default":
                found.append(ipaddress.ip_network(route["dst"], strict=False))
    return found


def free_network() -> str:
    """The first /24 of NETWORKS that no route in the root namespace overlaps."""
    routed = routed_networks()
    for third in range(256):
        candidate = ipaddress.ip_network(f"{NETWORKS}.{third}.0/24")
        if not any(candidate.overlaps(network) for network in routed):
            return f"{NETWORKS}.{third}"
    raise RuntimeError(f"no free /24 left in {NETWORKS}.0.0/16 for a test cluster")


def remove_cgroup(folder: Path) -> None:
    for sub in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if sub.is_dir():
            sub.rmdir()
    folder.rmdir()


def killed_run(name: str) -> bool:
    """A cluster's namespace or cgroup name whose test process is gone."""
    match = NAMESPACE_OF_A_RUN.match(name)
    return bool(match) and not Path(f"/proc/{match.group(1)}").exists()


def reap_killed_runs() -> None:
    """Remove what a killed test run left (its process is gone): the namespaces, the blackhole
    route (the lan namespace's bridge address names its subnet), the cgroups and the tmpfs."""
    for mountpoint in mounts_of_killed_runs("/tmp/mn-"):
        subprocess.run(["umount", "--lazy", mountpoint], check=False, capture_output=True)
    for folder in sorted(CGROUP_ROOT.glob("*/mn*-*")):
        if killed_run(folder.name):
            with contextlib.suppress(OSError):
                remove_cgroup(folder)
    if not Path("/run/netns").is_dir():
        return
    for name in sorted(os.listdir("/run/netns")):
        if not killed_run(name):
            continue
        if name.endswith("-lan"):
            shown = ip("-j", "addr", "show", "dev", "br0", netns=name, check=False).stdout
            for link in json.loads(shown or "[]"):
                for address in link.get("addr_info", []):
                    if address.get("family") == "inet":
                        network = ipaddress.ip_network(
                            f"{address['local']}/{address['prefixlen']}", strict=False
                        )
                        ip("route", "del", "blackhole", str(network), check=False)
        ip("netns", "delete", name, check=False)
