"""Build every image of platform/ into a test engine: `platform/build-images --local`."""

import os
import re
import subprocess
from pathlib import Path

import tomllib

from harness.engine import DOCKER_CLI, DockerEngine


def build_platform_images(engine: DockerEngine, repo_root: Path, log: Path) -> None:
    """Run build-images with its output in `log`; the local stand-ins trust this machine's CA bundle
    (HTTPS is intercepted here; real builds need no such option). Raises RuntimeError with the log's
    tail on failure.
    """
    command = [str(repo_root / "platform" / "build-images"), "--local"]
    ca_bundle = os.environ.get("SSL_CERT_FILE") or os.environ.get("PIP_CERT")
    if ca_bundle and Path(ca_bundle).is_file():
        command += ["--extra-ca", ca_bundle]
    env = {**engine.env(), "DOCKER": f"{DOCKER_CLI} --host {engine.host}"}
    with open(log, "w") as out:
        result = subprocess.run(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1500
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-30:])
        raise RuntimeError(f"platform/build-images --local failed (full log: {log}):\n{tail}")


def image_requirements(repo_root: Path) -> list[str]:
    """The pins of the images' `pip install` steps, and the toolkit's dependencies (a user installs
    mlops-hygiene in the test)."""
    pins = []
    for dockerfile in ("images/Dockerfile", "hub/Dockerfile"):
        text = (repo_root / "platform" / dockerfile).read_text()
        pins += re.findall(r'^\s+"?([A-Za-z0-9_.\[\]-]+==[0-9.]+)"? \\$', text, flags=re.M)
    toolkit = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    return pins + toolkit["dependencies"]
