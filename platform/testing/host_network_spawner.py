"""SwarmSpawner for a Swarm whose services run on the `host` network: the Swarm tests' single-node
Swarm.

Not for production (where users' services share an overlay network and are reached by service name).
On the host network every user's server shares the node's ports, so each spawn gets its own free
127.0.0.1 port: the hub passes it to jupyterhub-singleuser through JUPYTERHUB_SERVICE_URL (built
from `ip` and `port`), and reaches it there. platform/stack.test.yml ships this file to the hub as a
Docker config and selects it with HUB_SPAWNER_CLASS. It builds on the platform's spawner
(platform/hub/swarm_spawner.py, on sys.path in the hub), so the tests run production's poll.
"""

import socket

from swarm_spawner import PlatformSwarmSpawner
from traitlets import default

LOOPBACK = "127.0.0.1"


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class HostNetworkSwarmSpawner(PlatformSwarmSpawner):
    @default("use_internal_ip")
    def _default_use_internal_ip(self):
        # Publish no ports through the ingress network: the server listens on the host directly.
        return True

    async def start(self):
        self.ip = LOOPBACK
        self.port = free_loopback_port()
        return await super().start()

    async def get_ip_and_port(self):
        return LOOPBACK, self.port
