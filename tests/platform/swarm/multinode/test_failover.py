"""A user's server outlives its node: drained for maintenance, or lost. Swarm starts it on the other
worker, the user's files are there (the homes are shared by every node, as the NFS export is in
production), the hub routes to it by service name and the user's next request works.

The gaps are printed (`pytest -s`); their figures live in docs/benchmarks.md (bench/multinode.py).
"""

import pytest

from harness.multinode.failover import ensure_server, gap_after

pytestmark = pytest.mark.swarm


def test_a_drained_workers_server_comes_back_on_the_other_worker_with_the_users_files(
    alice, multinode_stack, cluster
):
    session, user = alice
    ensure_server(session, user)
    assert session.user_put_file(user, "drain.txt", "written before the drain").status_code in (
        200,
        201,
    )
    old = multinode_stack.running_task(f"jupyter-{user}").node
    assert old.startswith("worker")
    try:
        seconds, task = gap_after(
            lambda: cluster.manager.docker("node", "update", "--availability", "drain", old),
            multinode_stack,
            session,
            user,
            "drain.txt",
            "written before the drain",
        )
    finally:
        cluster.manager.docker("node", "update", "--availability", "active", old)
    print(
        f"\ndrain: {user}'s server moved {old} -> {task.node}; next request after {seconds:.1f} s"
    )
    assert task.node.startswith("worker")
    assert task.node != old
    assert session.server_ready(user)  # the hub still counts it as running


def test_a_lost_workers_server_comes_back_on_the_other_worker_with_the_users_files(
    alice, multinode_stack, cluster
):
    session, user = alice
    ensure_server(session, user)
    assert session.user_put_file(user, "crash.txt", "written before the crash").status_code in (
        200,
        201,
    )
    lost = cluster.nodes[multinode_stack.running_task(f"jupyter-{user}").node]
    assert lost.name.startswith("worker")
    try:
        seconds, task = gap_after(
            lost.crash, multinode_stack, session, user, "crash.txt", "written before the crash"
        )
        print(
            f"\nnode lost: {user}'s server moved {lost.name} -> {task.node}; "
            f"next request after {seconds:.1f} s"
        )
        assert task.node.startswith("worker")
        assert task.node != lost.name
        assert cluster.node_states()[lost.name][0] == "Down"
        assert session.server_ready(user)
    finally:
        # The node comes back as after a reboot: stale pid file and exec root removed, it rejoins.
        lost.start()
        cluster.wait_nodes_ready(len(cluster.nodes))
    # Its old container died with it; nothing of alice runs there any more.
    assert lost.docker("ps", "-q", "--filter", f"name=jupyter-{user}").stdout.strip() == ""
