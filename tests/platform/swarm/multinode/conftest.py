"""Session fixtures of the multi-node tests: a three-node Swarm in network namespaces
(multinode/cluster.py), the platform's images loaded into its nodes, slapd in the tests' lan
namespace and the stack deployed on its production overlay networks. The images come from the
Swarm tests' build (../conftest.py: platform_images), so the session builds them once.

Everything the tests send goes out from the lan namespace (`client`: threads inside it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.platform.swarm.hub_client import HubSession
from tests.platform.swarm.multinode.cluster import Cluster
from tests.platform.swarm.multinode.lan_slapd import run_lan_slapd
from tests.platform.swarm.multinode.netns import NamespaceThreads
from tests.platform.swarm.multinode.stack import MultinodeStack
from tests.platform.swarm.stack import ldap_variables, write_stack_secrets

MANAGER_IMAGES = ("mlops/jupyterhub:0.1.0", "mlops-local/postgres:15", "mlops-local/nginx:1.22")
WORKER_IMAGES = ("mlops/notebook-base:0.1.0",)
BASE = "Base: Python, JupyterLab, Git, DVC"


@pytest.fixture(scope="session")
def cluster():
    """Manager + two workers, Swarm with a 1 s dispatcher heartbeat; torn down without leftovers."""
    if os.geteuid() != 0:
        pytest.fail("the multi-node tests create network namespaces and start dockerd: need root")
    root = Path(tempfile.mkdtemp(prefix="mn-", dir="/tmp"))
    nodes = Cluster(root=root, prefix=f"mn{os.getpid()}")
    try:
        nodes.start()
        nodes.init_swarm()
        yield nodes
    finally:
        nodes.stop()
        leftovers = nodes.leftovers()
        shutil.rmtree(root, ignore_errors=True)
    assert not leftovers, f"multi-node teardown left: {leftovers}"


@pytest.fixture(scope="session")
def cluster_images(cluster, docker_engine, platform_images):
    """The images each node needs, from the session's build (`docker save | docker load`)."""
    for role, images, nodes in (
        ("manager", MANAGER_IMAGES, [cluster.manager]),
        ("workers", WORKER_IMAGES, cluster.workers),
    ):
        archive = cluster.root / f"images-{role}.tar"
        docker_engine.docker("save", "-o", str(archive), *images, timeout=600)
        cluster.load_images(archive, nodes)
        archive.unlink()


@pytest.fixture(scope="session")
def client(cluster):
    """Threads inside the lan namespace: `client.run(fn, ...)` sends fn's traffic from there."""
    threads = NamespaceThreads(cluster.lan, threads=24)
    yield threads
    threads.close()


@pytest.fixture(scope="session")
def lan_slapd(test_ca, cluster):
    yield from run_lan_slapd(test_ca, cluster)


@pytest.fixture(scope="session")
def multinode_stack(
    cluster, cluster_images, lan_slapd, test_ca, tmp_path_factory, repo_root, artifacts_dir
):
    """platform/stack.yml + platform/stack.multinode.yml, db/hub/proxy running and healthy."""
    secrets_dir = write_stack_secrets(tmp_path_factory.mktemp("multinode-secrets"), test_ca)
    cert, key = test_ca.issue("multinode-proxy", ip=cluster.manager.address)
    (secrets_dir / "tls.crt").write_bytes(cert.read_bytes())
    (secrets_dir / "tls.key").write_bytes(key.read_bytes())
    homes, shared = cluster.root / "homes", cluster.root / "shared"
    homes.mkdir()
    shared.mkdir()
    shutil.chown(shared, 1000, 100)
    env = {
        **ldap_variables(lan_slapd),
        "SECRETS_DIR": str(secrets_dir),
        "SERVER_NAME": cluster.manager.address,
        "PUBLISH_MODE": "host",
        "NFS_SERVER": "unused",  # required by stack.yml; the overlay binds local folders instead
        "NFS_EXPORT": "/unused",
        "MULTINODE_HOMES": str(homes),
        "MULTINODE_SHARED": str(shared),
        "DOCKER_SOCKET": str(cluster.manager.socket),
        "NOTEBOOK_PLACEMENT": "node.role == worker",
        "CPU_LIMIT": "1",
        "MEM_LIMIT": "1G",
        "SPAWN_TIMEOUT": "90",
    }
    manager_id = cluster.manager.docker("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
    cluster.manager.docker("node", "update", "--label-add", "jupyterhub.db=true", manager_id)
    stack = MultinodeStack(cluster, repo_root / "platform", env, homes, shared, test_ca.cert)
    try:
        stack.deploy()
        for service in ("db", "hub", "proxy"):
            stack.wait_running(service)
        yield stack
    finally:
        stack.save_logs(artifacts_dir)
        left = stack.remove()
    assert not left, f"stack removal left services: {left}"


class InNamespace:
    """Wraps an object so that each of its method calls runs in `threads` (inside the lan)."""

    def __init__(self, target, threads: NamespaceThreads):
        self._target = target
        self._threads = threads

    def __getattr__(self, name):
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute
        return lambda *args, **kwargs: self._threads.run(attribute, *args, **kwargs)


def hub_session(stack: MultinodeStack, client: NamespaceThreads):
    """A browser-less user session against the stack's nginx, every request from the lan."""
    return InNamespace(HubSession(stack.https_url, stack.ca_file), client)
