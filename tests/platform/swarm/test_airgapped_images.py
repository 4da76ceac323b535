"""The hub and notebook images build from a private package mirror alone, with its login as a build
secret that no layer keeps, and the mirror's settings live outside /home/jovyan. Users installing
from the mirror in servers the hub spawned: multinode/test_package_mirror.py.

The mirror is a real pypiserver on 127.0.0.1 (harness/mirror.py) holding exactly what the images
install; for the builds it requires a login (as a Nexus without anonymous access), given only as
the `netrc` build secret. Proxies point at a closed port for everything but 127.0.0.1 in the builds,
so a request to the public index fails the test.
"""

import re
import tarfile
from pathlib import Path

import pytest

from harness.mirror import (
    CLOSED_PROXY,
    build_toolkit_wheel,
    publish,
    start_mirror,
    write_htpasswd,
)

pytestmark = pytest.mark.swarm

LOGIN = ("builder", "s3cret-Mirror-Login-7")
NOTEBOOK_BASE = "mlops-local/base-notebook:bookworm"
HUB_BASE = "mlops-local/jupyterhub:6.1.1"
NOTEBOOK_TAG = "mlops-test/notebook-airgapped:1"
HUB_TAG = "mlops-test/hub-airgapped:1"
NO_PROXY = {"HTTP_PROXY": CLOSED_PROXY, "HTTPS_PROXY": CLOSED_PROXY, "NO_PROXY": "127.0.0.1"}


@pytest.fixture(scope="module")
def image_mirror(images_wheelhouse, repo_root, tmp_path_factory, artifacts_dir):
    scratch = tmp_path_factory.mktemp("image-mirror")
    htpasswd = write_htpasswd(scratch / "htpasswd", *LOGIN)
    log = artifacts_dir / "image-mirror.log"
    log.unlink(missing_ok=True)
    mirror = start_mirror(scratch / "uploads", [images_wheelhouse], log, htpasswd=htpasswd)
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
