"""The stack on three nodes and production overlay networks: hub, database and proxy on the manager,
users' servers on the workers, reached through nginx from the tests' lan namespace."""

import json

import pytest

from harness.multinode.failover import ensure_server

pytestmark = pytest.mark.swarm


def test_hub_database_and_proxy_run_on_the_manager(multinode_stack):
    for service in ("db", "hub", "proxy"):
        assert multinode_stack.running_task(service).node == "manager", service


def test_the_stack_runs_on_an_overlay_network(multinode_stack):
    network = json.loads(multinode_stack.manager.docker("network", "inspect", "jupyterhub").stdout)
    assert network[0]["Driver"] == "overlay"
    assert network[0]["Scope"] == "swarm"


def test_a_users_server_runs_on_a_worker_and_answers_through_nginx(alice, multinode_stack):
    session, user = alice
    ensure_server(session, user)
    task = multinode_stack.running_task(f"jupyter-{user}")
    assert task.node in ("worker1", "worker2")
    lab = session.user_get(user, "/lab")
    assert lab.status_code == 200
    assert "JupyterLab" in lab.text
