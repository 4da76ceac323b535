"""PlatformSwarmSpawner (platform/hub/swarm_spawner.py): a server whose task Swarm is moving to
another node stays alive for the hub; dockerspawner 14.0.0's SwarmSpawner declares it stopped.

The Docker API's answer (the task) is given to `get_task` directly: the whole spawner runs against a
real Swarm in tests/platform/swarm/ and a real multi-node Swarm in
tests/platform/swarm/multinode/test_failover.py.
"""

import asyncio
import http.server
import socket
import sys
import threading
from types import SimpleNamespace

import pytest
from dockerspawner import SwarmSpawner
from jupyterhub.httpclient import JupyterHubHTTPClient
from jupyterhub.objects import Server

from harness.hub_env import HUB_CONFIG

sys.path.insert(0, str(HUB_CONFIG.parent))
from swarm_spawner import PlatformSwarmSpawner, TaskFollowingSwarmSpawner

# States a task passes through when Swarm reschedules it (drain, lost node).
MOVING = ["new", "assigned", "accepted", "ready", "prepared"]


def poll(spawner_class, state: str):
    spawner = spawner_class()

    async def get_task():
        return {"Status": {"State": state, "Message": state}}

    spawner.get_task = get_task
    return asyncio.run(spawner.poll())


@pytest.mark.parametrize("state", MOVING)
def test_a_task_being_rescheduled_is_alive(state):
    assert poll(PlatformSwarmSpawner, state) is None
    # dockerspawner 14.0.0's SwarmSpawner declares such a server stopped: the bug fixed here.
    assert poll(SwarmSpawner, state) is not None


@pytest.mark.parametrize("state", ["running", "starting", "preparing", "pending"])
def test_a_running_or_starting_task_is_alive(state):
    assert poll(PlatformSwarmSpawner, state) is None


@pytest.mark.parametrize("state", ["complete", "failed", "shutdown", "rejected", "orphaned"])
def test_an_ended_task_is_a_stopped_server(state):
    assert "'State': '" + state + "'" in poll(PlatformSwarmSpawner, state)


def test_services_are_removed_when_servers_stop():
    # Not an option in dockerspawner 14 (a class constant of SwarmSpawner): the config sets nothing.
    assert PlatformSwarmSpawner.remove is True
    assert "remove" not in PlatformSwarmSpawner.class_trait_names()


# Starting a server: the spawner looks at the task until it runs. The Docker API's answers are given
# by a scripted client (the real Swarm runs in tests/platform/swarm/); asyncio.sleep is recorded
# instead of slept, so the waits between looks are checked exactly and the test takes no time.
STARTING_THEN_RUNNING = [
    "new",
    "pending",
    "assigned",
    "accepted",
    "ready",
    "preparing",
    "prepared",
    "starting",
    "running",
]


class ScriptedDockerClient:
    """Answers `tasks` with the states of a script: each look at the running task (get_task) moves
    to the next state, the looks for any task after creating the service do not."""

    def __init__(self, states, empty_task_lists=0):
        self.states = list(states)
        self.empty_task_lists = empty_task_lists
        self.created = False

    def create_service(self, **kwargs):
        self.created = True
        return {"ID": "service-id"}

    def inspect_service(self, service_id):
        return {"ID": service_id}

    def tasks(self, filters):
        if not self.created:
            return []
        if self.empty_task_lists:
            self.empty_task_lists -= 1
            return []
        state = self.states[0]
        if "desired-state" in filters and len(self.states) > 1:
            self.states.pop(0)
        return [{"Status": {"State": state, "Message": state}}]


def start_with(spawner_class, scripted_client, monkeypatch):
    """Run create_object and start_object against the client; the seconds slept between looks."""
    slept = []

    async def record_sleep(seconds):
        slept.append(seconds)

    class Spawner(spawner_class):
        client = scripted_client

        # What the hub would give a spawner; not part of the waiting looked at here.
        def get_env(self):
            return {}

        async def get_command(self):
            return ["jupyterhub-singleuser"]

    spawner = Spawner(user=SimpleNamespace(name="user"))
    spawner.object_id = "service-id"
    spawner.object_name = "jupyter-user"

    async def create_and_start():
        await spawner.create_object()
        await spawner.start_object()

    with monkeypatch.context() as patch:
        patch.setattr(asyncio, "sleep", record_sleep)
        asyncio.run(create_and_start())
    return slept


def test_start_follows_the_task_without_long_waits(monkeypatch):
    slept = start_with(
        PlatformSwarmSpawner, ScriptedDockerClient(STARTING_THEN_RUNNING), monkeypatch
    )
    assert len(slept) == len(STARTING_THEN_RUNNING) - 1
    assert max(slept) <= PlatformSwarmSpawner.task_poll_max_interval.default_value == 0.5
    assert sum(slept) < 4


def test_dockerspawner_backs_off_for_seconds_and_fails_on_prepared(monkeypatch):
    # The behaviour replaced: 1 s, 1.5 s, 2.25 s, ... between looks; a look at `prepared` fails.
    slept = start_with(
        SwarmSpawner, ScriptedDockerClient(["new", "pending", "starting", "running"]), monkeypatch
    )
    assert slept == [1.0, 1.5, 2.25]
    with pytest.raises(RuntimeError, match="not running"):
        start_with(
            SwarmSpawner, ScriptedDockerClient(["preparing", "prepared", "running"]), monkeypatch
        )


def test_a_task_not_created_yet_is_waited_for_briefly(monkeypatch):
    # Swarm creates the task a moment after the service: dockerspawner sleeps 1 s, we look soon.
    client = ScriptedDockerClient(["running"], empty_task_lists=3)
    slept = start_with(PlatformSwarmSpawner, client, monkeypatch)
    assert slept == [0.1, 0.15000000000000002, 0.22500000000000003]
    assert start_with(
        SwarmSpawner, ScriptedDockerClient(["running"], empty_task_lists=1), monkeypatch
    ) == [1]


@pytest.mark.parametrize("state", ["failed", "complete", "shutdown", "orphaned"])
def test_a_task_that_ends_fails_the_start(monkeypatch, state):
    with pytest.raises(RuntimeError, match=f"'State': '{state}'"):
        start_with(PlatformSwarmSpawner, ScriptedDockerClient(["pending", state]), monkeypatch)


def test_a_rejected_task_is_waited_for_since_swarm_starts_another(monkeypatch):
    slept = start_with(
        PlatformSwarmSpawner, ScriptedDockerClient(["rejected", "new", "running"]), monkeypatch
    )
    assert len(slept) == 2


# Returning once the server answers: the hub's own wait backs off to a random 0-5 s between looks.
# A real HTTP server on 127.0.0.1 starts listening after a few looks; the sleeps are recorded.
class LateServer:
    """An HTTP server on a free port of 127.0.0.1 that listens only once `listen` is called."""

    def __init__(self, status=200):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.status = status
        self.server = None
        self.paths = []

    def listen(self):
        if self.server:
            return
        late = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                late.paths.append(self.path)
                self.send_response(late.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def wait_for(server: LateServer, looks_before_listening: int, monkeypatch, answer_wait=30):
    """Run wait_until_answering against server; (its result, the seconds it slept between looks)."""
    slept = []
    real_sleep = asyncio.sleep

    async def record_sleep(seconds):
        slept.append(seconds)
        if len(slept) == looks_before_listening:
            server.listen()
        await real_sleep(0)

    spawner = PlatformSwarmSpawner(answer_wait=answer_wait)

    async def wait():
        try:
            return await spawner.wait_until_answering(f"http://127.0.0.1:{server.port}/user/u/api")
        finally:
            await JupyterHubHTTPClient.loop_instance().close()

    with monkeypatch.context() as patch:
        patch.setattr(asyncio, "sleep", record_sleep)
        try:
            return asyncio.run(wait()), slept
        finally:
            server.close()


def test_start_returns_once_the_server_answers_looking_often(monkeypatch):
    server = LateServer()
    answered, slept = wait_for(server, looks_before_listening=6, monkeypatch=monkeypatch)
    assert answered is True
    assert server.paths == ["/user/u/api"]
    assert len(slept) == 6


def test_the_looks_for_an_answer_do_not_back_off(monkeypatch):
    # A server starts in seconds: with the task's back-off (0.1 s growing to 0.5 s) the looks had
    # reached 0.5 s apart by then, and the user waited 0.25 s on average after the server was up.
    answered, slept = wait_for(LateServer(), 30, monkeypatch)
    assert answered is True
    assert set(slept) == {PlatformSwarmSpawner().answer_poll_interval}
    assert PlatformSwarmSpawner().answer_poll_interval <= 0.1


def test_an_answer_of_404_counts_as_up_as_for_the_hub(monkeypatch):
    answered, _ = wait_for(LateServer(status=404), 1, monkeypatch)
    assert answered is True


def test_a_server_answering_500_or_nothing_is_left_to_the_hub(monkeypatch):
    # A server that answers 500 is not up for the hub either; after answer_wait the hub waits on.
    answered, slept = wait_for(LateServer(status=500), 1, monkeypatch, answer_wait=0.3)
    assert answered is False
    assert len(slept) >= 1


def test_start_waits_at_the_servers_api_url_the_hub_checks(monkeypatch):
    looked_at = []

    async def started(self):
        return "jupyter-u", 8888

    async def answering(self, url):
        looked_at.append(url)
        return True

    monkeypatch.setattr(SwarmSpawner, "start", started)
    monkeypatch.setattr(TaskFollowingSwarmSpawner, "wait_until_answering", answering)
    # The class that waits (PlatformSwarmSpawner's start names the service, then calls it).
    spawner = TaskFollowingSwarmSpawner()
    spawner.server = Server(base_url="/user/u/")
    assert asyncio.run(spawner.start()) == ("jupyter-u", 8888)
    assert looked_at == ["http://jupyter-u:8888/user/u/api"]
