"""A private Docker engine and the local base image for building a generated project's model image.

Images cannot be pulled here (no registry): the base is the Debian bookworm root filesystem that
platform/base-image/build-rootfs makes with debootstrap (python3 3.11 and venv, like the official
python slim image the Dockerfile names by default). HTTPS is intercepted on these machines, so the
host's CA bundle goes into builds as a build secret, never into a layer.
"""

import os
import subprocess
from pathlib import Path

from harness.engine import DOCKER_CLI, DockerEngine

# Set to a folder to keep dockerd's data root (the base image and the build cache) between runs
# while developing; by default it lives in the engine's temporary root and is removed.
KEEP_DATA_ROOT_ENV = "IMAGE_TEST_DATA_ROOT"
BASE_IMAGE = "mlops-local/debian:bookworm"


def docker_command(engine: DockerEngine) -> str:
    return f"{DOCKER_CLI} --host {engine.host}"


def host_ca_bundle() -> Path | None:
    bundle = os.environ.get("SSL_CERT_FILE") or os.environ.get("PIP_CERT")
    return Path(bundle) if bundle and Path(bundle).is_file() else None


def build_base_image(engine: DockerEngine, repo_root: Path, log: Path) -> None:
    """build-rootfs into the engine, unless the image is already there (a kept data root)."""
    if engine.docker("image", "inspect", BASE_IMAGE, check=False).returncode == 0:
        return
    script = repo_root / "platform" / "base-image" / "build-rootfs"
    env = {**os.environ, "ROOTFS_TAG": BASE_IMAGE, "EXTRA_CA_BUNDLE": ""}
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
