"""The site's package mirror on the cluster's lan, and a notebook image built against it.

The mirror (pypiserver, harness/mirror.py) runs inside the lan namespace, where the nodes reach it
at the lan address and nothing else can; the nodes have no other route out. The notebook image is
platform/images/Dockerfile built on the manager (its build runs in the manager's namespace, so it
installs from that mirror alone) with PACKAGE_INDEX_URL naming the mirror, then loaded into the
workers: as a site builds its images against its own mirror.
"""

from __future__ import annotations

from pathlib import Path

from harness.multinode.cluster import Cluster

MIRROR_IMAGE = "mlops-test/notebook-mirror:1"
NOTEBOOK_BASE = "mlops-local/base-notebook:bookworm"  # platform/build-images --local


def build_mirror_image(cluster: Cluster, engine, platform_dir: Path, index_url: str) -> None:
    """Build MIRROR_IMAGE on the manager FROM the stand-in base (loaded there unless it already is),
    load it into the workers."""
    if cluster.manager.docker("image", "inspect", NOTEBOOK_BASE, check=False).returncode != 0:
        base = cluster.root / "notebook-base.tar"
        engine.docker("save", "-o", str(base), NOTEBOOK_BASE, timeout=600)
        cluster.load_images(base, [cluster.manager])
        base.unlink()
    cluster.manager.docker(
        "build",
        "--network",
        "host",
        "--tag",
        MIRROR_IMAGE,
        "--build-arg",
        f"BASE_IMAGE={NOTEBOOK_BASE}",
        "--build-arg",
        f"PACKAGE_INDEX_URL={index_url}",
        str(platform_dir / "images"),
        timeout=900,
        env={"DOCKER_BUILDKIT": "1"},
    )
    image = cluster.root / "notebook-mirror.tar"
    cluster.manager.docker("save", "-o", str(image), MIRROR_IMAGE, timeout=600)
    cluster.load_images(image, cluster.workers)
    image.unlink()
