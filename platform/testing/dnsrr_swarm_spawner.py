"""SwarmSpawner for a Swarm whose kernel has no IPVS (no virtual IPs, no ingress routing mesh).

Users' services are created with `endpoint_mode: dnsrr` (their name resolves to the task's own
address on the overlay network) and publish no port: the hub reaches each server by service name on
the overlay, as in production. platform/stack.multinode.yml ships this file to the hub as a Docker
config and selects it with HUB_SPAWNER_CLASS; tests/platform/swarm/multinode/ deploys it.

It builds on the platform's spawner (platform/hub/swarm_spawner.py, in the hub image next to
jupyterhub_config.py, which puts its folder on sys.path): the same poll for servers that Swarm moves
to another node.
"""

from swarm_spawner import PlatformSwarmSpawner
from traitlets import default


class DnsrrSwarmSpawner(PlatformSwarmSpawner):
    @default("use_internal_ip")
    def _default_use_internal_ip(self):
        # No port published through the routing mesh (it needs IPVS).
        return True

    @default("extra_endpoint_spec")
    def _default_extra_endpoint_spec(self):
        return {"mode": "dnsrr"}

    @default("encrypt_user_network")
    def _default_encrypt_user_network(self):
        # This kernel lacks IPsec's AES-GCM ESP (see stack.multinode.yml).
        return False

    @default("relay_constraints")
    def _default_relay_constraints(self):
        # The nginx stand-in image is loaded on the manager only.
        return ["node.role == manager"]
