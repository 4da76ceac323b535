"""DnsrrSwarmSpawner (platform/testing/): users' services by DNS round robin, on top of the platform
spawner, whose poll (tested in tests/platform/hub/test_swarm_spawner.py) keeps a server alive while
Swarm brings its task up on another node.

The whole spawner runs against a real multi-node Swarm in
tests/platform/swarm/multinode/test_failover.py.
"""

import sys
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[3] / "platform"
# In the hub image both files sit on sys.path (jupyterhub_config.py adds its own folder).
sys.path.insert(0, str(PLATFORM / "hub"))
sys.path.insert(0, str(PLATFORM / "testing"))
from dnsrr_swarm_spawner import DnsrrSwarmSpawner  # noqa: E402
from swarm_spawner import PlatformSwarmSpawner  # noqa: E402


def test_services_use_dns_round_robin_and_publish_no_port():
    spawner = DnsrrSwarmSpawner()
    assert spawner.extra_endpoint_spec == {"mode": "dnsrr"}
    assert spawner.use_internal_ip
    # The production spawner publishes nothing special: only the dnsrr one changes the endpoint.
    assert PlatformSwarmSpawner().extra_endpoint_spec == {}


def test_it_keeps_the_platform_spawners_poll():
    assert issubclass(DnsrrSwarmSpawner, PlatformSwarmSpawner)
    assert DnsrrSwarmSpawner.poll is PlatformSwarmSpawner.poll
