"""A local wheelhouse holding mlops-hygiene built from this checkout.

Generated projects pin `mlops-hygiene` in requirements-dev.txt; teams publish it to their package
index. The demo and the tests publish nothing: they build the wheel into a folder and point pip and
uv at it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def build_hygiene_wheel(wheelhouse: Path) -> None:
    shutil.rmtree(wheelhouse, ignore_errors=True)
    wheelhouse.mkdir(parents=True)
    args = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheelhouse)]
    subprocess.run([*args, str(REPO_ROOT)], check=True)
    # uv caches wheels by name and version; the version stays 0.1.0 while this checkout changes.
    clean_uv_cache = [str(BIN / "uv"), "cache", "clean", "mlops-hygiene"]
    subprocess.run(clean_uv_cache, check=True, capture_output=True)


def environment_with_wheelhouse(wheelhouse: Path) -> dict:
    """os.environ, PIP_FIND_LINKS/UV_FIND_LINKS to the wheelhouse, this venv's tools on PATH."""
    env = dict(os.environ)
    links = " ".join(filter(None, [str(wheelhouse), env.get("PIP_FIND_LINKS")]))
    env["PIP_FIND_LINKS"] = links
    env["UV_FIND_LINKS"] = ",".join(links.split())
    env["DVC_NO_ANALYTICS"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env.pop("VIRTUAL_ENV", None)
    return env
