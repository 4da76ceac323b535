"""The hub and notebook images build from a private package mirror alone, with its login as a build
secret that no layer keeps, and users of a running notebook server install from the mirror with no
configuration of their own, also with their NFS home mounted over /home/jovyan.

The mirror is a real pypiserver on 127.0.0.1 (harness/mirror.py) holding exactly what the images
install; for the builds it requires a login (as a Nexus without anonymous access), given only as
the `netrc` build secret. Proxies point at a closed port for everything but 127.0.0.1, in the builds
and in the server, so a request to the public index fails the test.
"""

import os
import re
import tarfile
import time
from pathlib import Path

import pytest
import tomllib

from harness.mirror import (
    CLOSED_PROXY,
    build_toolkit_wheel,
    publish,
    start_mirror,
    wheelhouse,
    write_htpasswd,
)

pytestmark = pytest.mark.swarm

LOGIN = ("builder", "s3cret-Mirror-Login-7")
NOTEBOOK_BASE = "mlops-local/base-notebook:bookworm"
HUB_BASE = "mlops-local/jupyterhub:6.1.1"
NOTEBOOK_TAG = "mlops-test/notebook-airgapped:1"
HUB_TAG = "mlops-test/hub-airgapped:1"
NO_PROXY = {"HTTP_PROXY": CLOSED_PROXY, "HTTPS_PROXY": CLOSED_PROXY, "NO_PROXY": "127.0.0.1"}


def image_requirements(repo_root: Path) -> list[str]:
    """The pins of the images' `pip install` steps, and the toolkit's dependencies (a user installs
    mlops-hygiene in the test)."""
    pins = []
    for dockerfile in ("images/Dockerfile", "hub/Dockerfile"):
        text = (repo_root / "platform" / dockerfile).read_text()
        pins += re.findall(r'^\s+"?([A-Za-z0-9_.\[\]-]+==[0-9.]+)"? \\$', text, flags=re.M)
    toolkit = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    return pins + toolkit["dependencies"]


@pytest.fixture(scope="module")
def image_mirror(repo_root, tmp_path_factory, artifacts_dir):
    scratch = tmp_path_factory.mktemp("image-mirror")
    house = wheelhouse("images", image_requirements(repo_root), scratch, universal=False)
    htpasswd = write_htpasswd(scratch / "htpasswd", *LOGIN)
    log = artifacts_dir / "image-mirror.log"
    log.unlink(missing_ok=True)
    mirror = start_mirror(scratch / "uploads", [house], log, htpasswd=htpasswd)
    try:
        publish(mirror, [build_toolkit_wheel(repo_root, scratch / "dist")], LOGIN)
        yield mirror
    finally:
        mirror.stop()


@pytest.fixture(scope="module")
def netrc_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("netrc") / "netrc"
    path.write_text(f"machine 127.0.0.1 login {LOGIN[0]} password {LOGIN[1]}\n")
    return path


def build(engine, folder: Path, base: str, tag: str, mirror, netrc: Path | None, ca: Path):
    proxies = [arg for item in NO_PROXY.items() for arg in ("--build-arg", "=".join(item))]
    login = ["--secret", f"id=netrc,src={netrc}"] if netrc else []
    return engine.docker(
        "build",
        "--network",
        "host",
        "--tag",
        tag,
        "--build-arg",
        f"BASE_IMAGE={base}",
        "--build-arg",
        f"PACKAGE_INDEX_URL={mirror.url}",
        *proxies,
        *login,
        "--secret",
        f"id=ca_bundle,src={ca}",
        str(folder),
        timeout=1500,
        env={"DOCKER_BUILDKIT": "1"},
        check=netrc is not None,
    )


@pytest.fixture(scope="module")
def airgapped_images(docker_engine, platform_images, image_mirror, netrc_file, test_ca, repo_root):
    """The notebook and hub images built with only the mirror reachable; then the mirror goes on
    without a login at the same address (the site's read-only anonymous access for users)."""
    platform = repo_root / "platform"
    without_login = build(
        docker_engine, platform / "hub", HUB_BASE, HUB_TAG, image_mirror, None, test_ca.cert
    )
    secrets = (image_mirror, netrc_file, test_ca.cert)
    build(docker_engine, platform / "images", NOTEBOOK_BASE, NOTEBOOK_TAG, *secrets)
    build(docker_engine, platform / "hub", HUB_BASE, HUB_TAG, *secrets)
    image_mirror.reopen_anonymously()
    return {"notebook": NOTEBOOK_TAG, "hub": HUB_TAG, "without_login": without_login}


def test_the_mirror_refuses_a_build_without_the_login(airgapped_images, image_mirror):
    refused = airgapped_images["without_login"]
    assert refused.returncode != 0, "the build got its packages without the netrc secret"
    assert re.search(r'"GET /simple/\S+ HTTP/1.1" 401', image_mirror.requests())


def test_the_images_installed_only_from_the_mirror(airgapped_images, image_mirror):
    served = image_mirror.requests()
    for wheel in ("jupyterlab-4.6.6-", "dvc-3.67.1-", "dockerspawner-14.0.0-"):
        assert f'"GET /packages/{wheel}' in served, wheel


@pytest.mark.parametrize("image", ["notebook", "hub"])
def test_the_mirror_login_is_in_no_layer(docker_engine, airgapped_images, image, tmp_path):
    tag = airgapped_images[image]
    history = docker_engine.docker("history", "--no-trunc", tag).stdout
    config = docker_engine.docker("image", "inspect", tag).stdout
    assert LOGIN[1] not in history + config
    archive = tmp_path / "image.tar"
    docker_engine.docker("save", "--output", str(archive), tag, timeout=600)
    with tarfile.open(archive) as image_tar:
        for member in image_tar:
            if member.name.endswith("layer.tar"):
                layer = image_tar.extractfile(member)
                with tarfile.open(fileobj=layer) as files:
                    for entry in files:
                        assert not entry.name.endswith(".netrc"), (member.name, entry.name)
                        if entry.isfile() and entry.size < 50_000_000:
                            data = files.extractfile(entry).read()
                            assert LOGIN[1].encode() not in data, (member.name, entry.name)


def running_container(engine, service: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = engine.docker(
            "ps", "--quiet", "--filter", f"label=com.docker.swarm.service.name={service}"
        ).stdout.split()
        if found:
            return found[0]
        time.sleep(0.5)
    tasks = engine.docker("service", "ps", "--no-trunc", service, check=False).stdout
    raise AssertionError(f"service {service} has no running container:\n{tasks}")


def test_a_user_installs_from_the_mirror_in_a_running_server(
    swarm, airgapped_images, image_mirror, tmp_path
):
    """A notebook image's container on the Swarm (host network, as the platform runs users'
    servers), an empty folder mounted over /home/jovyan in place of the user's NFS home: `pip
    install` (what `%pip install` runs) gets mlops-hygiene, which exists only on the mirror."""
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, 1000, 100)
    service = "airgap-user-server"
    proxies = [arg for name, value in NO_PROXY.items() for arg in ("--env", f"{name}={value}")]
    swarm.docker(
        "service",
        "create",
        "--detach",
        "--name",
        service,
        "--network",
        "host",
        "--restart-condition",
        "none",
        "--mount",
        f"type=bind,src={home},dst=/home/jovyan",
        *proxies,
        airgapped_images["notebook"],
        "sleep",
        "infinity",
    )
    try:
        container = running_container(swarm, service)
        config = swarm.docker("exec", container, "python3", "-m", "pip", "config", "list").stdout
        assert f"global.index-url='{image_mirror.url}'" in config
        installed = swarm.docker(
            "exec",
            container,
            "python3",
            "-m",
            "pip",
            "install",
            "--no-cache-dir",
            "mlops-hygiene==0.1.0",
            timeout=300,
        ).stdout
        assert "Successfully installed" in installed
        assert "mlops-hygiene-0.1.0" in installed
        assert "/packages/mlops_hygiene-0.1.0-py3-none-any.whl" in image_mirror.requests()
        explain = swarm.docker("exec", container, "mlops-hygiene", "explain", "MH001").stdout
        assert "git repository" in explain
    finally:
        swarm.docker("service", "rm", service, check=False)
        deadline = time.monotonic() + 60
        while swarm.docker("ps", "--all", "--quiet", "--filter", f"name={service}").stdout.strip():
            assert time.monotonic() < deadline, f"the containers of {service} did not go away"
            time.sleep(0.5)


def test_the_index_and_its_ca_live_outside_the_home(
    docker_engine, airgapped_images, image_mirror, test_ca
):
    files = ["/etc/pip.conf", "/etc/uv/uv.toml", "/etc/ssl/certs/ca-certificates.crt"]
    shown = docker_engine.docker(
        "run", "--rm", "--network", "none", "--entrypoint", "cat", NOTEBOOK_TAG, *files
    ).stdout
    assert f"index-url = {image_mirror.url}\n" in shown
    assert f'url = "{image_mirror.url}"\n' in shown
    ca_body = "".join(test_ca.cert.read_text().split("-----")[2].split())
    assert ca_body in "".join(shown.split())  # the mirror's CA is trusted by pip, uv and conda
