"""The platform's SwarmSpawner: dockerspawner 14.0.0's SwarmSpawner with a poll that keeps a server
alive while Swarm moves its task to another node, a start that follows the task's state closely
and returns once the server answers, a service name new at each start (the hub's resolver keeps a
removed service's address), and (isolate_network) each server on a network of its own, reached
only through its relay.

Shipped in the hub image next to jupyterhub_config.py, which selects it (HUB_SPAWNER_CLASS may
replace it); platform/testing/dnsrr_swarm_spawner.py builds on it.
"""

import asyncio
import contextlib
import hashlib
import secrets
import string
import time
from pprint import pformat
from urllib.parse import urlsplit

import aiohttp
from docker.errors import APIError, NotFound
from docker.types import (
    ContainerSpec,
    EndpointSpec,
    Mount,
    Placement,
    Resources,
    TaskTemplate,
)
from dockerspawner import SwarmSpawner
from jupyterhub.httpclient import fetch
from traitlets import Bool, Dict, Float, List, Unicode, default

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


class TaskFollowingSwarmSpawner(SwarmSpawner):
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
        help="Seconds a start looks (every answer_poll_interval) for the server to answer before "
        "it leaves the waiting to the hub, whose looks back off to one every 0-5 s.",
    )
    answer_poll_interval = Float(
        0.1,
        config=True,
        help="Seconds between two looks for a starting server's answer, without back-off: a user "
        "waits on average half of it after the server is up. A look at a server that does not "
        "listen yet costs the hub ~0.4 ms of CPU (ten servers starting: ~4% of a core).",
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
        """Look at url every answer_poll_interval until any answer below 500 comes, as the hub's
        own check counts it, or answer_wait has passed.

        No back-off: a JupyterLab server takes seconds to start, so a growing interval would
        have reached its maximum by then, and the user waits half of it on average after the
        server is up (0.25 s with the task's 0.5 s).
        """
        deadline = time.monotonic() + self.answer_wait
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
            await asyncio.sleep(self.answer_poll_interval)
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


# The relay of one user's server (an nginx on the user's network and on the hub's): port 8888 leads
# to the user's server (CHP's route), port 8081 to the hub's API only. nginx resolves the names
# through Docker's DNS at each request (a name in a variable), so it starts before the server exists
# and follows the server when Swarm moves it. It runs unprivileged on a read-only root filesystem:
# everything it writes (this file, its pid, its temporary files) is on a tmpfs at /tmp.
RELAY_CONFIG = """\
daemon off;
worker_processes 1;
pid /tmp/relay.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path /tmp/client_body;
    proxy_temp_path /tmp/proxy;
    fastcgi_temp_path /tmp/fastcgi;
    uwsgi_temp_path /tmp/uwsgi;
    scgi_temp_path /tmp/scgi;
    server_tokens off;
    resolver 127.0.0.11 valid=1s ipv6=off;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_buffering off;
    proxy_request_buffering off;
    proxy_read_timeout 1d;
    proxy_send_timeout 1d;
    client_max_body_size 0;
    server {{
        listen 8888;
        location / {{
            set $server {server};
            proxy_pass $server;
        }}
    }}
    server {{
        listen 8081;
        location {api_path} {{
            set $hub {hub};
            proxy_pass $hub;
        }}
        location / {{
            return 404;
        }}
    }}
}}
"""
RELAY_COMMAND = [
    "/bin/sh",
    "-c",
    # -e: the error log before the configuration is read (the built-in path is not writable).
    'printf "%s" "$RELAY_CONFIG" > /tmp/relay.conf && exec nginx -e stderr -c /tmp/relay.conf',
]
# nobody:nogroup: the relay listens on ports above 1024 and needs no capability.
RELAY_USER = "65534:65534"
RELAY_TMPFS_BYTES = 16 * 1024**2


# A service's name is a DNS label: 63 characters, the relay's suffix included.
NAME_LIMIT = 63
RELAY_SUFFIX = "-relay"
SPAWN_ID_ALPHABET = string.ascii_lowercase + string.digits
SPAWN_ID_LENGTH = 5
# The label that marks every service and network of a user's server (leftovers are found by it),
# and the one that marks a relay with the server it serves (platform/deploy reads both).
USER_LABEL = "jupyterhub.user"
RELAY_LABEL = "jupyterhub.relay-of"


def new_spawn_id() -> str:
    return "".join(secrets.choice(SPAWN_ID_ALPHABET) for _ in range(SPAWN_ID_LENGTH))


def per_spawn_name(base: str, spawn_id: str) -> str:
    """`<base>-<spawn_id>`, short enough for `-relay` to follow; a long base keeps its start and
    a digest of the whole (distinct bases stay distinct)."""
    room = NAME_LIMIT - len(RELAY_SUFFIX) - len(spawn_id) - 1
    if len(base) > room:
        digest = hashlib.sha256(base.encode()).hexdigest()[:10]
        base = f"{base[: room - len(digest) - 1]}-{digest}"
    return f"{base}-{spawn_id}"


class PlatformSwarmSpawner(TaskFollowingSwarmSpawner):
    """With isolate_network, each server on an overlay network of its own.

    The hub and CHP share the hub's network (network_name) and Swarm cannot attach them to a new
    network without restarting them (moby#39391). So each server gets `<service>-net` and a relay
    service `<service>-relay` on that network and on the hub's: CHP routes to the relay's port 8888,
    the server calls the hub's API through the relay's port 8081. A user's code reaches its own
    server and the hub's API, nothing else of the platform and no other user's server.
    All names derive from the service's name: a restarted hub finds them again.

    The service's name is `<name_template>-<spawn id>`, the id new at each start and kept in the
    spawner's state with the name (dockerspawner persists object_name), so the hub, poll, the
    culler and a drain or node loss find the running server by it. With the same name at each
    start, a stopped and restarted server was unreachable on dnsrr overlays: the hub's HTTP client
    (aiohttp with aiodns, whose c-ares keeps answers for their TTL, 600 s from Docker's DNS) kept
    connecting to the removed task's address while Docker's DNS already answered the new one (at
    once: the old server, still shutting down, passed the hub's readiness check; later: nothing
    answers there, and the spawn times out).
    """

    isolate_network = Bool(
        False,
        config=True,
        help="Each server on its own overlay network behind a relay; False: every server on "
        "network_name with the hub.",
    )
    encrypt_user_network = Bool(
        True, config=True, help="IPsec encryption of each server's network between nodes."
    )
    relay_image = Unicode(
        "docker.io/library/nginx:1.28.0-bookworm", config=True, help="The relays' nginx image."
    )
    relay_constraints = List(
        Unicode(),
        ["node.platform.os == linux"],
        config=True,
        help="Swarm placement constraints of the relays.",
    )
    relay_resources = Dict(
        {"cpu_limit": int(0.5e9), "mem_limit": 64 * 1024**2},
        config=True,
        help="docker.types.Resources arguments of each relay.",
    )
    network_removal_timeout = Float(
        60, config=True, help="Seconds to wait for a removed server's tasks to leave its network."
    )

    spawn_id = Unicode(
        "", help="New at each start; with it, the service's name is unique to one spawn."
    )

    @default("object_name")
    def _object_name_default(self):
        base = self._render_templates(self.name_template)
        return per_spawn_name(base, self.spawn_id) if self.spawn_id else base

    @property
    def user_network(self):
        return f"{self.service_name}-net"

    @property
    def relay_name(self):
        return f"{self.service_name}{RELAY_SUFFIX}"

    @property
    def user_labels(self):
        return {USER_LABEL: self.escaped_name}

    def relay_config(self):
        hub = urlsplit(self.hub.api_url)
        return RELAY_CONFIG.format(
            server=f"http://{self.service_name}:{self.port}",
            hub=f"{hub.scheme}://{hub.netloc}",
            api_path=hub.path.rstrip("/") + "/",
        )

    def relay_api_url(self):
        """The hub's API URL as the server reaches it: through its relay."""
        hub = urlsplit(self.hub.api_url)
        return f"http://{self.relay_name}:8081{hub.path}"

    def get_env(self):
        env = super().get_env()
        if self.isolate_network:
            for name in ("JUPYTERHUB_API_URL", "JUPYTERHUB_ACTIVITY_URL"):
                if name in env:
                    env[name] = env[name].replace(self.hub.api_url, self.relay_api_url(), 1)
        return env

    async def start(self):
        await self.remove_leftovers()
        self.spawn_id = new_spawn_id()
        self.object_name = self._object_name_default()
        self.object_id = ""
        try:
            return await super().start()
        except (Exception, asyncio.CancelledError):
            # JupyterHub stops a server whose start failed (or was cancelled at start_timeout)
            # only if it polls as running: a failed or rejected task would leave all this.
            if self.isolate_network:
                await self.remove_object()
            raise

    async def remove_leftovers(self):
        """Services and networks of the user's earlier spawns that a stop could not remove (a hub
        that died while stopping, a network whose tasks took too long to detach)."""
        filters = {"label": f"{USER_LABEL}={self.escaped_name}"}
        for service in await self.docker("services", filters=filters):
            name = service["Spec"]["Name"]
            self.log.warning("Removing %s, left by an earlier spawn", name)
            await self.remove_service(service["ID"])
        for network in await self.docker("networks", filters=filters):
            with contextlib.suppress(APIError):  # still detaching: removed at a later start
                await self.docker("remove_network", network["Id"])

    async def create_object(self):
        self.extra_create_kwargs = {
            **self.extra_create_kwargs,
            "labels": {**self.extra_create_kwargs.get("labels", {}), **self.user_labels},
        }
        if not self.isolate_network:
            return await super().create_object()
        await self.create_user_network()
        await self.create_relay()
        self.extra_task_spec = {**self.extra_task_spec, "networks": [self.user_network]}
        return await super().create_object()

    async def create_user_network(self):
        try:
            await self.docker("inspect_network", self.user_network)
            return  # left by a removal that timed out: reused
        except NotFound:
            pass
        options = {"encrypted": "true"} if self.encrypt_user_network else {}
        await self.docker(
            "create_network",
            self.user_network,
            driver="overlay",
            options=options,
            labels={"jupyterhub.user-network": self.service_name, **self.user_labels},
        )

    async def create_relay(self):
        await self.remove_service(self.relay_name)  # a leftover may carry an older config
        container = ContainerSpec(
            image=self.relay_image,
            command=RELAY_COMMAND,
            env={"RELAY_CONFIG": self.relay_config()},
            user=RELAY_USER,
            cap_drop=["ALL"],
            read_only=True,
            mounts=[Mount("/tmp", None, type="tmpfs", tmpfs_size=RELAY_TMPFS_BYTES)],
        )
        task = TaskTemplate(
            container_spec=container,
            resources=Resources(**self.relay_resources),
            networks=[self.user_network, self.network_name],
            placement=Placement(constraints=list(self.relay_constraints)),
            log_driver=self.extra_task_spec.get("log_driver"),
        )
        await self.docker(
            "create_service",
            task_template=task,
            endpoint_spec=EndpointSpec(**self.extra_endpoint_spec),
            name=self.relay_name,
            labels={RELAY_LABEL: self.service_name, **self.user_labels},
        )

    async def get_ip_and_port(self):
        if self.isolate_network:
            return self.relay_name, self.port
        return await super().get_ip_and_port()

    async def remove_object(self):
        """The server's service, then its relay and network (also after a failed start)."""
        if self.object_id:
            await self.remove_service(self.object_id)
        else:
            await self.remove_service(self.service_name)
        if self.isolate_network:
            await self.remove_service(self.relay_name)
            await self.remove_user_network()

    async def remove_service(self, name):
        with contextlib.suppress(NotFound):
            await self.docker("remove_service", name)

    async def remove_user_network(self):
        """Swarm detaches the removed services' tasks from the network after a few seconds."""
        deadline = asyncio.get_running_loop().time() + self.network_removal_timeout
        intervals = self._poll_intervals()
        while True:
            try:
                await self.docker("remove_network", self.user_network)
                return
            except NotFound:
                return
            except APIError as error:
                if asyncio.get_running_loop().time() > deadline:
                    self.log.error("Network %s not removed: %s", self.user_network, error)
                    return
            await anext(intervals)
