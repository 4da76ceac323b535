"""PlatformSwarmSpawner (platform/hub/swarm_spawner.py): a server whose task Swarm is moving to
another node stays alive for the hub; dockerspawner 14.0.0's SwarmSpawner declares it stopped.

The Docker API's answer (the task) is given to `get_task` directly: the whole spawner runs against a
real Swarm in tests/platform/swarm/ and a real multi-node Swarm in
tests/platform/swarm/multinode/test_failover.py.
"""

import asyncio
import sys

import pytest
from dockerspawner import SwarmSpawner

from harness.hub_env import HUB_CONFIG

sys.path.insert(0, str(HUB_CONFIG.parent))
from swarm_spawner import PlatformSwarmSpawner  # noqa: E402

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
