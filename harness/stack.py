"""Deploy platform/stack.yml with the test overlay on the tests' Swarm, wait for it, look inside it,
remove it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from harness.engine import DockerEngine
from harness.hub_client import HubSession
from harness.user_services import current_service

STACK = "jupyterhub"
# The hub image as platform/build-images tags it (no registry here; production names its registry).
LOCAL_HUB_IMAGE = "mlops/jupyterhub:0.1.0"
SERVICES = ("db", "hub", "chp", "proxy")
BASE_CHOICE = "Base: Python, JupyterLab, Git, DVC"  # a display name of the hub's image menu
USER_SERVICE_PREFIX = "jupyter-"  # hub/jupyterhub_config.py: SwarmSpawner.name_template
# How often the waits below ask Swarm or the hub again: a wait ends on average half of it after
# what it waits for, and the Swarm tests wait a few dozen times per session.
POLL_SECONDS = 0.5

# Fixed ports of the test overlay (platform/stack.test.yml), all on 127.0.0.1. The stack needs fixed
# ones (nginx forwards to the hub, the hub to the db). They avoid the usual service ports and lie
# below Linux's ephemeral range (32768-60999), where the other tests' free ports come from.
PORTS = {
    "SWARM_TEST_PORT_HTTP": 18080,  # = PROXY_HTTP_PORT
    "SWARM_TEST_PORT_HTTPS": 18443,
    "SWARM_TEST_PORT_HUB": 18000,
    "SWARM_TEST_PORT_PROXY_API": 18001,
    "SWARM_TEST_PORT_HUB_API": 18081,  # = HUB_API_PORT
    "SWARM_TEST_PORT_DB": 15432,
}


@dataclass
class Stack:
    engine: DockerEngine
    platform_dir: Path
    env: dict[str, str]  # the variables stack.yml and stack.test.yml are deployed with
    homes: Path  # stands in for the NFS export of users' homes
    shared: Path  # stands in for the NFS export of the shared folder
    ca_file: Path  # the CA of nginx's certificate

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{PORTS['SWARM_TEST_PORT_HTTPS']}"

    def docker(self, *args: str, **kwargs):
        return self.engine.docker(*args, **kwargs)

    def deploy(self) -> None:
        """`docker stack deploy`, each config and secret named by its content's hash as
        `platform/deploy deploy` names them: a changed file replaces only its own object."""
        deploy_tool = deploy_tool_module()
        versions = deploy_tool.object_versions(Path(self.env["SECRETS_DIR"]))
        # nginx's certificate goes where `platform/deploy deploy` puts it (TLS_DIR, not a secret).
        deploy_tool.install_certificate(Path(self.env["SECRETS_DIR"]), Path(self.env["TLS_DIR"]))
        self.docker(
            "stack",
            "deploy",
            "-c",
            "stack.yml",
            "-c",
            "stack.test.yml",
            STACK,
            cwd=self.platform_dir,
            # A new label on every service each time, as `platform/deploy deploy` does.
            env={**self.env, **versions, "DEPLOY_ID": str(time.time_ns())},
        )

    def settle(self, timeout: float = 300) -> None:
        """Deploy the stack as it is and wait until no service is updating and all are healthy.

        A test before may have changed a service with `docker service update` (whose spec then
        differs from what `docker stack deploy` writes, and whose next stack deploy restarts it):
        after this, a deploy restarts only the services whose configs, secrets or settings change.
        """
        self.deploy()
        services = [f"{STACK}_{service}" for service in SERVICES]
        state = "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}"
        deadline = time.monotonic() + timeout
        while True:
            states = self.docker("service", "inspect", "--format", state, *services).stdout
            if not {"updating", "rollback_started"} & set(states.split()):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"still updating after {timeout:.0f} s: {self.describe()}")
            time.sleep(POLL_SECONDS)
        self.wait_healthy(timeout=timeout)

    def service_names(self) -> list[str]:
        return self.docker("service", "ls", "--format", "{{.Name}}").stdout.split()

    def tasks(self, service: str) -> list[dict]:
        name = current_service(service, self.service_names())
        out = self.docker("service", "ps", "--no-trunc", "--format", "{{json .}}", name).stdout
        return [json.loads(line) for line in out.splitlines()]

    def resolve(self, service: str) -> str:
        """The Swarm name of `service`: `db` is `jupyterhub_db`, `jupyter-<user>` the service of
        the user's current spawn (harness/user_services.py)."""
        if not service.startswith(USER_SERVICE_PREFIX):
            return f"{STACK}_{service}"
        return current_service(service, self.service_names())

    def container_id(self, service: str) -> str:
        """The running container of a service (`db` means `jupyterhub_db`); '' if none."""
        name = self.resolve(service)
        ids = self.docker(
            "ps",
            "-q",
            "--filter",
            f"label=com.docker.swarm.service.name={name}",
            "--filter",
            "status=running",
        ).stdout.split()
        return ids[0] if ids else ""

    def health(self, container: str) -> str:
        state = json.loads(self.docker("inspect", "--format", "{{json .State}}", container).stdout)
        return (state.get("Health") or {}).get("Status", "none")

    def wait_healthy(
        self, services=SERVICES, timeout: float = 240, exclude: dict | None = None
    ) -> dict[str, str]:
        """Wait until each service has a running, healthy container (not `exclude[service]`)."""
        deadline = time.monotonic() + timeout
        exclude = exclude or {}
        while True:
            found = {s: self.container_id(s) for s in services}
            ready = {
                s: c
                for s, c in found.items()
                if c and c != exclude.get(s) and self.health(c) in ("healthy", "none")
            }
            if len(ready) == len(services):
                return ready
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"services not healthy within {timeout:.0f} s: {self.describe()}"
                )
            time.sleep(POLL_SECONDS)

    def describe(self) -> str:
        """The state of every task, for error messages."""
        lines = []
        for service in self.service_names():
            for task in self.tasks(service)[:3]:
                lines.append(f"{task['Name']}: {task['CurrentState']} {task['Error']}".strip())
        return "\n  " + "\n  ".join(lines)

    def exec(self, service: str, *command: str, user: str | None = None, check: bool = True):
        container = self.container_id(service)
        assert container, f"{service} has no running container: {self.describe()}"
        options = ["--user", user] if user else []
        return self.docker("exec", *options, container, *command, check=check)

    def user_uid(self, user: str) -> int:
        """The uid a user's service runs as (its ContainerSpec.User, `uid:gid`)."""
        spec_user = self.docker(
            "service",
            "inspect",
            "--format",
            "{{.Spec.TaskTemplate.ContainerSpec.User}}",
            self.resolve(f"{USER_SERVICE_PREFIX}{user}"),
        ).stdout.strip()
        return int(spec_user.split(":")[0])

    def logs(self, service: str) -> str:
        name = self.resolve(service)
        result = self.docker(
            "service", "logs", "--raw", "--no-trunc", name, check=False, timeout=30
        )
        return result.stdout + result.stderr

    def update(self, service: str, *options: str) -> None:
        """`docker service update` without waiting (the tests wait for what they need)."""
        self.docker("service", "update", "--detach", *options, f"{STACK}_{service}")

    def wait_hub(self, previous_container: str, timeout: float = 120) -> str:
        """Wait until a hub container other than `previous_container` answers through nginx."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            container = self.container_id("hub")
            if container and container != previous_container:
                try:
                    health = requests.get(
                        f"{self.https_url}/hub/health", verify=self.ca_file, timeout=5
                    )
                    if health.status_code == 200:
                        return container
                except requests.RequestException:
                    pass
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"no new hub answered within {timeout:.0f} s: {self.describe()}")

    def save_logs(self, folder: Path) -> None:
        """Every container's log (running or exited) into folder/swarm-<container name>.log."""
        lines = self.docker("ps", "-a", "--format", "{{.ID}} {{.Names}}").stdout.splitlines()
        for line in lines:
            container, name = line.split(maxsplit=1)
            result = self.docker("logs", "--timestamps", container, check=False, timeout=30)
            (folder / f"swarm-{name}.log").write_text(result.stdout + result.stderr)

    def remove(self, timeout: float = 120) -> list[str]:
        """Remove the stack and every user service; return what is left after `timeout` ([])."""
        self.docker("stack", "rm", STACK, check=False)
        for name in self.service_names():
            if name.startswith(USER_SERVICE_PREFIX):
                self.docker("service", "rm", name, check=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            left = self.service_names() + self.docker("ps", "-aq").stdout.split()
            if not left:
                break
            time.sleep(POLL_SECONDS)
        left = self.service_names() + self.docker("ps", "-aq").stdout.split()
        shutil.rmtree(self.homes.parent, ignore_errors=True)
        if not left:
            # Stack-owned volumes, configs and secrets go too, so a kept data root starts clean next
            # time.
            for kind in ("volume", "config", "secret"):
                names = self.docker(kind, "ls", "-q").stdout.split()
                if names:
                    self.docker(kind, "rm", *names, check=False)
        return left


def deploy_tool_module():
    """platform/deploy (a script without .py) as a module."""
    path = Path(__file__).resolve().parents[1] / "platform" / "deploy"
    loader = importlib.machinery.SourceFileLoader("platform_deploy", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def write_stack_secrets(folder: Path, ca, ldap_search_password: str) -> Path:
    """The files stack.yml reads from SECRETS_DIR: random db password, cookie secret, proxy token
    auth state key and metrics token; nginx's certificate and the LDAP server's CA from `ca` (a
    services.tls.TestCA); the LDAP service account's password.
    """
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = ca.issue("swarm-proxy")
    (folder / "tls.crt").write_bytes(cert.read_bytes())
    (folder / "tls.key").write_bytes(key.read_bytes())
    (folder / "ldap_ca.pem").write_bytes(ca.cert.read_bytes())
    (folder / "ldap_search_password").write_text(ldap_search_password + "\n")
    for name in ("db_password", "cookie_secret", "proxy_token", "crypt_key", "metrics_token"):
        (folder / name).write_text(secrets.token_hex(32) + "\n")
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o600)
    return folder


def ldap_variables(slapd) -> dict[str, str]:
    """The stack's LDAP variables for a harness.slapd server (StartTLS, CA from the
    secrets): Active Directory style, the user's DN found by the service account whose password is
    the stack's `ldap_search_password` secret (the test slapd refuses anonymous searches).
    """
    return {
        "LDAP_SERVER": slapd.host,
        "LDAP_PORT": str(slapd.port),
        "LDAP_TLS_STRATEGY": "before_bind",
        "LDAP_LOOKUP_DN": "true",
        "LDAP_USER_SEARCH_BASE": f"ou=people,{slapd.base_dn}",
        "LDAP_SEARCH_USER": slapd.search_dn,
        "LDAP_ALLOWED_GROUPS": slapd.group_dn,
        "LDAP_ADMIN_GROUPS": slapd.admin_group_dn,
    }


def new_stack(
    engine: DockerEngine, platform_dir: Path, secrets_dir: Path, ldap: dict, ca_file: Path, **env
) -> Stack:
    """A Stack ready to deploy on `engine`: local folders for the homes and the shared folder, every
    variable of stack.yml and stack.test.yml set, the node labelled for the db and the proxy. `env`
    overrides variables.
    """
    folders = Path(tempfile.mkdtemp(prefix="mlops-stack-", dir="/tmp"))
    homes, shared = folders / "homes", folders / "shared"
    homes.mkdir()
    shared.mkdir()
    shutil.chown(shared, 1000, 100)
    shared.chmod(0o2775)  # as README asks of the shared export: every user's server is in group 100
    variables = {
        **{name: str(port) for name, port in PORTS.items()},
        **ldap,
        "SECRETS_DIR": str(secrets_dir),
        "SERVER_NAME": "127.0.0.1",  # the address the tests open: nginx refuses other Host names
        "HUB_IMAGE": LOCAL_HUB_IMAGE,
        "SWARM_NETWORK": "host",
        "PUBLISH_MODE": "host",
        "HUB_API_PORT": str(PORTS["SWARM_TEST_PORT_HUB_API"]),
        "PROXY_HTTP_PORT": str(PORTS["SWARM_TEST_PORT_HTTP"]),
        "HTTP_PORT": str(PORTS["SWARM_TEST_PORT_HTTP"]),
        "HTTPS_PORT": str(PORTS["SWARM_TEST_PORT_HTTPS"]),
        # Required by stack.yml for its NFS volumes; the overlay replaces those with local folders.
        "NFS_SERVER": "127.0.0.1",
        "NFS_EXPORT": "/unused",
        "SWARM_TEST_HOMES": str(homes),
        "SWARM_TEST_SHARED": str(shared),
        "TLS_DIR": str(folders / "tls"),  # nginx's certificate (written by deploy())
        "DOCKER_SOCKET": str(engine.socket),
        "CPU_LIMIT": "1",
        "MEM_LIMIT": "1G",
        "CPU_RESERVATION": "0.1",
        "MEM_RESERVATION": "256M",
        "PIDS_LIMIT": "512",
        "SPAWN_TIMEOUT": "60",
        **env,
    }
    node = engine.docker("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
    engine.docker("node", "update", "--label-add", "jupyterhub.db=true", node)
    engine.docker("node", "update", "--label-add", "jupyterhub.proxy=true", node)
    return Stack(engine, platform_dir, variables, homes=homes, shared=shared, ca_file=ca_file)


def logged_in_with_server(
    stack: Stack, user: str, password: str, image: str = BASE_CHOICE
) -> HubSession:
    """A session of `user` through the stack's nginx, with a ready server (started if needed)."""
    session = HubSession(stack.https_url, stack.ca_file)
    assert session.login(user, password).status_code == 200
    if not session.server_ready(user):
        assert session.request_spawn(user, image).status_code == 302
        result = session.wait_for_server(user)
        assert result.ready, result.message
    session.user = user
    return session
