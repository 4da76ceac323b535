"""PlatformSwarmSpawner's isolate_network (platform/hub/swarm_spawner.py): each server on a network
of its own behind a relay, and nothing of it left after a stop or a failed start.

The Docker API is a recording client here (the order of the calls and what they create is what is
checked); the relay and the networks run for real on the multi-node Swarm in
tests/platform/swarm/multinode/test_network_isolation.py.
"""

import asyncio
import re
import sys
from types import SimpleNamespace

import pytest
import requests
from docker.errors import APIError, NotFound
from jupyterhub.objects import Hub

from harness.hub_env import HUB_CONFIG

sys.path.insert(0, str(HUB_CONFIG.parent))
from swarm_spawner import NAME_LIMIT, PlatformSwarmSpawner, TaskFollowingSwarmSpawner

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
        self.service_specs, self.network_specs, self.calls = {}, {}, []
        self.fail_create, self.busy_network = fail_create, busy_network
        self.task_state = task_state

    def inspect_image(self, image):
        return {"Id": image}

    def inspect_service(self, name):
        if name not in self.service_specs:
            raise not_found(name)
        return self.service_specs[name]

    def inspect_network(self, name):
        self.calls.append(("inspect_network", name))
        if name not in self.network_specs:
            raise not_found(name)
        return self.network_specs[name]

    def create_network(self, name, **kwargs):
        self.calls.append(("create_network", name))
        self.network_specs[name] = kwargs
        return {"Id": name}

    def remove_network(self, name):
        self.calls.append(("remove_network", name))
        if name not in self.network_specs:
            raise not_found(name)
        if self.busy_network:
            self.busy_network -= 1
            raise APIError(f"error while removing network: network {name} has active endpoints")
        del self.network_specs[name]

    def create_service(self, task_template, name, **kwargs):
        self.calls.append(("create_service", name))
        if self.fail_create == "server" and not name.endswith("-relay"):
            raise APIError(f"cannot create {name}")
        self.service_specs[name] = {"ID": name, "task_template": task_template, **kwargs}
        return {"ID": name}

    def remove_service(self, name):
        self.calls.append(("remove_service", name))
        if name not in self.service_specs:
            raise not_found(name)
        del self.service_specs[name]

    def tasks(self, filters):
        if filters["service"] not in self.service_specs:
            return []
        return [{"Status": {"State": self.task_state, "Message": self.task_state}}]

    def services(self, filters):
        key, value = filters["label"].split("=", 1)
        return [
            {"ID": name, "Spec": {"Name": name}}
            for name, service in self.service_specs.items()
            if (service.get("labels") or {}).get(key) == value
        ]

    def networks(self, filters):
        key, value = filters["label"].split("=", 1)
        return [
            {"Id": name}
            for name, network in self.network_specs.items()
            if (network.get("labels") or {}).get(key) == value
        ]


def isolated_spawner(client, user="alice"):
    class Spawner(PlatformSwarmSpawner):
        # What the hub would give a spawner; not part of what is looked at here.
        async def get_command(self):
            return ["jupyterhub-singleuser"]

        def get_env(self):
            return {}

    Spawner.client = client
    spawner = Spawner(
        hub=HUB, user=SimpleNamespace(name=user), isolate_network=True, network_name="jupyterhub"
    )
    spawner.name_template = "jupyter-{username}"
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
    assert client.network_specs["jupyter-alice-net"]["options"] == {"encrypted": "true"}
    assert client.network_specs["jupyter-alice-net"]["driver"] == "overlay"
    assert network_names(client.service_specs["jupyter-alice"]) == ["jupyter-alice-net"]
    relay = client.service_specs["jupyter-alice-relay"]
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
    assert client.service_specs == client.network_specs == {}
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
    [{"fail_create": "server"}, {"task_state": "failed"}, {"task_state": "rejected"}],
    ids=["service-not-created", "task-failed", "task-rejected"],
)
def test_a_failed_start_leaves_nothing(failure):
    # JupyterHub stops a server whose start failed only if it polls as running: start cleans up.
    client = RecordingDockerClient(**failure)
    spawner = isolated_spawner(client)
    # As JupyterHub runs it: cancelled at start_timeout (a rejected task is waited for).
    with pytest.raises((APIError, RuntimeError, asyncio.TimeoutError)):
        asyncio.run(asyncio.wait_for(spawner.start(), timeout=0.5))
    assert client.service_specs == client.network_specs == {}


def test_a_leftover_network_is_reused_and_a_leftover_relay_replaced():
    client = RecordingDockerClient()
    asyncio.run(isolated_spawner(client).create_object())
    client.calls.clear()
    client.service_specs.pop("jupyter-alice")
    asyncio.run(isolated_spawner(client).create_object())
    assert ("create_network", "jupyter-alice-net") not in client.calls
    assert client.calls.index(("remove_service", "jupyter-alice-relay")) < client.calls.index(
        ("create_service", "jupyter-alice-relay")
    )
    assert set(client.service_specs) == {"jupyter-alice", "jupyter-alice-relay"}


def test_without_isolation_the_server_is_on_the_hubs_network_alone():
    client = RecordingDockerClient()
    spawner = isolated_spawner(client)
    spawner.isolate_network = False
    asyncio.run(spawner.create_object())
    assert client.network_specs == {}
    assert set(client.service_specs) == {"jupyter-alice"}
    assert network_names(client.service_specs["jupyter-alice"]) == ["jupyterhub"]


def started(client, user="alice"):
    spawner = isolated_spawner(client, user)
    asyncio.run(spawner.start())
    return spawner


def test_each_start_names_the_server_its_relay_and_network_anew():
    # The hub's resolver (aiodns) keeps a removed service's old address for the answer's TTL.
    client = RecordingDockerClient()
    spawner = started(client)
    first = spawner.service_name
    assert re.fullmatch(r"jupyter-alice-[a-z0-9]{5}", first)
    assert set(client.service_specs) == {first, f"{first}-relay"}
    assert set(client.network_specs) == {f"{first}-net"}
    assert asyncio.run(spawner.get_ip_and_port()) == (f"{first}-relay", 8888)
    asyncio.run(spawner.stop())
    asyncio.run(spawner.start())
    second = spawner.service_name
    assert second != first
    assert second.startswith("jupyter-alice-")
    assert set(client.service_specs) == {second, f"{second}-relay"}
    assert set(client.network_specs) == {f"{second}-net"}


def test_a_restarted_hub_finds_the_server_by_the_name_in_its_state():
    client = RecordingDockerClient()
    state = started(client).get_state()
    fresh = isolated_spawner(client)
    fresh.load_state(state)
    assert fresh.service_name == state["object_name"]
    assert asyncio.run(fresh.poll()) is None  # running
    asyncio.run(fresh.stop())
    assert client.service_specs == client.network_specs == {}


def test_a_start_removes_what_earlier_spawns_left_and_nothing_of_other_users():
    client = RecordingDockerClient(busy_network=1)
    bob = started(client, "bob").service_name
    left = started(client).service_name
    client.busy_network = 0
    spawner = started(client)
    assert set(client.service_specs) == {
        spawner.service_name,
        f"{spawner.service_name}-relay",
        bob,
        f"{bob}-relay",
    }
    assert f"{left}-net" not in client.network_specs
    assert left not in client.service_specs


def test_long_names_stay_within_a_dns_label_with_the_relays_suffix():
    spawner = started(RecordingDockerClient(), "x" * 48)
    assert len(spawner.relay_name) <= NAME_LIMIT
    other = started(RecordingDockerClient(), "x" * 47 + "y")
    assert spawner.service_name[:-6] != other.service_name[:-6]


def test_the_relay_runs_unprivileged_on_a_read_only_root_with_a_tmpfs():
    client = RecordingDockerClient()
    asyncio.run(isolated_spawner(client).create_object())
    spec = client.service_specs["jupyter-alice-relay"]["task_template"]["ContainerSpec"]
    assert spec["User"] == "65534:65534"
    assert spec["CapabilityDrop"] == ["ALL"]
    assert spec["ReadOnly"] is True
    assert [(m["Type"], m["Target"]) for m in spec["Mounts"]] == [("tmpfs", "/tmp")]
    # Everything nginx writes goes to the tmpfs.
    config = isolated_spawner(client).relay_config()
    paths = re.findall(r"^\s*(?:pid|\w+_temp_path) (\S+);", config, re.MULTILINE)
    assert len(paths) == 6
    assert all(path.startswith("/tmp/") for path in paths)
