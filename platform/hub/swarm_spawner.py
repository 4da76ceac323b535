"""The platform's SwarmSpawner: dockerspawner 14.0.0's SwarmSpawner with a poll that keeps a server
alive while Swarm moves its task to another node, and a start that follows the task's state closely.

Shipped in the hub image next to jupyterhub_config.py, which selects it (HUB_SPAWNER_CLASS may
replace it); platform/testing/dnsrr_swarm_spawner.py builds on it.
"""

import asyncio
from pprint import pformat

from dockerspawner import SwarmSpawner
from traitlets import Float

# A task's states on its way to running (https://docs.docker.com/engine/swarm/how-swarm-mode-works/
# swarm-task-states/), and running itself.
ALIVE_STATES = {
    "new",
    "allocated",
    "pending",
    "assigned",
    "accepted",
    "ready",
    "preparing",
    "prepared",
    "starting",
    "running",
}
# Not running yet, but on the way: `rejected` too, since Swarm then starts a new task.
STARTING_STATES = (ALIVE_STATES - {"running"}) | {"rejected"}


class PlatformSwarmSpawner(SwarmSpawner):
    task_poll_interval = Float(
        0.1,
        config=True,
        help="Seconds between two looks at a starting server's task; grows 1.5x per look up to "
        "task_poll_max_interval.",
    )
    task_poll_max_interval = Float(
        0.5,
        config=True,
        help="The longest wait between two looks at a starting server's task (dockerspawner 14 "
        "backs off up to 11 s, which a user waits in full when the task runs just after a look).",
    )

    async def _poll_intervals(self):
        """Sleep between two looks at the task: short at first, never longer than the maximum."""
        interval = self.task_poll_interval
        while True:
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, self.task_poll_max_interval)
            yield

    async def docker(self, method, *args, **kwargs):
        """After `create_service`, wait here for Swarm to create the service's task.

        SwarmSpawner.create_object lists the tasks right after creating the service and sleeps a
        whole second when Swarm has not created the task yet, which is usual; this wait looks
        again every task_poll_interval, so its own listing finds the task at once.
        """
        result = await super().docker(method, *args, **kwargs)
        if method == "create_service":
            name = kwargs.get("name", self.service_name)
            intervals = self._poll_intervals()
            while not await super().docker("tasks", filters={"service": name}):
                await anext(intervals)
        return result

    async def start_object(self):
        """Return once the server's task runs; raise when it ended instead.

        Replaces SwarmSpawner.start_object, which sleeps 1 s, then 1.5 s, 2.25 s, ... up to 11 s
        between looks (with ten users starting at once on two cores the tasks take 10-20 s, so
        most users waited several seconds after their server ran), and which fails a start when
        a look falls on `allocated` or `prepared`, states it does not list.
        """
        intervals = self._poll_intervals()
        while True:
            task = await self.get_task()
            if not task:
                raise RuntimeError(f"Service {self.service_name} not found")
            state = task["Status"]["State"].lower()
            if state not in STARTING_STATES:
                break
            await anext(intervals)
        if state != "running":
            raise RuntimeError(
                f"Service {self.service_name} not running: {pformat(task['Status'])}"
            )

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
