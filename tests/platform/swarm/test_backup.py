"""`platform/deploy backup` and `restore` on the session's stack: the users and their admin flags
come back after the database volume is destroyed and the database starts empty.
"""

import os
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from harness.hub_client import HubSession
from harness.stack import STACK

DEPLOY = Path(__file__).resolve().parents[3] / "platform" / "deploy"

pytestmark = pytest.mark.swarm


def deploy_tool(stack, tmp_path, secrets_dir, *arguments):
    env_file = tmp_path / "platform.env"
    env_file.write_text(f"STACK_NAME={STACK}\n")
    return subprocess.run(
        [
            sys.executable,
            str(DEPLOY),
            "--env-file",
            str(env_file),
            "--secrets-dir",
            str(secrets_dir),
            *arguments,
        ],
        env={**os.environ, "DOCKER_HOST": f"unix://{stack.engine.socket}"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def users(stack) -> dict:
    query = "select name, admin from users"
    rows = stack.exec("db", "psql", "-U", "jupyterhub", "-d", "jupyterhub", "-Atc", query).stdout
    return dict(row.split("|") for row in rows.split())


def destroy_database(stack) -> None:
    """Stop the hub and the db, delete the db's volume (and its stopped containers, which hold it),
    start both again: the db initialises an empty database, the hub its tables.
    """
    hub_before = stack.container_id("hub")
    for service in ("hub", "db"):
        stack.docker("service", "scale", "--detach", f"{STACK}_{service}=0")
    wait_gone(stack, "hub")
    wait_gone(stack, "db")
    stopped = stack.docker(
        "ps", "-aq", "--filter", f"label=com.docker.swarm.service.name={STACK}_db"
    ).stdout.split()
    if stopped:
        stack.docker("rm", "-f", *stopped)
    stack.docker("volume", "rm", f"{STACK}_db-data")
    for service in ("db", "hub"):
        stack.docker("service", "scale", "--detach", f"{STACK}_{service}=1")
    stack.wait_healthy(services=("db",))
    stack.wait_hub(previous_container=hub_before)


def wait_gone(stack, service: str, timeout: float = 120) -> None:
    """Wait until no container of the service runs (`docker service scale` 0 does not wait)."""
    deadline = time.monotonic() + timeout
    while stack.container_id(service):
        assert time.monotonic() < deadline, f"{service} still runs: {stack.describe()}"
        time.sleep(1)


def test_restore_brings_back_users_and_admin_flags(platform_stack, slapd, stack_secrets, tmp_path):
    for user in (slapd.member, slapd.admin):
        login = HubSession(platform_stack.https_url, platform_stack.ca_file).login(
            user, slapd.passwords[user], follow=False
        )
        assert login.status_code == 302, user
    before = users(platform_stack)
    assert before[slapd.member] == "f", before
    assert before[slapd.admin] == "t", before

    backup = deploy_tool(platform_stack, tmp_path, stack_secrets, "backup", "--output", tmp_path)
    assert backup.returncode == 0, backup.stderr
    assert "WARNING" in backup.stdout
    assert "unencrypted" in backup.stdout
    [archive] = tmp_path.glob("jupyterhub-backup-*T*Z.tar")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        assert (
            tar.extractfile("secrets/cookie_secret").read()
            == (stack_secrets / "cookie_secret").read_bytes()
        )
    assert {"jupyterhub.dump", "secrets/db_password", "secrets/crypt_key"} <= names
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".backup-")]

    destroy_database(platform_stack)
    assert slapd.member not in users(platform_stack)

    hub_before = platform_stack.container_id("hub")
    restore = deploy_tool(platform_stack, tmp_path, stack_secrets, "restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "differs" not in restore.stdout, restore.stdout
    platform_stack.wait_hub(previous_container=hub_before)
    assert users(platform_stack) == before
    login = HubSession(platform_stack.https_url, platform_stack.ca_file).login(
        slapd.member, slapd.passwords[slapd.member], follow=False
    )
    assert login.status_code == 302
