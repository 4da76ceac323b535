"""The platform's SwarmSpawner: dockerspawner 14.0.0's SwarmSpawner with a poll that keeps a server
alive while Swarm moves its task to another node.

Shipped in the hub image next to jupyterhub_config.py, which selects it (HUB_SPAWNER_CLASS may
replace it); platform/testing/dnsrr_swarm_spawner.py builds on it.
"""

from pprint import pformat

from dockerspawner import SwarmSpawner

# A task's states on its way to running (https://docs.docker.com/engine/swarm/how-swarm-mode-works/
# swarm-task-states/), and running itself.
ALIVE_STATES = {
    "new", "allocated", "pending", "assigned", "accepted",
    "ready", "preparing", "prepared", "starting", "running",
}  # fmt: skip


class PlatformSwarmSpawner(SwarmSpawner):
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
