"""A private Docker engine and single-node Swarm for the tests: started on 127.0.0.1 only, stopped
without leftovers.

dockerd runs with its own socket, data root, exec root and pid file, without iptables, forwarding,
masquerading or a default bridge (everything the platform runs uses the host network). Swarm leaves
a `docker_gwbridge` interface and `netns` mounts behind unless told otherwise; `stop()` removes them
and `leftovers()` reports anything that remains.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness.processes import pids_where

# The CLI from the docker.io package: the same release (and API version, 1.41) as its dockerd. A
# newer client (/usr/local/bin/docker on some machines) downgrades the API; this one needs no
# negotiation.
DOCKER_CLI = "/usr/bin/docker"
DOCKERD = "/usr/sbin/dockerd"
SWARM_LISTEN_ADDR = "127.0.0.1:2377"
ENGINE_ROOT_PREFIX = "mlops-dockerd-"  # /tmp/mlops-dockerd-XXXX: an engine's root
OWNER_FILE = "owner-pid"  # in an engine's in-memory root: the test process it belongs to


def network_interfaces() -> set[str]:
    return set(os.listdir("/sys/class/net"))


def mounts_below(folder: Path) -> list[str]:
    prefix = str(folder.resolve())
    points = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    return [p for p in points if p == prefix or p.startswith(prefix + "/")]


def run_docker(
    args: tuple[str, ...],
    env: dict[str, str],
    *,
    check: bool,
    timeout: float,
    label: str = "",
    **kwargs,
) -> subprocess.CompletedProcess:
    """The docker CLI with `env` (which names the engine); with `check`, a failure raises an error
    naming the command and its stderr, after `label` (which engine) when given."""
    result = subprocess.run(
        [DOCKER_CLI, *args], env=env, capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{label}docker {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result


@dataclass
class DockerEngine:
    """One dockerd; everything it writes lives below `root` (or `data_root` if kept)."""

    root: Path
    data_root: Path | None = None
    process: subprocess.Popen | None = None
    interfaces_before: set[str] = field(default_factory=set)

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def log_file(self) -> Path:
        return self.root / "dockerd.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DOCKER_HOST"] = self.host
        env.pop("DOCKER_CONTEXT", None)
        return env

    def docker(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 120,
        env: dict | None = None,
        **kwargs,
    ) -> subprocess.CompletedProcess:
        """Run the docker CLI against this engine; on failure the error names the command and its
        stderr.
        """
        return run_docker(
            args, {**self.env(), **(env or {})}, check=check, timeout=timeout, **kwargs
        )

    def start(self, timeout: float = 60) -> None:
        for program in (DOCKERD, DOCKER_CLI):
            if not os.access(program, os.X_OK):
                raise RuntimeError(
                    f"{program} not found: install the docker.io package (.ci/apt-packages.txt)"
                )
        self.root.mkdir(parents=True, exist_ok=True)
        data_root = self.data_root or self.root / "data"
        self.interfaces_before = network_interfaces()
        command = [
            DOCKERD,
            "--iptables=false",
            "--ip-forward=false",
            "--ip-masq=false",
            "--bridge=none",
            # What platform/README.md asks of the nodes running users' servers (daemon.json).
            "--no-new-privileges",
            f"--data-root={data_root}",
            f"--exec-root={self.root / 'exec'}",
            f"--pidfile={self.root / 'dockerd.pid'}",
            f"--host={self.host}",
        ]
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"dockerd exited ({self.process.returncode}):\n{self.log_tail()}"
                )
            if self.socket.exists() and self.answers():
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"dockerd did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def answers(self) -> bool:
        try:
            return self.docker("version", check=False, timeout=10).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_file.exists():
            return ""
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def init_swarm(self) -> None:
        self.docker(
            "swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", SWARM_LISTEN_ADDR
        )

    def leave_swarm(self) -> None:
        if (
            self.docker("info", "--format", "{{.Swarm.LocalNodeState}}", check=False).stdout.strip()
            == "active"
        ):
            self.docker("swarm", "leave", "--force", timeout=60)
        if self.docker("network", "inspect", "docker_gwbridge", check=False).returncode == 0:
            self.docker("network", "rm", "docker_gwbridge", check=False)

    def stop(self, timeout: float = 30) -> None:
        """Stop dockerd by its PID, then remove the interfaces and mounts it created."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in self.stray_processes():
            os.kill(pid, signal.SIGKILL)
        for interface in network_interfaces() - self.interfaces_before:
            subprocess.run(["ip", "link", "delete", interface], check=False, capture_output=True)
        for folder in {self.root, self.data_root or self.root}:
            for point in sorted(mounts_below(folder), reverse=True):
                subprocess.run(["umount", "-l", point], check=False, capture_output=True)

    def stray_processes(self) -> list[int]:
        """Processes still using this engine's exec root (containerd and its shims), found by their
        command line.
        """
        return processes_naming(self.root / "exec")

    def leftovers(self) -> list[str]:
        """What this engine left behind: processes, interfaces, mounts. Empty when the teardown was
        clean.
        """
        found = []
        if self.process is not None and self.process.poll() is None:
            found.append(f"dockerd pid {self.process.pid} still running")
        found += [f"process {pid} using {self.root}" for pid in self.stray_processes()]
        found += [
            f"interface {name}" for name in sorted(network_interfaces() - self.interfaces_before)
        ]
        for folder in {self.root, self.data_root or self.root}:
            found += [f"mount {point}" for point in mounts_below(folder)]
        return found


def running_engine(purpose: str, keep_data_root_env: str) -> Iterator[DockerEngine]:
    """Generator for engine fixtures: start a private dockerd, yield it, then stop it and fail if
    anything is left. `keep_data_root_env` names a variable that, when set, keeps the data root (and
    so the built images) in that folder between runs.
    """
    if os.geteuid() != 0:
        raise RuntimeError(f"{purpose} start dockerd and need root")
    reap_killed_engines()
    # Short: the socket path must fit in 108 bytes.
    root = Path(tempfile.mkdtemp(prefix=ENGINE_ROOT_PREFIX, dir="/tmp"))
    kept = os.environ.get(keep_data_root_env)
    engine = DockerEngine(root=root, data_root=Path(kept) if kept else None)
    try:
        if not kept:
            in_memory(root)
        engine.start()
        yield engine
    finally:
        engine.stop()
        leftovers = engine.leftovers()
        if not leftovers:
            shutil.rmtree(root, ignore_errors=True)
    assert not leftovers, f"dockerd teardown left: {leftovers}"


def processes_naming(folder: Path) -> list[int]:
    """The processes whose command line names `folder` (dockerd, containerd and the shims name
    their engine's exec root)."""
    marker = str(folder).encode()
    return pids_where(lambda entry: marker in (entry / "cmdline").read_bytes())


def in_memory(root: Path) -> None:
    """Mount a tmpfs on the engine's root, so its data root (gigabytes of image layers) lives in
    memory: removing them from disk took about a minute of every test session's teardown on this
    machine, unmounting a tmpfs (which `DockerEngine.stop` does, as any mount below the root) takes
    none. A size cap, not a reservation: only what the images take is used."""
    tmpfs = ["mount", "-t", "tmpfs", "-o", "size=16g,mode=0700", "tmpfs", str(root)]
    result = subprocess.run(tmpfs, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"cannot mount a tmpfs on {root}: {result.stderr.strip()}")
    (root / OWNER_FILE).write_text(str(os.getpid()))


def mounts_of_killed_runs(prefix: str) -> list[str]:
    """The mount points starting with `prefix` whose OWNER_FILE names a gone test process."""
    found = []
    for mountpoint in [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]:
        owner = Path(mountpoint) / OWNER_FILE
        if not mountpoint.startswith(prefix) or not owner.is_file():
            continue
        if not Path(f"/proc/{owner.read_text().strip()}").exists():
            found.append(mountpoint)
    return found


def reap_killed_engines() -> None:
    """Free what an engine of a killed test run holds in memory: its dockerd (found by its exec
    root on its command line, as are containerd's and the shims') and its root's tmpfs, when the
    run's process is gone."""
    for mountpoint in mounts_of_killed_runs(f"/tmp/{ENGINE_ROOT_PREFIX}"):
        for pid in processes_naming(Path(mountpoint) / "exec"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        subprocess.run(["umount", "--lazy", mountpoint], check=False, capture_output=True)


@contextlib.contextmanager
def swarm_engine(purpose: str, keep_data_root_env: str = "SWARM_TEST_DATA_ROOT"):
    """A private dockerd with a single-node Swarm for a benchmark; on the way out the Swarm is left,
    dockerd stopped and an error raised if anything is left (as `running_engine`)."""
    with contextlib.contextmanager(running_engine)(purpose, keep_data_root_env) as engine:
        engine.init_swarm()
        try:
            yield engine
        finally:
            engine.leave_swarm()
