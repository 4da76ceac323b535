"""Spawn latency of the platform: from the login POST to JupyterLab answering, through nginx.

For the Swarm spawner (platform/stack.yml + stack.test.yml on a private single-node Swarm, as the
Swarm tests deploy it) and for the local spawner (the hub from platform/hub/ in `local` mode behind
nginx, as the e2e tests run it): one user five times in a row, then 10 and 20 users logging in at
the same moment. Reports p50/p95/max, failures, and the CPU and memory of the hub, its proxy and
its culler while it happens (Swarm: the hub container; local: the hub's process group). Needs root,
the packages of .ci/apt-packages.txt and about 10 minutes (the Swarm images are built first).

    .venv/bin/python -m bench.spawn_latency [--spawner swarm|local|both] [--users 10,20]

Copy the printed table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from harness import slapd as slapd_module
from harness.engine import swarm_engine
from harness.hub import HubProcess
from harness.hub_client import HubSession
from harness.hub_env import write_secret
from harness.images import build_platform_images
from harness.nginx import run_nginx
from harness.postgres import run_postgres
from harness.processes import pids_where
from harness.stack import (
    ldap_variables,
    new_stack,
    write_stack_secrets,
)
from harness.tls import make_test_ca

REPO_ROOT = Path(__file__).resolve().parent.parent
USERS = [f"bench{number:02d}" for number in range(1, 21)]
PASSWORD = "bench-Secret-9"
IMAGE_CHOICE = "Base: Python, JupyterLab, Git, DVC"  # Swarm: an entry of the hub's image menu
SPAWN_TIMEOUT = 300
SINGLE_USER_RUNS = 5


def bench_tree_ldif() -> str:
    """The test tree of harness/slapd.py plus the bench users, all in the allowed
    group.
    """
    base = slapd_module.BASE_DN
    people = "".join(
        f"\ndn: uid={user},ou=people,{base}\nobjectClass: inetOrgPerson\n"
        f"uid: {user}\ncn: {user}\nsn: Bench\n"
        f"userPassword: {PASSWORD}\n"
        for user in USERS
    )
    members = "".join(f"member: uid={user},ou=people,{base}\n" for user in USERS)
    tree = slapd_module.ORIGINAL_TREE_LDIF()
    group = "cn: data-science\n"
    return tree.replace(group, group + members) + people


slapd_module.ORIGINAL_TREE_LDIF = slapd_module.tree_ldif
slapd_module.tree_ldif = bench_tree_ldif


# --------------------------------------------------------------------------------------------------
# -------------
@dataclass
class Usage:
    """CPU and memory of a set of processes, sampled every 0.5 s in a thread."""

    pids: callable
    cpu_percent: list = field(default_factory=list)
    rss_mib: list = field(default_factory=list)

    def __post_init__(self):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def ticks_and_rss(pids) -> tuple[int, int]:
        ticks = rss_pages = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
                rss_pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
        return ticks, rss_pages * os.sysconf("SC_PAGE_SIZE")

    def run(self):
        hz = os.sysconf("SC_CLK_TCK")
        last_ticks, _ = self.ticks_and_rss(self.pids())
        last_time = time.monotonic()
        while not self.stop.wait(0.5):
            ticks, rss = self.ticks_and_rss(self.pids())
            now = time.monotonic()
            self.cpu_percent.append(100 * max(0, ticks - last_ticks) / hz / (now - last_time))
            self.rss_mib.append(rss / 2**20)
            last_ticks, last_time = ticks, now

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def pids_in_cgroup_of(container_id: str):
    return lambda: pids_where(lambda entry: container_id in (entry / "cgroup").read_text())


def pids_in_group_of(leader: int):
    """The hub, its proxy and culler: its process group (users' servers have their own)."""
    return lambda: pids_where(lambda entry: os.getpgid(int(entry.name)) == leader)


class FromAddress(HTTPAdapter):
    """Connections that leave from one loopback address (all of 127.0.0.0/8 is this machine)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def user_session(base_url: str, ca_file: Path, user: str) -> HubSession:
    """A HubSession from the user's own client address, as from the user's own machine: nginx
    allows 30 logins a minute per client address, which 20 bench users on one address exceed.
    """
    session = HubSession(base_url, ca_file)
    session.http.mount("https://", FromAddress(f"127.0.0.{10 + USERS.index(user)}"))
    return session


# --------------------------------------------------------------------------------------------------
# -------------
def spawn_one(
    base_url: str, ca_file: Path, user: str, start_gate: threading.Barrier | None
) -> float:
    """Seconds from the login POST to JupyterLab answering; raises on any failure."""
    session = user_session(base_url, ca_file, user)
    session.http.get(session.url("/hub/login"), timeout=60)
    if start_gate is not None:
        start_gate.wait()
    started = time.monotonic()
    landing = session.http.post(
        session.url("/hub/login"),
        data={"username": user, "password": PASSWORD, "_xsrf": session.http.cookies.get("_xsrf")},
        timeout=SPAWN_TIMEOUT,
    )
    landing.raise_for_status()
    if 'name="image"' in landing.text:  # the Swarm hub's image menu
        requested = session.request_spawn(user, IMAGE_CHOICE)
        if requested.status_code != 302:
            raise RuntimeError(f"spawn request answered {requested.status_code}")
    if not session.server_ready(user):
        result = session.wait_for_server(user, timeout=SPAWN_TIMEOUT)
        if not result.ready:
            raise RuntimeError(result.message)
    lab = session.user_get(user, "/lab")
    if lab.status_code != 200 or "JupyterLab" not in lab.text:
        raise RuntimeError(f"/user/{user}/lab answered {lab.status_code}")
    return time.monotonic() - started


def stop_all(base_url: str, ca_file: Path, users: list[str]) -> None:
    for user in users:
        stop_server(base_url, ca_file, user)


def stop_server(base_url: str, ca_file: Path, user: str) -> None:
    """Stop `user`'s server; a hub that does not answer (a 502 while an overloaded machine restarts
    it) is asked again for up to SPAWN_TIMEOUT, so that one slow moment does not end the benchmark.
    """
    deadline = time.monotonic() + SPAWN_TIMEOUT
    while True:
        try:
            session = user_session(base_url, ca_file, user)
            session.login(user, PASSWORD)
            if session.user_model(user).get("servers", {}).get(""):
                session.hub_api("DELETE", f"/users/{user}/server")
                session.wait_until_stopped(user, timeout=SPAWN_TIMEOUT)
            return
        except requests.RequestException as error:
            if time.monotonic() > deadline:
                raise
            print(f"    stopping {user}: {str(error)[:120]}; asking again", flush=True)
            time.sleep(5)


def run_round(base_url: str, ca_file: Path, users: list[str]) -> tuple[list[float], list[str]]:
    times, errors = [], []
    lock = threading.Lock()
    gate = threading.Barrier(len(users)) if len(users) > 1 else None

    def worker(user):
        try:
            seconds = spawn_one(base_url, ca_file, user, gate)
            with lock:
                times.append(seconds)
        except Exception as error:  # a failed spawn is a result, counted and shown
            with lock:
                errors.append(f"{user}: {str(error)[:200]}")

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop_all(base_url, ca_file, users)
    return times, errors


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(
    spawner: str, base_url: str, ca_file: Path, hub_pids, concurrency: list[int]
) -> list[str]:
    rows = []
    scenarios = [("1 (5 runs in a row)", [[USERS[0]]] * SINGLE_USER_RUNS)]
    scenarios += [(f"{n} at once", [USERS[:n]]) for n in concurrency]
    for label, rounds in scenarios:
        times, errors = [], []
        with Usage(hub_pids) as usage:
            for users in rounds:
                round_times, round_errors = run_round(base_url, ca_file, users)
                times += round_times
                errors += round_errors
        for error in errors:
            print(f"    failed: {error}", flush=True)
        spawns = len(times) + len(errors)
        figures = (
            f"{statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | {max(times):.1f}"
            if times
            else "- | - | -"
        )
        cpu = usage.cpu_percent or [0.0]
        rss = usage.rss_mib or [0.0]
        row = (
            f"| {spawner} | {label} | {spawns} | {len(errors)} | {figures} | "
            f"{statistics.mean(cpu):.0f} / {max(cpu):.0f} | {max(rss):.0f} |"
        )
        print(row, flush=True)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------------
# -------------
def swarm_bench(ca, slapd, concurrency: list[int], work: Path) -> list[str]:
    with swarm_engine("the spawn benchmark") as engine:
        print("  building the images (platform/build-images --local) ...", flush=True)
        build_platform_images(engine, REPO_ROOT, work / "build-images.log")
        secrets_dir = write_stack_secrets(work / "secrets", ca, slapd.search_password)
        stack = new_stack(
            engine,
            REPO_ROOT / "platform",
            secrets_dir,
            ldap_variables(slapd),
            ca.cert,
            SPAWN_TIMEOUT=str(SPAWN_TIMEOUT),
        )
        try:
            stack.deploy()
            stack.wait_healthy()
            hub_container = stack.container_id("hub")
            full_id = engine.docker("inspect", "--format", "{{.Id}}", hub_container).stdout
            pids = pids_in_cgroup_of(full_id.strip())
            return measure("Swarm", stack.https_url, ca.cert, pids, concurrency)
        finally:
            stack.remove()


def local_bench(ca, slapd, concurrency: list[int], work: Path) -> list[str]:
    postgres_gen = run_postgres()
    postgres = next(postgres_gen)
    hub = None
    try:
        env = {
            "HUB_AUTHENTICATOR": "ldap",
            **ldap_variables(slapd),
            "LDAP_CA_FILE": str(slapd.ca_file),
            "LDAP_SEARCH_PASSWORD_FILE": write_secret(
                work / "ldap_search_password", slapd.search_password
            ),
            "SPAWN_TIMEOUT": str(SPAWN_TIMEOUT),
        }
        hub = HubProcess(postgres, "bench_local", env)
        hub.start()
        proxy_gen = run_nginx(ca, upstream=hub.url.removeprefix("http://"))
        proxy = next(proxy_gen)
        try:
            return measure(
                "local", proxy.https_url, ca.cert, pids_in_group_of(hub.process.pid), concurrency
            )
        finally:
            proxy_gen.close()
    finally:
        if hub is not None:
            hub.close()
            hub.remove()
        postgres_gen.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spawner", choices=["swarm", "local", "both"], default="both")
    parser.add_argument(
        "--users", default="10,20", help="comma-separated numbers of users logging in at once"
    )
    args = parser.parse_args()
    try:
        concurrency = [int(n) for n in args.users.split(",")]
        assert all(1 <= n <= len(USERS) for n in concurrency)
    except (ValueError, AssertionError):
        parser.error(f"--users: comma-separated numbers from 1 to {len(USERS)}")
    if os.geteuid() != 0:
        parser.error("needs root (it starts dockerd, slapd, PostgreSQL and nginx)")

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-spawn-") as folder:
        work = Path(folder)
        ca = make_test_ca(work / "ca")
        slapd_gen = slapd_module.run_slapd(ca)
        slapd = next(slapd_gen)
        try:
            if args.spawner in ("swarm", "both"):
                print("== Swarm spawner", flush=True)
                rows += swarm_bench(ca, slapd, concurrency, work)
            if args.spawner in ("local", "both"):
                print("== local spawner", flush=True)
                rows += local_bench(ca, slapd, concurrency, work)
        finally:
            slapd_gen.close()
    print(
        "\n| spawner | users | spawns | failed | p50 s | p95 s | max s "
        "| hub CPU % mean / max | hub RSS MiB max |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
