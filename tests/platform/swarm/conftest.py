"""Session fixtures for the Swarm tests: a private dockerd, a single-node Swarm on 127.0.0.1, the platform's images
and the deployed stack. Each is started once per session and torn down even when tests fail; the teardown fails the
run if a process, interface or mount is left behind."""

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.platform.swarm.engine import DOCKER_CLI, DockerEngine
from tests.platform.swarm.stack import PORTS, Stack

# Set to a folder to keep dockerd's data root (and so the built images and their layer cache) between runs while
# developing; by default everything lives in a temporary folder removed at the end of the session.
KEEP_DATA_ROOT_ENV = "SWARM_TEST_DATA_ROOT"


@pytest.fixture(scope="session")
def docker_engine():
    if os.geteuid() != 0:
        pytest.fail("the swarm tests start dockerd and need root")
    root = Path(
        tempfile.mkdtemp(prefix="mlops-dockerd-", dir="/tmp")
    )  # short: the socket path must fit 108 bytes
    kept = os.environ.get(KEEP_DATA_ROOT_ENV)
    engine = DockerEngine(root=root, data_root=Path(kept) if kept else None)
    try:
        engine.start()
        yield engine
    finally:
        engine.stop()
        leftovers = engine.leftovers()
        if not leftovers:
            shutil.rmtree(root, ignore_errors=True)
    assert not leftovers, f"dockerd teardown left: {leftovers}"


@pytest.fixture(scope="session")
def swarm(docker_engine):
    docker_engine.init_swarm()
    try:
        yield docker_engine
    finally:
        docker_engine.leave_swarm()


@pytest.fixture(scope="session")
def platform_images(docker_engine, repo_root, artifacts_dir):
    """Every image of platform/, built once per session with `platform/build-images --local` (no registry here).

    The stand-ins trust this machine's CA bundle (HTTPS is intercepted here); real builds need no such option.
    """
    log = artifacts_dir / "swarm-build-images.log"
    command = [str(repo_root / "platform" / "build-images"), "--local"]
    ca_bundle = os.environ.get("SSL_CERT_FILE") or os.environ.get("PIP_CERT")
    if ca_bundle and Path(ca_bundle).is_file():
        command += ["--extra-ca", ca_bundle]
    env = {**docker_engine.env(), "DOCKER": f"{DOCKER_CLI} --host {docker_engine.host}"}
    with open(log, "w") as out:
        result = subprocess.run(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1500
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-30:])
        pytest.fail(f"platform/build-images --local failed (full log: {log}):\n{tail}")
    return docker_engine.docker(
        "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"
    ).stdout.split()


@pytest.fixture(scope="session")
def stack_secrets(tmp_path_factory, test_ca):
    """The files platform/stack.yml reads from SECRETS_DIR: random db password, cookie secret and proxy token; the
    nginx certificate and the LDAP CA from the session's test CA (which also signed slapd's certificate)."""
    folder = tmp_path_factory.mktemp("stack-secrets")
    cert, key = test_ca.issue("swarm-proxy")
    (folder / "tls.crt").write_bytes(cert.read_bytes())
    (folder / "tls.key").write_bytes(key.read_bytes())
    (folder / "ldap_ca.pem").write_bytes(test_ca.cert.read_bytes())
    for name in ("db_password", "cookie_secret", "proxy_token"):
        (folder / name).write_text(secrets.token_hex(32) + "\n")
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o600)
    return folder


@pytest.fixture(scope="session")
def platform_stack(
    swarm, platform_images, stack_secrets, stack_ldap, test_ca, repo_root, artifacts_dir
):
    """platform/stack.yml + platform/stack.test.yml deployed, every service healthy; removed at the end."""
    folders = Path(tempfile.mkdtemp(prefix="mlops-stack-", dir="/tmp"))
    homes, shared = folders / "homes", folders / "shared"
    homes.mkdir()
    shared.mkdir()
    shutil.chown(shared, 1000, 100)
    env = {
        **{name: str(port) for name, port in PORTS.items()},
        **stack_ldap,
        "SECRETS_DIR": str(stack_secrets),
        "SERVER_NAME": "localhost",
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
        "DOCKER_SOCKET": str(swarm.socket),
        "CPU_LIMIT": "1",
        "MEM_LIMIT": "1G",
        "SPAWN_TIMEOUT": "60",
    }
    node = swarm.docker("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
    swarm.docker("node", "update", "--label-add", "jupyterhub.db=true", node)
    stack = Stack(
        swarm, repo_root / "platform", env, homes=homes, shared=shared, ca_file=test_ca.cert
    )
    try:
        stack.deploy()
        stack.wait_healthy()
        yield stack
    finally:
        stack.save_logs(artifacts_dir)
        left = stack.remove()
        shutil.rmtree(folders, ignore_errors=True)
    assert not left, f"stack removal left services/containers: {left}"


@pytest.fixture(scope="session")
def stack_ldap(slapd):
    """The stack's LDAP variables for the session's slapd (tests/platform/conftest.py): StartTLS, verified against
    the test CA, which stack_secrets ships as the ldap_ca secret."""
    return {
        "LDAP_SERVER": slapd.host,
        "LDAP_PORT": str(slapd.port),
        "LDAP_TLS_STRATEGY": "before_bind",
        "LDAP_BIND_DN_TEMPLATE": slapd.bind_dn_template,
        "LDAP_ALLOWED_GROUPS": slapd.group_dn,
        "LDAP_ADMIN_GROUPS": slapd.admin_group_dn,
    }
