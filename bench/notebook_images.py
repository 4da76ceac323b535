"""Size and build time of the platform's images: the hub and each notebook variant.

`platform/build-images --local` into a private dockerd with an empty data root (no layer cached:
the debootstrap root filesystem, the local stand-ins of the Jupyter bases, then the hub and the
three notebook variants), then the same command again with nothing changed (every layer cached,
the root file system kept). Build times are build-images' own "done: TAG in N s" lines; sizes are
`docker image inspect`'s, with the part each image adds above the base it is built FROM. Needs
root and the packages of .ci/apt-packages.txt.

    python -m bench.notebook_images    # BENCH_IMAGES_DATA_ROOT=/var/tmp/NEW keeps the images

With --local every notebook variant is built FROM the same stand-in base (the registry's
scipy-notebook and datascience-notebook cannot be reached here), so the scipy and datascience
variants reuse the base variant's layers: their figures here are what the platform's own
Dockerfile adds, not the size of the production images.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from bench import paired
from harness.engine import running_engine
from harness.images import build_platform_images

REPO_ROOT = Path(__file__).resolve().parent.parent
# Tag, and the local base it is built FROM (platform/build-images, --local).
LOCAL_ROOTFS = "mlops-local/debian:bookworm"
NOTEBOOK_BASE = "mlops-local/base-notebook:bookworm"
IMAGES = {
    LOCAL_ROOTFS: None,
    NOTEBOOK_BASE: LOCAL_ROOTFS,
    "mlops-local/jupyterhub:6.1.1": NOTEBOOK_BASE,
    "mlops-local/postgres:15": LOCAL_ROOTFS,
    "mlops-local/nginx:1.22": LOCAL_ROOTFS,
    "mlops/jupyterhub:0.1.0": "mlops-local/jupyterhub:6.1.1",
    "mlops/notebook-base:0.1.0": NOTEBOOK_BASE,
    "mlops/notebook-scipy:0.1.0": NOTEBOOK_BASE,
    "mlops/notebook-datascience:0.1.0": NOTEBOOK_BASE,
}
# Set to a new folder to keep the built images there (e.g. for SWARM_TEST_DATA_ROOT of the spawn
# benchmark); unset, the images go with the engine.
KEEP_DATA_ROOT = "BENCH_IMAGES_DATA_ROOT"
DONE_LINE = re.compile(r"^\s*done: (\S+) in (\d+) s$", re.MULTILINE)


def build_seconds(log: Path) -> dict[str, int]:
    """The seconds build-images printed for each image it built."""
    return {tag: int(seconds) for tag, seconds in DONE_LINE.findall(log.read_text())}


def timed_build(engine, log: Path) -> tuple[float, dict[str, int]]:
    """The whole build-images run's seconds, and each image's."""
    start = time.perf_counter()
    build_platform_images(engine, REPO_ROOT, log)
    return time.perf_counter() - start, build_seconds(log)


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    if os.geteuid() != 0:
        parser.error("needs root (it starts a private dockerd)")
    kept = os.environ.get(KEEP_DATA_ROOT)
    if kept and Path(kept).exists() and any(Path(kept).iterdir()):
        parser.error(f"{KEEP_DATA_ROOT}={kept} must be an empty or new folder (a cold build)")

    with tempfile.TemporaryDirectory(prefix="bench-images-") as folder:
        work = Path(folder)
        with contextlib.contextmanager(running_engine)(
            "the image benchmark", KEEP_DATA_ROOT
        ) as engine:
            print("  cold build (empty data root) ...", file=sys.stderr, flush=True)
            cold_total, cold = timed_build(engine, work / "cold.log")
            print("  rebuild (nothing changed) ...", file=sys.stderr, flush=True)
            warm_total, warm = timed_build(engine, work / "warm.log")
            sizes = {
                tag: int(engine.docker("image", "inspect", "--format", "{{.Size}}", tag).stdout)
                for tag in IMAGES
            }
            docker_version = engine.docker("version", "--format", "{{.Server.Version}}").stdout

    rows = []
    for tag, base in IMAGES.items():
        added = mib(sizes[tag] - sizes[base]) if base else "-"
        rows.append(
            [
                f"`{tag}`",
                f"`{base}`" if base else "debootstrap",
                mib(sizes[tag]),
                added,
                str(cold.get(tag, "-")),
                str(warm.get(tag, "kept" if base is None else "cached")),
            ]
        )
    body = (
        "\n\n".join(__doc__.split("\n\n")[1:4:2])
        + "\n\n"
        + paired.context_lines(
            "python -m bench.notebook_images",
            f"Docker engine {docker_version.strip()}; whole build-images run: cold "
            f"{cold_total:.0f} s, again with nothing changed {warm_total:.0f} s.",
        )
        + "\n"
        + paired.markdown_table(
            [
                "image",
                "built FROM",
                "size MiB",
                "added above its base MiB",
                "cold build s",
                "rebuild s",
            ],
            rows,
        )
    )
    print(body)
    paired.write_section("notebook-images", "Platform images: size and build time", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
