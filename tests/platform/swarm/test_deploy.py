"""`docker stack deploy` of platform/stack.yml (+ the test overlay) on a real Swarm: every service
converges, the hub keeps its state in PostgreSQL, secrets are files in the containers and never
environment variables.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.stack import PORTS, SERVICES, STACK
from tests.platform.swarm.test_isolation import logged_in_with_server

DEPLOY = Path(__file__).resolve().parents[3] / "platform" / "deploy"

pytestmark = pytest.mark.swarm

HTTPS = f"https://127.0.0.1:{PORTS['SWARM_TEST_PORT_HTTPS']}"


def test_every_service_converges(platform_stack):
    listing = platform_stack.docker(
        "service",
        "ls",
        "--filter",
        f"label=com.docker.stack.namespace={STACK}",
        "--format",
        "{{.Name}} {{.Replicas}}",
    ).stdout.split("\n")
    assert sorted(line for line in listing if line) == [
        f"{STACK}_{name} 1/1" for name in sorted(SERVICES)
    ]
    for service in SERVICES:
        container = platform_stack.container_id(service)
        assert platform_stack.health(container) == "healthy", service


def test_nginx_serves_the_hub_over_tls_only(platform_stack):
    health = requests.get(f"{HTTPS}/hub/health", verify=platform_stack.ca_file, timeout=30)
    assert health.status_code == 200
    assert "max-age=" in health.headers["Strict-Transport-Security"]
    plain = requests.get(
        f"http://127.0.0.1:{PORTS['SWARM_TEST_PORT_HTTP']}/hub/", allow_redirects=False, timeout=30
    )
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://")


def test_every_stack_port_listens_on_loopback_only(platform_stack):
    listeners = subprocess.run(
        ["ss", "-Hltn"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for port in PORTS.values():
        addresses = {
            line.split()[3].rsplit(":", 1)[0]
            for line in listeners
            if line.split()[3].endswith(f":{port}")
        }
        assert addresses == {"127.0.0.1"}, f"port {port}: {addresses}"


def test_the_hub_keeps_its_state_in_postgresql(platform_stack):
    tables = platform_stack.exec(
        "db",
        "psql",
        "-U",
        "jupyterhub",
        "-d",
        "jupyterhub",
        "-Atc",
        "select tablename from pg_tables where schemaname = 'public'",
    ).stdout.split()
    assert {"users", "servers", "api_tokens", "alembic_version"} <= set(tables)
    no_sqlite = platform_stack.exec(
        "hub", "sh", "-c", "ls /srv/jupyterhub/*.sqlite /srv/jupyterhub/data/*.sqlite", check=False
    )
    assert no_sqlite.returncode != 0, no_sqlite.stdout


@pytest.mark.parametrize(
    ("service", "secret", "owner"),
    [
        ("hub", "cookie_secret", "0:0"),
        ("hub", "proxy_token", "0:0"),
        ("hub", "db_password", "0:0"),
        ("db", "db_password", "999:999"),
    ],
)
def test_secrets_are_files_readable_only_by_their_reader(
    platform_stack, stack_secrets, service, secret, owner
):
    path = f"/run/secrets/{secret}"
    stat = platform_stack.exec(service, "stat", "-c", "%a %u:%g", path).stdout.split()
    assert stat == ["400", owner]
    content = platform_stack.exec(service, "cat", path).stdout.strip()
    assert content == (stack_secrets / secret).read_text().strip()


def test_nginx_reads_the_key_readable_only_by_root(platform_stack, stack_secrets):
    """TLS_DIR (written by deploy) is bind-mounted read-only: folder 0700, key 0600, root's."""
    folder = "/etc/nginx/tls/current"
    stat = platform_stack.exec("proxy", "stat", "-L", "-c", "%a %u:%g", "/etc/nginx/tls", folder)
    assert stat.stdout.split("\n")[:2] == ["700 0:0", "700 0:0"]
    key = platform_stack.exec("proxy", "stat", "-c", "%a %u:%g", f"{folder}/tls.key").stdout
    assert key.strip() == "600 0:0"
    content = platform_stack.exec("proxy", "cat", f"{folder}/tls.key").stdout
    assert content == (stack_secrets / "tls.key").read_text()


@pytest.mark.parametrize("service", SERVICES)
def test_no_secret_is_in_an_environment_variable(platform_stack, stack_secrets, service):
    container = platform_stack.container_id(service)
    env = json.loads(
        platform_stack.docker("inspect", "--format", "{{json .Config.Env}}", container).stdout
    )
    live_env = platform_stack.exec(
        service, "sh", "-c", "cat /proc/1/environ | tr '\\0' '\\n'"
    ).stdout
    for name in ("db_password", "cookie_secret", "proxy_token"):
        value = (stack_secrets / name).read_text().strip()
        assert not any(value in item for item in env), f"{name} in {service}'s environment"
        if (service, name) == ("chp", "proxy_token"):
            # configurable-http-proxy reads its token only from CONFIGPROXY_AUTH_TOKEN: the
            # entrypoint sets it from the secret for CHP's process, never in the service's spec.
            assert f"CONFIGPROXY_AUTH_TOKEN={value}" in live_env
            continue
        assert value not in live_env, f"{name} in {service}'s process environment"


def test_status_lists_each_users_server_with_its_image_and_node(platform_stack, slapd, tmp_path):
    alice = logged_in_with_server(platform_stack, slapd.member, slapd.passwords[slapd.member])
    (tmp_path / "platform.env").write_text(f"STACK_NAME={STACK}\n")
    status = subprocess.run(
        [sys.executable, str(DEPLOY), "--env-file", str(tmp_path / "platform.env"), "status"],
        env={**os.environ, "DOCKER_HOST": f"unix://{platform_stack.engine.socket}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    node = platform_stack.docker("info", "--format", "{{.Name}}").stdout.strip()
    rows = status.stdout.split("users' servers: ", 1)[1].splitlines()
    assert int(rows[0]) >= 1
    assert rows[1].split() == ["USER", "IMAGE", "NODE", "STATE"]
    mine = [row.split() for row in rows[2:] if row.split()[0] == alice.user]
    assert len(mine) == 1, status.stdout
    assert mine[0][1:4] == ["mlops/notebook-base:0.1.0", node, "Running"], status.stdout
