"""SwarmSpawner for a Swarm whose kernel has no IPVS (no virtual IPs, no ingress routing mesh).

Users' services are created with `endpoint_mode: dnsrr` (their name resolves to the task's own
address on the overlay network) and publish no port: the hub reaches each server by service name on
the overlay, as in production. platform/stack.multinode.yml ships this file to the hub as a Docker
config and selects it with HUB_SPAWNER_CLASS; tests/platform/swarm/multinode/ deploys it.

It also fixes SwarmSpawner.poll (dockerspawner 14.0.0) for servers that Swarm moves to another node:
see `poll`.
"""

from pprint import pformat

from dockerspawner import SwarmSpawner
from traitlets import default

# A task's states on its way to running (https://docs.docker.com/engine/swarm/how-swarm-mode-works/
# swarm-task-states/), and running itself.
ALIVE_STATES = {
    "new", "allocated", "pending", "assigned", "accepted",
    "ready", "preparing", "prepared", "starting", "running",
}  # fmt: skip


class DnsrrSwarmSpawner(SwarmSpawner):
    @default("use_internal_ip")
    def _default_use_internal_ip(self):
        # No port published through the routing mesh (it needs IPVS).
        return True

    @default("extra_endpoint_spec")
    def _default_extra_endpoint_spec(self):
        return {"mode": "dnsrr"}

    async def poll(self):
        """None while Swarm is bringing the server's task up or running it.

        SwarmSpawner.poll counts only pending, preparing, starting and running as alive. When a
        node is drained or lost, Swarm starts a new task on another node, which passes through
        assigned, accepted and prepared too; a user's request in that moment makes the hub poll,
        see "prepared", declare the server stopped and drop its route, while the new task comes
        up without a hub that knows it.
        """
        task = await self.get_task()
        if not task:
            self.log.warning("Service %s not found", self.service_name)
            return 0
        if task["Status"]["State"] in ALIVE_STATES:
            return None
        return pformat(task["Status"])
