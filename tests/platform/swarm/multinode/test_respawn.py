"""A user stops their server (the hub removes its Swarm service) and starts it again, twice: each
new server answers through nginx, the proxy and the hub, and the user's files are still there.

On the three-node cluster the hub reaches a server by name on the overlay network (dnsrr), so a
second server of the same user must not be confused with the first one's removed task.
"""

import json
import time

import pytest

from harness.multinode.failover import BASE, read_file
from tests.platform.swarm.multinode.conftest import logged_in

pytestmark = pytest.mark.swarm


def task_addresses(stack, service: str) -> list[str]:
    """The overlay addresses of every task Swarm lists for `service` (any state)."""
    ids = stack.manager.docker("service", "ps", "-q", "--no-trunc", service, check=False)
    found = []
    for task_id in ids.stdout.split():
        task = json.loads(stack.manager.docker("inspect", "--type", "task", task_id).stdout)[0]
        state = task["Status"]["State"]
        for attachment in task.get("NetworksAttachments") or []:
            found.append(f"{state}:{','.join(attachment.get('Addresses') or [])}")
    return found


def diagnosis(stack, user: str) -> str:
    service = stack.resolve(f"jupyter-{user}")  # the current spawn's name
    lines = [f"tasks: {task_addresses(stack, service)}", stack.describe()]
    for where in ("hub", "chp"):
        for command in (("getent", "ahosts", service), ("getent", "hosts", service)):
            result = stack.exec(where, *command, check=False)
            lines.append(f"{where} {' '.join(command)}: {result.stdout!r} {result.stderr!r}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def grace(multinode_stack, client, lan_slapd):
    """(session, username): a member no other test spawns a server for; stopped at the end."""
    user = lan_slapd.restarter
    session = logged_in(multinode_stack, client, lan_slapd, user)
    yield session, user
    session.hub_api("DELETE", f"/users/{user}/server")
    session.wait_until_stopped(user)


def start(session, stack, user: str) -> None:
    assert session.request_spawn(user, BASE).status_code == 302
    result = session.wait_for_server(user, timeout=180)
    assert result.ready, f"{result.message}\n{diagnosis(stack, user)}"


def stop(session, user: str) -> None:
    assert session.hub_api("DELETE", f"/users/{user}/server").status_code in (202, 204)
    session.wait_until_stopped(user)


def wait_until_no_container(stack, user: str, timeout: float = 60) -> None:
    """Until no node runs a container of the user's removed server any more."""
    deadline = time.monotonic() + timeout
    while any(
        node.docker("ps", "-aq", "--filter", f"name=jupyter-{user}").stdout.strip()
        for node in stack.cluster.nodes.values()
    ):
        assert time.monotonic() < deadline, f"the removed server's container outlived {timeout} s"
        time.sleep(0.5)


def test_a_stopped_server_starts_again_with_the_users_files_twice(grace, multinode_stack):
    session, user = grace
    start(session, multinode_stack, user)
    assert session.user_put_file(user, "kept.txt", "written before the stop").status_code in (
        200,
        201,
    )
    # At once (the old container may still be shutting down), then once it is gone.
    for wait_for_the_old_container in (False, True):
        stop(session, user)
        assert multinode_stack.running_task(f"jupyter-{user}") is None
        if wait_for_the_old_container:
            wait_until_no_container(multinode_stack, user)
        start(session, multinode_stack, user)
        assert read_file(session, user, "kept.txt") == "written before the stop", diagnosis(
            multinode_stack, user
        )
        assert session.user_get(user, "/lab").status_code == 200
