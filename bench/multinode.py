"""The platform on a three-node Swarm: spawn latency for 1, 10 and 20 users at once, and the gap a
user sees when the worker running their server is drained or lost.

The cluster, stack and client are those of harness/multinode/ (a manager and two
workers, each a dockerd in its own namespaces; platform/stack.yml + stack.multinode.yml; every
request sent from the tests' lan namespace through nginx). Spawn latency is measured as in
bench/spawn_latency.py (login POST to /user/<name>/lab answering). A gap runs from the drain command
or the SIGKILL of the node's PID 1 to the first request that reads the user's file back from the
server's new node. Needs root and about 15 minutes (a third of it building the images).

    .venv/bin/python -m bench.multinode [--users 10,20] [--repeat 3]

SWARM_TEST_DATA_ROOT=DIR reuses a builder data root (and its images) between runs. Copy the printed
tables into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bench import spawn_latency
from harness import slapd as slapd_module
from harness.engine import DockerEngine
from harness.hub_client import HubSession
from harness.images import build_platform_images
from harness.multinode import failover
from harness.multinode.cluster import Cluster
from harness.multinode.lan_slapd import run_lan_slapd
from harness.multinode.netns import InNamespace, NamespaceThreads
from harness.multinode.stack import (
    MANAGER_IMAGES,
    NOTEBOOK_IMAGES,
    MultinodeStack,
    new_multinode_stack,
)
from harness.tls import make_test_ca

REPO_ROOT = Path(__file__).resolve().parent.parent

PASSWORD = spawn_latency.PASSWORD  # spawn_latency.spawn_one logs in with it
# A fresh name for every spawn: with endpoint_mode dnsrr, Swarm's DNS may keep answering a removed
# service's old task address for minutes, so a server re-created under the same name right after
# being stopped can be unreachable (seen here); bench/spawn_latency.py reuses names, this does not.
USERS = [f"mn{number:02d}" for number in range(1, 37)]


def tree_ldif() -> str:
    """The tests' LDAP tree plus USERS, all in the allowed group (as bench/spawn_latency.py)."""
    base = slapd_module.BASE_DN
    people = "".join(
        f"\ndn: uid={user},ou=people,{base}\nobjectClass: inetOrgPerson\n"
        f"uid: {user}\ncn: {user}\nsn: Bench\nuserPassword: {PASSWORD}\n"
        for user in USERS
    )
    members = "".join(f"member: uid={user},ou=people,{base}\n" for user in USERS)
    group = "cn: data-science\n"
    original = getattr(
        slapd_module, "ORIGINAL_TREE_LDIF", slapd_module.tree_ldif
    )  # see spawn_latency
    return original().replace(group, group + members) + people


def deploy(cluster: Cluster, slapd, ca, work: Path, client) -> MultinodeStack:
    stack = new_multinode_stack(
        cluster,
        slapd,
        ca,
        work / "secrets",
        REPO_ROOT / "platform",
        spawn_timeout=spawn_latency.SPAWN_TIMEOUT,
    )
    stack.start(client)
    return stack


def spawn_round(stack: MultinodeStack, client: NamespaceThreads, users: list[str]):
    """Spawn `users` at once from the lan; (seconds, errors, servers per node)."""
    gate = threading.Barrier(len(users)) if len(users) > 1 else None

    def one(user):
        try:
            return spawn_latency.spawn_one(stack.https_url, stack.ca_file, user, gate), None
        except Exception as error:  # a failed spawn is a result, counted and shown
            return None, f"{user}: {str(error)[:200]}"

    results = client.map(one, users)
    nodes = Counter(stack.running_task(f"jupyter-{user}").node for user in users)
    client.run(spawn_latency.stop_all, stack.https_url, stack.ca_file, users)
    times = [seconds for seconds, _ in results if seconds is not None]
    return times, [error for _, error in results if error], nodes


def spawn_rows(stack, client, concurrency: list[int]) -> list[str]:
    rows = []
    fresh = iter(USERS)
    scenarios = [("1 (5 runs in a row)", [[next(fresh)] for _ in range(5)])]
    scenarios += [(f"{n} at once", [[next(fresh) for _ in range(n)]]) for n in concurrency]
    for label, rounds in scenarios:
        times, errors, nodes = [], [], Counter()
        for users in rounds:
            round_times, round_errors, round_nodes = spawn_round(stack, client, users)
            times, errors, nodes = times + round_times, errors + round_errors, nodes + round_nodes
        for error in errors:
            print(f"    failed: {error}", flush=True)
        figures = (
            f"{statistics.median(times):.1f} | {spawn_latency.percentile(times, 0.95):.1f} | "
            f"{max(times):.1f}"
            if times
            else "- | - | -"
        )
        placed = ", ".join(f"{node} {count}" for node, count in sorted(nodes.items()))
        row = f"| {label} | {len(times) + len(errors)} | {len(errors)} | {figures} | {placed} |"
        print(row, flush=True)
        rows.append(row)
    return rows


def gap_rows(stack, cluster, client, repeat: int) -> list[str]:
    session = InNamespace(HubSession(stack.https_url, stack.ca_file), client)
    user = USERS[-1]
    assert session.login(user, PASSWORD).status_code == 200
    gaps = {"drain": [], "node lost": []}
    for run in range(repeat):
        failover.ensure_server(session, user)
        text = f"drain {run}"
        session.user_put_file(user, "gap.txt", text)
        node = stack.running_task(f"jupyter-{user}").node
        drain = ["node", "update", "--availability", "drain", node]
        seconds, _ = failover.gap_after(
            lambda drain=drain: cluster.manager.docker(*drain),
            stack,
            session,
            user,
            "gap.txt",
            text,
        )
        cluster.manager.docker("node", "update", "--availability", "active", node)
        gaps["drain"].append(seconds)
        print(f"  drain {node}: {seconds:.1f} s", flush=True)
    for run in range(repeat):
        failover.ensure_server(session, user)
        text = f"lost {run}"
        session.user_put_file(user, "gap.txt", text)
        lost = cluster.nodes[stack.running_task(f"jupyter-{user}").node]
        seconds, _ = failover.gap_after(lost.crash, stack, session, user, "gap.txt", text)
        lost.start()
        cluster.wait_nodes_ready(len(cluster.nodes))
        gaps["node lost"].append(seconds)
        print(f"  node lost {lost.name}: {seconds:.1f} s", flush=True)
    return [
        f"| {event} | {len(values)} | {statistics.median(values):.1f} | {min(values):.1f} | "
        f"{max(values):.1f} |"
        for event, values in gaps.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="10,20", help="comma-separated numbers of users at once")
    parser.add_argument("--repeat", type=int, default=2, help="drains and node losses to measure")
    args = parser.parse_args()
    concurrency = [int(n) for n in args.users.split(",")]
    if 5 + sum(concurrency) > len(USERS) - 1:
        parser.error(f"--users: at most {len(USERS) - 6} spawns in all")
    if os.geteuid() != 0:
        parser.error("needs root (it creates network namespaces and starts dockerd)")
    work = Path(tempfile.mkdtemp(prefix="bench-multinode-"))
    kept = os.environ.get("SWARM_TEST_DATA_ROOT")
    builder = DockerEngine(root=work / "builder", data_root=Path(kept) if kept else None)
    # Its own subnet: it can run while the multi-node tests do.
    cluster = Cluster(root=work / "cluster", prefix=f"mnb{os.getpid()}")
    stack = slapd_gen = client = None
    try:
        builder.start()
        print("building the images (platform/build-images --local) ...", flush=True)
        build_platform_images(builder, REPO_ROOT, work / "build-images.log")
        cluster.start()
        cluster.init_swarm()
        for images, nodes in (
            (NOTEBOOK_IMAGES, list(cluster.nodes.values())),
            (MANAGER_IMAGES, [cluster.manager]),
        ):
            archive = work / "images.tar"
            builder.docker("save", "-o", str(archive), *images, timeout=600)
            cluster.load_images(archive, nodes)
            archive.unlink()
        builder.stop()
        ca = make_test_ca(work / "ca")
        slapd_gen = run_lan_slapd(ca, cluster, tree=tree_ldif())
        slapd = next(slapd_gen)
        client = NamespaceThreads(cluster.lan, threads=max([*concurrency, 4]))
        stack = deploy(cluster, slapd, ca, work, client)
        print("== spawn latency", flush=True)
        spawns = spawn_rows(stack, client, concurrency)
        print("== drain and node-loss gaps", flush=True)
        gaps = gap_rows(stack, cluster, client, args.repeat)
    finally:
        if stack is not None:
            stack.remove()
        if client is not None:
            client.close()
        if slapd_gen is not None:
            slapd_gen.close()
        cluster.stop()
        builder.stop()
        left = cluster.leftovers() + builder.leftovers()
        if left:
            print(f"WARNING: left behind: {left}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    print("\n| users | spawns | failed | p50 s | p95 s | max s | servers per node |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(spawns))
    print("\n| event | runs | median s | min s | max s |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(gaps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
