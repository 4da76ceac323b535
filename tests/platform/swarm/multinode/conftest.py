"""Fixtures of the multi-node tests (package scope: gone after the last of them, with the memory
and CPU the nodes take): a three-node Swarm in network namespaces
(harness/multinode/cluster.py), the platform's images loaded into its nodes, slapd and the site's
package mirror in the tests' lan namespace, and the stack deployed on its production overlay
networks. The images come from the Swarm tests' build (../conftest.py: platform_images), so the
session builds them once; the image menu adds a notebook image built against the mirror.

Everything the tests send goes out from the lan namespace (`client`: threads inside it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from harness.hub_client import HubSession
from harness.mirror import build_toolkit_wheel, publish, start_mirror, write_wheel
from harness.multinode.cluster import Cluster
from harness.multinode.failover import BASE
from harness.multinode.lan_slapd import run_lan_slapd
from harness.multinode.mirror_image import MIRROR_IMAGE, NOTEBOOK_BASE, build_mirror_image
from harness.multinode.netns import InNamespace, NamespaceThreads
from harness.multinode.stack import (
    MANAGER_IMAGES,
    NOTEBOOK_IMAGES,
    MultinodeStack,
    new_multinode_stack,
)


@pytest.fixture(scope="package")
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
        started = time.monotonic()
        nodes.stop()
        stopped = time.monotonic()
        leftovers = nodes.leftovers()
        shutil.rmtree(root, ignore_errors=True)
        print(
            f"cluster: stopped in {stopped - started:.0f} s, "
            f"removed in {time.monotonic() - stopped:.0f} s"
        )
    assert not leftovers, f"multi-node teardown left: {leftovers}"


@pytest.fixture(scope="package")
def cluster_images(cluster, docker_engine, platform_images):
    """The platform's images in every node, from the session's build (`docker save | load`). The
    notebook archive also tags the notebook images' base, which the mirror image is built FROM
    (mirror_image): in the same archive its layers are written and read once."""
    manager_archive, notebook_archive = cluster.root / "manager.tar", cluster.root / "notebook.tar"
    started = time.monotonic()
    docker_engine.docker("save", "-o", str(manager_archive), *MANAGER_IMAGES, timeout=600)
    notebook_images = (*NOTEBOOK_IMAGES, NOTEBOOK_BASE)
    docker_engine.docker("save", "-o", str(notebook_archive), *notebook_images, timeout=600)
    saved = time.monotonic()
    cluster.load_images(notebook_archive, list(cluster.nodes.values()))
    cluster.load_images(manager_archive, [cluster.manager])
    manager_archive.unlink()
    notebook_archive.unlink()
    print(f"images: saved in {saved - started:.0f} s, loaded in {time.monotonic() - saved:.0f} s")


@pytest.fixture(scope="package")
def client(cluster):
    """Threads inside the lan namespace: `client.run(fn, ...)` sends fn's traffic from there."""
    threads = NamespaceThreads(cluster.lan, threads=24)
    yield threads
    threads.close()


@pytest.fixture(scope="package")
def lan_slapd(test_ca, cluster):
    yield from run_lan_slapd(test_ca, cluster)


# Packages the team published to its mirror only (the public index has none of them).
MIRROR_ONLY = ("team-lib-terminal", "team-lib-notebook", "team-lib-uv")
MIRROR_CHOICE = "Team: Base with packages from the site's mirror"


@pytest.fixture(scope="package")
def lan_mirror(
    cluster,
    client,
    images_wheelhouse,
    template_wheelhouse,
    repo_root,
    tmp_path_factory,
    artifacts_dir,
):
    """The site's package mirror at the lan address: what the notebook image installs (the same
    cached wheelhouse as the single-node image tests) and what a generated project installs
    (tests/conftest.py: template_wheelhouse);
    mlops-hygiene and MIRROR_ONLY published.
    """
    scratch = tmp_path_factory.mktemp("lan-mirror")
    log = artifacts_dir / "multinode-mirror.log"
    log.unlink(missing_ok=True)
    mirror = start_mirror(
        scratch / "uploads",
        [images_wheelhouse, template_wheelhouse],
        log,
        netns=cluster.lan,
        host=cluster.lan_address,
        run_in=client.run,
    )
    try:
        wheels = [write_wheel(scratch / "dist", name, "1.0") for name in MIRROR_ONLY]
        wheels.append(build_toolkit_wheel(repo_root, scratch / "dist"))
        client.run(publish, mirror, wheels)  # twine runs inside the lan, as the mirror's clients
        yield mirror
    finally:
        mirror.stop()


@pytest.fixture(scope="package")
def mirror_image(cluster, cluster_images, docker_engine, lan_mirror, repo_root):
    started = time.monotonic()
    build_mirror_image(cluster, docker_engine, repo_root / "platform", lan_mirror.url)
    print(f"mirror image: built and loaded in {time.monotonic() - started:.0f} s")
    return MIRROR_IMAGE


@pytest.fixture(scope="package")
def multinode_stack(
    cluster,
    cluster_images,
    mirror_image,
    lan_slapd,
    client,
    test_ca,
    tmp_path_factory,
    repo_root,
    artifacts_dir,
):
    """platform/stack.yml + platform/stack.multinode.yml, db/hub/proxy running and healthy."""
    stack = new_multinode_stack(
        cluster,
        lan_slapd,
        test_ca,
        tmp_path_factory.mktemp("multinode-secrets"),
        repo_root / "platform",
        spawn_timeout=90,
        notebook_images={BASE: NOTEBOOK_IMAGES[0], MIRROR_CHOICE: mirror_image},
    )
    try:
        started = time.monotonic()
        stack.start(client)
        print(f"stack: healthy in {time.monotonic() - started:.0f} s")
        yield stack
    finally:
        started = time.monotonic()
        stack.save_logs(artifacts_dir)
        left = stack.remove()
        print(f"stack: removed in {time.monotonic() - started:.0f} s")
    assert not left, f"stack removal left services: {left}"


def hub_session(stack: MultinodeStack, client: NamespaceThreads):
    """A browser-less user session against the stack's nginx, every request from the lan."""
    return InNamespace(HubSession(stack.https_url, stack.ca_file), client)


def logged_in(stack: MultinodeStack, client: NamespaceThreads, lan_slapd, user: str):
    """A hub_session of `user`, logged in through nginx with their LDAP password."""
    session = hub_session(stack, client)
    assert session.login(user, lan_slapd.passwords[user]).status_code == 200
    return session


@pytest.fixture(scope="package")
def alice(multinode_stack, client, lan_slapd):
    """(session, username): the LDAP member logged in through nginx, from the lan."""
    user = lan_slapd.member
    return logged_in(multinode_stack, client, lan_slapd, user), user
