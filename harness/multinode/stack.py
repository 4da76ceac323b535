"""platform/stack.yml + platform/stack.multinode.yml on the multi-node cluster: deploy, find where
each service's task runs, look inside it, remove it.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from harness.multinode.cluster import Cluster, Node
from harness.stack import POLL_SECONDS, deploy_tool_module, ldap_variables, write_stack_secrets
from harness.user_services import current_service

# Users' servers run on the workers, but the hub inspects their image on the manager before creating
# the service: the manager gets every image.
MANAGER_IMAGES = (
    "mlops/jupyterhub:0.1.0",
    "mlops-local/jupyterhub:6.1.1",  # configurable-http-proxy (the chp service)
    "mlops-local/postgres:15",
    "mlops-local/nginx:1.22",
)
NOTEBOOK_IMAGES = ("mlops/notebook-base:0.1.0",)


STACK = "jupyterhub"
SERVICES = ("db", "hub", "chp", "proxy")
USER_SERVICE_PREFIX = "jupyter-"
# stack.yml's overlay networks as stack.multinode.yml names them, created by deploy(): the users'
# network (SWARM_NETWORK), nginx <-> hub, hub <-> database (internal).
NETWORKS = {
    "jupyterhub": ["--attachable"],
    "jupyterhub-web": [],
    "jupyterhub-database": ["--internal"],
}


def service_name(service: str) -> str:
    return service if service.startswith(USER_SERVICE_PREFIX) else f"{STACK}_{service}"


@dataclass
class Task:
    id: str
    node: str  # the node's hostname: manager, worker1, worker2
    state: str  # Status.State: running, starting, ...
    container: str  # '' until the node has created it


@dataclass
class MultinodeStack:
    cluster: Cluster
    platform_dir: Path
    env: dict[str, str]
    homes: Path
    shared: Path
    ca_file: Path

    @property
    def manager(self) -> Node:
        return self.cluster.manager

    @property
    def https_url(self) -> str:
        return f"https://{self.manager.address}"

    def deploy(self) -> None:
        """Create the overlay networks (see stack.multinode.yml), put nginx's certificate into
        TLS_DIR as `platform/deploy` does, then deploy the stack."""
        deploy_tool_module().install_certificate(
            Path(self.env["SECRETS_DIR"]), Path(self.env["TLS_DIR"])
        )
        for network, options in NETWORKS.items():
            self.manager.docker("network", "create", "--driver", "overlay", *options, network)
        self.manager.docker(
            "stack",
            "deploy",
            "-c",
            "stack.yml",
            "-c",
            "stack.multinode.yml",
            STACK,
            cwd=self.platform_dir,
            env=self.env,
        )

    def start(self, client) -> None:
        """Deploy, then wait until db, hub and proxy run and the hub answers `client` (threads in
        the lan namespace).
        """
        self.deploy()
        for service in SERVICES:
            self.wait_running(service, healthy=False)
        self.wait_answering(client)

    def service_names(self) -> list[str]:
        return self.manager.docker("service", "ls", "--format", "{{.Name}}").stdout.split()

    def resolve(self, service: str) -> str:
        """The Swarm name of `service`: `hub` is `jupyterhub_hub`, `jupyter-<user>` the service of
        the user's current spawn (harness/user_services.py)."""
        if not service.startswith(USER_SERVICE_PREFIX):
            return service_name(service)
        return current_service(service, self.service_names())

    def node_names(self) -> dict[str, str]:
        out = self.manager.docker("node", "ls", "--format", "{{.ID}} {{.Hostname}}").stdout
        return dict(line.split() for line in out.splitlines())

    def running_task(self, service: str) -> Task | None:
        """The task Swarm wants running for `service` (None if none is scheduled)."""
        ids = self.manager.docker(
            "service",
            "ps",
            "-q",
            "--no-trunc",
            "--filter",
            "desired-state=running",
            self.resolve(service),
            check=False,
        ).stdout.split()
        if not ids:
            return None
        task = json.loads(self.manager.docker("inspect", "--type", "task", ids[0]).stdout)[0]
        status = task["Status"]
        return Task(
            id=task["ID"],
            node=self.node_names().get(task.get("NodeID", ""), ""),
            state=status["State"],
            container=(status.get("ContainerStatus") or {}).get("ContainerID", ""),
        )

    def node(self, hostname: str) -> Node:
        return self.cluster.nodes[hostname]

    def health(self, task: Task) -> str:
        state = json.loads(
            self.node(task.node)
            .docker("inspect", "--format", "{{json .State}}", task.container)
            .stdout
        )
        return (state.get("Health") or {}).get("Status", "none")

    def wait_running(
        self, service: str, timeout: float = 240, not_on: str | None = None, healthy: bool = True
    ) -> Task:
        """Wait until `service` has a running (and healthy, if it has a healthcheck) task, on any
        node but `not_on`."""
        deadline = time.monotonic() + timeout
        while True:
            task = self.running_task(service)
            placed = task and task.state == "running" and task.container and task.node != not_on
            if placed and (not healthy or self.health(task) in ("healthy", "none")):
                return task
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{service} not running within {timeout:.0f} s: {self.describe()}"
                )
            time.sleep(POLL_SECONDS)

    def hub_health(self) -> int:
        """The status of GET /hub/health through nginx (0: no answer). Call it in the lan."""
        try:
            return requests.get(
                f"{self.https_url}/hub/health", verify=self.ca_file, timeout=5
            ).status_code
        except requests.RequestException:
            return 0

    def wait_answering(self, client, timeout: float = 180) -> None:
        """Wait until the hub answers through nginx, asked from the lan namespace."""
        deadline = time.monotonic() + timeout
        while client.run(self.hub_health) != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the hub did not answer within {timeout:.0f} s: {self.describe()}"
                )
            time.sleep(POLL_SECONDS)

    def exec(
        self,
        service: str,
        *command: str,
        user: str | None = None,
        check: bool = True,
        input: str | None = None,
    ):
        """`command` in the service's running container; `input` is its standard input."""
        task = self.running_task(service)
        assert task, f"{service} has no running task: {self.describe()}"
        assert task.container, f"{service} has no running container: {self.describe()}"
        options = ["--user", user] if user else []
        if input is not None:
            options.append("--interactive")
        return self.node(task.node).docker(
            "exec", *options, task.container, *command, check=check, input=input
        )

    def describe(self) -> str:
        out = self.manager.docker(
            "service",
            "ps",
            "--format",
            "{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}",
            *self.service_names(),
            check=False,
        ).stdout
        return "\n  " + "\n  ".join(out.splitlines()[:30])

    def save_logs(self, folder: Path) -> None:
        for service in self.service_names():
            result = self.manager.docker(
                "service", "logs", "--raw", "--timestamps", service, check=False, timeout=30
            )
            (folder / f"multinode-{service}.log").write_text(result.stdout + result.stderr)

    def remove(self, timeout: float = 90) -> list[str]:
        """Remove the stack and every user service; return the services left after `timeout`."""
        self.manager.docker("stack", "rm", STACK, check=False)
        for name in self.service_names():
            if name.startswith(USER_SERVICE_PREFIX):
                self.manager.docker("service", "rm", name, check=False)
        deadline = time.monotonic() + timeout
        while self.service_names() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        left = self.service_names()
        if not left:
            # Detached from the last container only after the tasks' teardown: retry a little.
            for network in NETWORKS:
                while self.manager.docker("network", "rm", network, check=False).returncode != 0:
                    if time.monotonic() > deadline:
                        return [f"network {network}"]
                    time.sleep(POLL_SECONDS)
        return left


def new_multinode_stack(
    cluster: Cluster,
    slapd,
    ca,
    secrets_folder: Path,
    platform_dir: Path,
    spawn_timeout: int,
    notebook_images: dict[str, str] | None = None,
) -> MultinodeStack:
    """platform/stack.yml + platform/stack.multinode.yml with the tests' LDAP and CA, users' servers
    placed on the workers: secrets, folders and settings written, not deployed yet (`start`).
    `notebook_images`: the hub's image menu (NOTEBOOK_IMAGES), else the hub's default.
    """
    secrets_dir = write_stack_secrets(secrets_folder, ca, slapd.search_password)
    cert, key = ca.issue("multinode-proxy", ip=cluster.manager.address)
    (secrets_dir / "tls.crt").write_bytes(cert.read_bytes())
    (secrets_dir / "tls.key").write_bytes(key.read_bytes())
    homes, shared = cluster.root / "homes", cluster.root / "shared"
    homes.mkdir()
    shared.mkdir()
    shutil.chown(shared, 1000, 100)
    env = {
        **ldap_variables(slapd),
        "SECRETS_DIR": str(secrets_dir),
        "SERVER_NAME": cluster.manager.address,
        "PUBLISH_MODE": "host",
        "NFS_SERVER": "unused",  # required by stack.yml; the overlay binds local folders instead
        "NFS_EXPORT": "/unused",
        "MULTINODE_HOMES": str(homes),
        "MULTINODE_SHARED": str(shared),
        "TLS_DIR": str(cluster.root / "tls"),  # on the manager, where the proxy runs
        "HUB_IMAGE": "mlops/jupyterhub:0.1.0",
        "DOCKER_SOCKET": str(cluster.manager.socket),
        "NOTEBOOK_PLACEMENT": "node.role == worker",
        "CPU_LIMIT": "1",
        "MEM_LIMIT": "1G",
        "SPAWN_TIMEOUT": str(spawn_timeout),
    }
    if notebook_images:
        env["NOTEBOOK_IMAGES"] = json.dumps(notebook_images)
    manager_id = cluster.manager.docker("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
    for label in ("jupyterhub.db=true", "jupyterhub.proxy=true"):
        cluster.manager.docker("node", "update", "--label-add", label, manager_id)
    return MultinodeStack(cluster, platform_dir, env, homes, shared, ca.cert)
