"""The stack on three nodes and production overlay networks: hub, database and proxy on the manager,
users' servers on the workers, reached through nginx from the tests' lan namespace."""

import json

import pytest

from tests.platform.swarm.multinode.conftest import BASE, hub_session

pytestmark = pytest.mark.swarm


@pytest.fixture(scope="module")
def alice(multinode_stack, client, lan_slapd):
    session = hub_session(multinode_stack, client)
    user = lan_slapd.member
    assert session.login(user, lan_slapd.passwords[user]).status_code == 200
    return session, user


def test_hub_database_and_proxy_run_on_the_manager(multinode_stack):
    for service in ("db", "hub", "proxy"):
        assert multinode_stack.running_task(service).node == "manager", service


def test_the_stack_runs_on_an_overlay_network(multinode_stack):
    network = json.loads(multinode_stack.manager.docker("network", "inspect", "jupyterhub").stdout)
    assert network[0]["Driver"] == "overlay"
    assert network[0]["Scope"] == "swarm"


def test_a_users_server_runs_on_a_worker_and_answers_through_nginx(alice, multinode_stack):
    session, user = alice
    assert session.request_spawn(user, BASE).status_code == 302
    result = session.wait_for_server(user, timeout=180)
    assert result.ready, result.message
    task = multinode_stack.running_task(f"jupyter-{user}")
    assert task.node in ("worker1", "worker2")
    lab = session.user_get(user, "/lab")
    assert lab.status_code == 200 and "JupyterLab" in lab.text
