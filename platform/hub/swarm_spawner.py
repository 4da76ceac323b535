"""The platform's SwarmSpawner: dockerspawner 14.0.0's SwarmSpawner with a poll that keeps a server
alive while Swarm moves its task to another node, and a start that follows the task's state closely
and returns once the server answers.

Shipped in the hub image next to jupyterhub_config.py, which selects it (HUB_SPAWNER_CLASS may
replace it); platform/testing/dnsrr_swarm_spawner.py builds on it.
"""

import asyncio
import time
from pprint import pformat

import aiohttp
from dockerspawner import SwarmSpawner
from jupyterhub.httpclient import fetch
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
# One look at a starting server: a server that accepts the connection but does not answer yet is
# looked at again.
LOOK_TIMEOUT = aiohttp.ClientTimeout(total=2)
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

    answer_wait = Float(
        30,
        config=True,
        help="Seconds a start looks (as often as at the task) for the server to answer before it "
        "leaves the waiting to the hub, whose looks back off to one every 0-5 s.",
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

    async def start(self):
        """Start the server and return once it answers (or after answer_wait seconds).

        The hub then waits for the server itself, with JupyterHub's back-off: a random 0-0.2 s
        sleep between looks, then 0-0.4, 0-0.8, ... up to 0-5 s, so that a user waits on average
        about half of the current step after the server came up. Returning an answering server
        makes the hub's first look succeed.
        """
        ip, port = await super().start()
        if self.server is not None and not self.internal_ssl:
            await self.wait_until_answering(f"http://{ip}:{port}{self.server.base_url}api")
        return ip, port

    async def wait_until_answering(self, url):
        """Look at url every task_poll_interval (growing to task_poll_max_interval) until any
        answer below 500 comes, as the hub's own check counts it, or answer_wait has passed.
        """
        deadline = time.monotonic() + self.answer_wait
        intervals = self._poll_intervals()
        while time.monotonic() < deadline:
            try:
                response = await fetch(
                    url, raise_for_status=False, allow_redirects=False, timeout=LOOK_TIMEOUT
                )
                response.release()
                if response.status < 500:
                    return True
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
                pass
            await anext(intervals)
        self.log.info("%s does not answer yet; the hub goes on waiting", url)
        return False

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
