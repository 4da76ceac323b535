"""JupyterHub from platform/hub/jupyterhub_config.py in `local` mode, a real process."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.hub_env import CONFIG_PREFIXES, HUB_CONFIG, write_secret
from harness.ports import free_port, wait_for_http
from harness.processes import default_sigint, stop_pid, stop_process_group

VENV_BIN = Path(sys.executable).parent


class HubProcess:
    """One hub: its folder (secrets, homes, logs), its environment, and start/stop by PID.

    The hub runs as this user (root in CI) and spawns each user's JupyterLab as a local process.
    Users' servers outlive the hub (cleanup_servers = False); `stop_servers` ends them by the PIDs
    the hub stored in its database.
    """

    def __init__(self, postgres, database: str, env: dict):
        self.folder = Path(tempfile.mkdtemp(prefix="platform-hub-"))
        self.postgres = postgres
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        password = os.urandom(16).hex()
        db_url = postgres.create_database(database, owner=database, password=password)
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(CONFIG_PREFIXES)
        }
        self.env.update(
            {
                "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
                # Debian's configurable-http-proxy keeps its modules there.
                "NODE_PATH": "/usr/share/nodejs",
                "HUB_SPAWNER": "local",
                "HUB_DATA_DIR": str(self.folder),
                "HUB_BIND_URL": self.url,
                "HUB_API_BIND_URL": f"http://127.0.0.1:{free_port()}",
                "HUB_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
                "HUB_DB_URL": db_url,
                "HUB_DB_PASSWORD_FILE": write_secret(self.folder / "db_password", password),
                "HUB_COOKIE_SECRET_FILE": write_secret(
                    self.folder / "cookie", os.urandom(32).hex()
                ),
                "HUB_PROXY_TOKEN_FILE": write_secret(
                    self.folder / "proxy_token", os.urandom(32).hex()
                ),
                "HOME_ROOT": str(self.folder / "homes"),
                "SPAWN_TIMEOUT": "60",
                **env,
            }
        )
        self.process = None
        self.log = self.folder / "jupyterhub.log"

    def start(self, timeout: float = 60.0) -> None:
        # Append: a restarted hub keeps the earlier log for the report.
        log = open(self.log, "a")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(HUB_CONFIG)],
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=default_sigint,
            process_group=0,
        )
        # The proxy listens before the hub has added its route: wait for the login page itself.
        wait_for_http(f"{self.url}/hub/login", self.process, timeout=timeout, what="jupyterhub")

    def stop(self) -> None:
        """SIGTERM by PID (the hub stops its proxy and services); users' servers keep running."""
        if self.process is not None:
            stop_process_group(self.process, timeout=30)
            self.process = None
        proxy_pid = self.folder / "jupyterhub-proxy.pid"
        if proxy_pid.exists():  # only left if the hub had to be killed
            stop_pid(int(proxy_pid.read_text()))

    def server_pids(self) -> list[int]:
        rows = self.postgres.psql(
            "SELECT state FROM spawners WHERE state IS NOT NULL", self.database
        )
        pids = [json.loads(row).get("pid", 0) for row in rows.splitlines()]
        return [pid for pid in pids if isinstance(pid, int) and pid > 1]  # never 0: our own group

    def stop_servers(self) -> None:
        for pid in self.server_pids():
            stop_pid(pid)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            self.stop_servers()

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def ldap_env(slapd) -> dict:
    """The hub's LDAP settings for the test slapd: StartTLS verified against the test CA."""
    return {
        "HUB_AUTHENTICATOR": "ldap",
        "LDAP_SERVER": slapd.host,
        "LDAP_PORT": str(slapd.port),
        "LDAP_TLS_STRATEGY": "before_bind",
        "LDAP_CA_FILE": str(slapd.ca_file),
        "LDAP_BIND_DN_TEMPLATE": slapd.bind_dn_template,
        "LDAP_ALLOWED_GROUPS": slapd.group_dn,
        "LDAP_ADMIN_GROUPS": slapd.admin_group_dn,
    }


def running_hub(postgres, database, env, artifacts_dir):
    """Generator for hub fixtures: start, yield, then stop the hub and every server it started."""
    hub = HubProcess(postgres, database, env)
    try:
        hub.start()
        yield hub
    finally:
        hub.close()
        (artifacts_dir / f"platform-{database}.log").write_text(hub.log_text())
        hub.remove()
