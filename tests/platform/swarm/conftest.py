"""Fixtures for the Swarm tests: a single-node Swarm on 127.0.0.1 in the session's private dockerd
(tests/conftest.py: docker_engine), the platform's images and the deployed stack. Each is started
once and torn down even when tests fail; the teardown fails the run if a process, interface or
mount is left behind. The Swarm and the stack go after the last test of tests/platform/swarm/
(package scope), the images and the wheelhouse at the end of the session.
"""

import pytest

from harness.images import build_platform_images, image_requirements
from harness.mirror import wheelhouse
from harness.stack import ldap_variables, new_stack, write_stack_secrets
from tests.conftest import PLATFORM_IMAGES_LOG, early_engine, prefetched


@pytest.fixture(scope="package")
def swarm(docker_engine):
    docker_engine.init_swarm()
    try:
        yield docker_engine
    finally:
        docker_engine.leave_swarm()


@pytest.fixture(scope="session")
def platform_images(request, docker_engine, repo_root, artifacts_dir):
    """Every image of platform/, built once per session (log: swarm-build-images.log), in the
    background since the tests were collected (tests/conftest.py) or else now."""
    early = early_engine(request.config)
    try:
        if early is not None:
            early.built.result()
        else:
            build_platform_images(docker_engine, repo_root, artifacts_dir / PLATFORM_IMAGES_LOG)
    except RuntimeError as error:
        pytest.fail(str(error))
    return docker_engine.docker(
        "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"
    ).stdout.split()


@pytest.fixture(scope="package")
def stack_secrets(tmp_path_factory, test_ca, slapd):
    """SECRETS_DIR for the stack; the LDAP CA is the session's test CA, which also signed slapd's
    certificate; the LDAP search password is slapd's service account's.
    """
    folder = tmp_path_factory.mktemp("stack-secrets")
    return write_stack_secrets(folder, test_ca, slapd.search_password)


@pytest.fixture(scope="package")
def platform_stack(swarm, platform_images, stack_secrets, slapd, test_ca, repo_root, artifacts_dir):
    """platform/stack.yml + platform/stack.test.yml deployed, every service healthy; removed at the
    end.
    """
    stack = new_stack(
        swarm, repo_root / "platform", stack_secrets, ldap_variables(slapd), test_ca.cert
    )
    try:
        stack.deploy()
        stack.wait_healthy()
        yield stack
    finally:
        stack.save_logs(artifacts_dir)
        left = stack.remove()
    assert not left, f"stack removal left services/containers: {left}"


@pytest.fixture(scope="session")
def images_wheelhouse(request, repo_root, tmp_path_factory):
    """The wheels the platform's images install, and the toolkit's dependencies: downloaded once per
    session (in the background since collection: tests/conftest.py) for the mirrors of the image
    tests and of the multi-node tests (or kept between runs in MIRROR_WHEELHOUSE_ROOT)."""
    return prefetched(
        request.config,
        "images_wheelhouse",
        lambda: wheelhouse(
            "images",
            image_requirements(repo_root),
            tmp_path_factory.mktemp("images-wheelhouse"),
            universal=False,
        ),
    )
