"""DnsrrSwarmSpawner (platform/testing/): users' services by DNS round robin, and the platform
spawner's poll, which keeps a server alive while Swarm brings its task up on another node.

The Docker API's answer (the task) is given to `get_task` directly: the whole spawner runs against a
real multi-node Swarm in tests/platform/swarm/multinode/test_failover.py.
"""

import asyncio
import sys
from pathlib import Path

import pytest
from dockerspawner import SwarmSpawner

PLATFORM = Path(__file__).resolve().parents[3] / "platform"
# In the hub image both files sit on sys.path (jupyterhub_config.py adds its own folder).
sys.path.insert(0, str(PLATFORM / "hub"))
sys.path.insert(0, str(PLATFORM / "testing"))
from dnsrr_swarm_spawner import DnsrrSwarmSpawner  # noqa: E402
from swarm_spawner import PlatformSwarmSpawner  # noqa: E402

# States a task passes through when Swarm reschedules it (drain, lost node).
MOVING = ["new", "assigned", "accepted", "ready", "prepared"]


def poll(spawner_class, state: str):
    spawner = spawner_class()

    async def get_task():
        return {"Status": {"State": state, "Message": state}}

    spawner.get_task = get_task
    return asyncio.run(spawner.poll())


def test_services_use_dns_round_robin_and_publish_no_port():
    spawner = DnsrrSwarmSpawner()
    assert spawner.extra_endpoint_spec == {"mode": "dnsrr"}
    assert spawner.use_internal_ip
    # The production spawner publishes nothing special: only the dnsrr one changes the endpoint.
    assert PlatformSwarmSpawner().extra_endpoint_spec == {}


@pytest.mark.parametrize("state", MOVING)
def test_a_task_being_rescheduled_is_alive(state):
    assert poll(DnsrrSwarmSpawner, state) is None
    # dockerspawner 14.0.0's SwarmSpawner declares such a server stopped: the bug fixed below it.
    assert poll(SwarmSpawner, state) is not None


@pytest.mark.parametrize("state", ["running", "starting", "preparing", "pending"])
def test_a_running_or_starting_task_is_alive(state):
    assert poll(DnsrrSwarmSpawner, state) is None


@pytest.mark.parametrize("state", ["complete", "failed", "shutdown", "rejected", "orphaned"])
def test_an_ended_task_is_a_stopped_server(state):
    assert poll(DnsrrSwarmSpawner, state) is not None
