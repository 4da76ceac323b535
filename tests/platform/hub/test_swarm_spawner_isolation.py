"""PlatformSwarmSpawner's isolate_network (platform/hub/swarm_spawner.py): each server on a network
of its own behind a relay, and nothing of it left after a stop or a failed start.

The Docker API is a recording client here (the order of the calls and what they create is what is
checked); the relay and the networks run for real on the multi-node Swarm in
tests/platform/swarm/multinode/test_network_isolation.py.
"""

import asyncio
import sys

import pytest
import requests
from docker.errors import APIError, NotFound
from jupyterhub.objects import Hub

from harness.hub_env import HUB_CONFIG

sys.path.insert(0, str(HUB_CONFIG.parent))
from swarm_spawner import PlatformSwarmSpawner, TaskFollowingSwarmSpawner

HUB = Hub(base_url="/hub/", connect_url="http://hub:8081")


def not_found(name):
    response = requests.Response()
    response.status_code = 404
    return NotFound(f"{name} not found", response=response)


class RecordingDockerClient:
    """Keeps services and networks by name; `calls` lists (method, name). `fail_create` names a
    service whose creation fails, `task_state` is the state of every task; remove_network fails
    `busy_network` times (tasks detaching)."""

    def __init__(self, fail_create=None, busy_network=0, task_state="running"):
        self.services, self.networks, self.calls = {}, {}, []
        self.fail_create, self.busy_network = fail_create, busy_network
        self.task_state = task_state

    def inspect_image(self, image):
        return {"Id": image}

    def inspect_service(self, name):
        if name not in self.services:
            raise not_found(name)
        return self.services[name]

    def inspect_network(self, name):
        self.calls.append(("inspect_network", name))
        if name not in self.networks:
            raise not_found(name)
        return self.networks[name]

    def create_network(self, name, **kwargs):
        self.calls.append(("create_network", name))
        self.networks[name] = kwargs
        return {"Id": name}

    def remove_network(self, name):
        self.calls.append(("remove_network", name))
        if name not in self.networks:
            raise not_found(name)
        if self.busy_network:
            self.busy_network -= 1
            raise APIError(f"error while removing network: network {name} has active endpoints")
        del self.networks[name]

    def create_service(self, task_template, name, **kwargs):
        self.calls.append(("create_service", name))
        if name == self.fail_create:
            raise APIError(f"cannot create {name}")
        self.services[name] = {"ID": name, "task_template": task_template, **kwargs}
        return {"ID": name}

    def remove_service(self, name):
        self.calls.append(("remove_service", name))
        if name not in self.services:
            raise not_found(name)
        del self.services[name]

    def tasks(self, filters):
        if filters["service"] not in self.services:
            return []
        return [{"Status": {"State": self.task_state, "Message": self.task_state}}]


def isolated_spawner(client):
    class Spawner(PlatformSwarmSpawner):
        # What the hub would give a spawner; not part of what is looked at here.
        async def get_command(self):
            return ["jupyterhub-singleuser"]

        def get_env(self):
            return {}

    Spawner.client = client
    spawner = Spawner(hub=HUB, isolate_network=True, network_name="jupyterhub")
    spawner.object_name = "jupyter-alice"
    spawner.task_poll_interval = spawner.task_poll_max_interval = 0.001
    return spawner


def network_names(service):
    return [network["Target"] for network in service["task_template"]["Networks"]]


def test_the_server_gets_its_own_encrypted_network_and_a_relay_on_both():
    client = RecordingDockerClient()
    asyncio.run(isolated_spawner(client).create_object())
    assert [call for call in client.calls if call[0].startswith("create")] == [
        ("create_network", "jupyter-alice-net"),
        ("create_service", "jupyter-alice-relay"),
        ("create_service", "jupyter-alice"),
    ]
    assert client.networks["jupyter-alice-net"]["options"] == {"encrypted": "true"}
    assert client.networks["jupyter-alice-net"]["driver"] == "overlay"
    assert network_names(client.services["jupyter-alice"]) == ["jupyter-alice-net"]
    relay = client.services["jupyter-alice-relay"]
    assert network_names(relay) == ["jupyter-alice-net", "jupyterhub"]
    assert (
        relay["task_template"]["ContainerSpec"]["Image"]
        == "docker.io/library/nginx:1.28.0-bookworm"
    )


def test_chp_routes_to_the_relay():
    assert asyncio.run(isolated_spawner(RecordingDockerClient()).get_ip_and_port()) == (
        "jupyter-alice-relay",
        8888,
    )


def test_the_server_calls_the_hub_api_through_its_relay(monkeypatch):
    # What JupyterHub's Spawner.get_env gives (its other variables are left as they are).
    hub_env = {
        "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
        "JUPYTERHUB_ACTIVITY_URL": "http://hub:8081/hub/api/users/alice/activity",
        "JUPYTERHUB_USER": "alice",
    }
    monkeypatch.setattr(TaskFollowingSwarmSpawner, "get_env", lambda self: dict(hub_env))
    spawner = PlatformSwarmSpawner(hub=HUB, isolate_network=True)
    spawner.object_name = "jupyter-alice"
    assert spawner.get_env() == {
        "JUPYTERHUB_API_URL": "http://jupyter-alice-relay:8081/hub/api",
        "JUPYTERHUB_ACTIVITY_URL": "http://jupyter-alice-relay:8081/hub/api/users/alice/activity",
        "JUPYTERHUB_USER": "alice",
    }
    spawner.isolate_network = False
    assert spawner.get_env() == hub_env


def test_the_relay_passes_the_server_and_the_hub_api_only():
    config = isolated_spawner(RecordingDockerClient()).relay_config()
    assert "set $server http://jupyter-alice:8888;" in config
    assert "location /hub/api/ {" in config
    assert "set $hub http://hub:8081;" in config
    assert config.count("location ") == 3  # the server, the hub's API, 404 for the rest
    assert "return 404;" in config


def test_stop_removes_the_server_its_relay_and_its_network_while_tasks_detach():
    client = RecordingDockerClient(busy_network=3)
    spawner = isolated_spawner(client)
    spawner.object_id = asyncio.run(spawner.create_object())["ID"]
    asyncio.run(spawner.stop())
    assert client.services == client.networks == {}
    assert (
        client.calls[-6:]
        == [
            ("remove_service", "jupyter-alice"),
            ("remove_service", "jupyter-alice-relay"),
        ]
        + [("remove_network", "jupyter-alice-net")] * 4
    )  # three times busy, then removed


@pytest.mark.parametrize(
    "failure",
    [{"fail_create": "jupyter-alice"}, {"task_state": "failed"}, {"task_state": "rejected"}],
    ids=["service-not-created", "task-failed", "task-rejected"],
)
def test_a_failed_start_leaves_nothing(failure):
    # JupyterHub stops a server whose start failed only if it polls as running: start cleans up.
    client = RecordingDockerClient(**failure)
    spawner = isolated_spawner(client)
    # As JupyterHub runs it: cancelled at start_timeout (a rejected task is waited for).
    with pytest.raises((APIError, RuntimeError, asyncio.TimeoutError)):
        asyncio.run(asyncio.wait_for(spawner.start(), timeout=0.5))
    assert client.services == client.networks == {}


def test_a_leftover_network_is_reused_and_a_leftover_relay_replaced():
    client = RecordingDockerClient()
    asyncio.run(isolated_spawner(client).create_object())
    client.calls.clear()
    client.services.pop("jupyter-alice")
    asyncio.run(isolated_spawner(client).create_object())
    assert ("create_network", "jupyter-alice-net") not in client.calls
    assert client.calls.index(("remove_service", "jupyter-alice-relay")) < client.calls.index(
        ("create_service", "jupyter-alice-relay")
    )
    assert set(client.services) == {"jupyter-alice", "jupyter-alice-relay"}


def test_without_isolation_the_server_is_on_the_hubs_network_alone():
    client = RecordingDockerClient()
    spawner = isolated_spawner(client)
    spawner.isolate_network = False
    asyncio.run(spawner.create_object())
    assert client.networks == {}
    assert set(client.services) == {"jupyter-alice"}
    assert network_names(client.services["jupyter-alice"]) == ["jupyterhub"]
