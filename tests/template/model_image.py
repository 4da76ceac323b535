"""The local base image for building a generated project's model image on the session's private
Docker engine (tests/conftest.py: docker_engine).

Images cannot be pulled here (no registry): the base is the Debian bookworm root filesystem that
platform/base-image/build-rootfs makes with debootstrap (python3 3.11 and venv, like the official
python slim image the Dockerfile names by default), the one `platform/build-images --local` builds
first, so a session that built the platform's images debootstraps once. That root filesystem trusts
this machine's CA bundle (HTTPS is intercepted here); the model's base trusts Debian's CAs only, so
the builds must pass the bundle as a build secret, never into a layer.
"""

import os
import subprocess
from pathlib import Path

from harness.engine import DOCKER_CLI, DockerEngine

ROOTFS_IMAGE = "mlops-local/debian:bookworm"  # as platform/build-images --local names it
BASE_IMAGE = "mlops-local/debian:bookworm-debian-cas"
WITHOUT_EXTRA_CAS = f"""FROM {ROOTFS_IMAGE}
RUN rm -f /usr/local/share/ca-certificates/* && update-ca-certificates --fresh
"""


def docker_command(engine: DockerEngine) -> str:
    return f"{DOCKER_CLI} --host {engine.host}"


def host_ca_bundle() -> Path | None:
    bundle = os.environ.get("SSL_CERT_FILE") or os.environ.get("PIP_CERT")
    return Path(bundle) if bundle and Path(bundle).is_file() else None


def build_base_image(engine: DockerEngine, repo_root: Path, log: Path) -> None:
    """BASE_IMAGE: the platform's root filesystem (build-rootfs, as build-images runs it, unless the
    engine has it) without the CAs it was given to trust.
    """
    if engine.docker("image", "inspect", BASE_IMAGE, check=False).returncode == 0:
        return
    if engine.docker("image", "inspect", ROOTFS_IMAGE, check=False).returncode != 0:
        build_rootfs(engine, repo_root, log)
    engine.docker(
        "build", "--network", "none", "-t", BASE_IMAGE, "-", input=WITHOUT_EXTRA_CAS, timeout=300
    )
    extra_cas = "/usr/local/share/ca-certificates"
    extra = engine.docker("run", "--rm", "--network", "none", BASE_IMAGE, "ls", extra_cas)
    if extra.stdout.strip():
        raise RuntimeError(f"{BASE_IMAGE} still trusts extra CAs: {extra.stdout.split()}")


def build_rootfs(engine: DockerEngine, repo_root: Path, log: Path) -> None:
    script = repo_root / "platform" / "base-image" / "build-rootfs"
    bundle = host_ca_bundle()
    env = {**os.environ, "ROOTFS_TAG": ROOTFS_IMAGE, "EXTRA_CA_BUNDLE": str(bundle or "")}
    with open(log, "w") as out:
        result = subprocess.run(
            [str(script), DOCKER_CLI, "--host", engine.host],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1500,
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-30:])
        raise RuntimeError(f"build-rootfs failed (full log: {log}):\n{tail}")


def image_build_options() -> str:
    """DOCKER_BUILD_OPTIONS for `make image`: the local base, host networking (the test engine has
    no bridge) and the CA bundle as a build secret.
    """
    options = ["--network host", f"--build-arg BASE_IMAGE={BASE_IMAGE}"]
    bundle = host_ca_bundle()
    if bundle:
        options.append(f"--secret id=ca_bundle,src={bundle}")
    return " ".join(options)
