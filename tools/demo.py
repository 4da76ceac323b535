"""`make demo`: generate a project with the defaults, run its pipeline, print its metrics.

Usage: python tools/demo.py DEMO_DIR

The generated project pins mlops-hygiene, which teams publish to their own package index. The demo
builds it from this checkout into a scratch wheelhouse and points pip and uv at it
(PIP_FIND_LINKS / UV_FIND_LINKS).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT_SLUG = "my-ml-project"  # the default answers' slug


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(args: list[str], cwd: Path, env: dict) -> None:
    print("$ " + " ".join(args), flush=True)
    subprocess.run(args, cwd=cwd, env=env, check=True)


def build_hygiene_wheel(wheelhouse: Path) -> None:
    shutil.rmtree(wheelhouse, ignore_errors=True)
    wheelhouse.mkdir(parents=True)
    args = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheelhouse)]
    subprocess.run([*args, str(REPO_ROOT)], check=True)
    # uv caches wheels by name and version; the version stays 0.1.0 while this checkout changes.
    clean_uv_cache = [str(BIN / "uv"), "cache", "clean", "mlops-hygiene"]
    subprocess.run(clean_uv_cache, check=True, capture_output=True)


def environment_with_wheelhouse(wheelhouse: Path) -> dict:
    env = dict(os.environ)
    links = " ".join(filter(None, [str(wheelhouse), env.get("PIP_FIND_LINKS")]))
    env["PIP_FIND_LINKS"] = links
    env["UV_FIND_LINKS"] = ",".join(links.split())
    env["DVC_NO_ANALYTICS"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env.pop("VIRTUAL_ENV", None)
    return env


def main(demo_dir: Path) -> None:
    demo_dir = demo_dir.resolve()
    demo_dir.mkdir(parents=True, exist_ok=True)
    project = demo_dir / PROJECT_SLUG
    wheelhouse = demo_dir / "wheelhouse"

    step(f"Building the mlops-hygiene wheel into {wheelhouse}")
    build_hygiene_wheel(wheelhouse)
    env = environment_with_wheelhouse(wheelhouse)

    if project.exists():
        step(f"Removing the previous demo project {project}")
        shutil.rmtree(project)
    step(f"Generating a project with the defaults into {demo_dir}")
    cookiecutter = [str(BIN / "cookiecutter"), "--no-input", str(REPO_ROOT), "-o", str(demo_dir)]
    run(cookiecutter, demo_dir, env)

    for target in ("setup", "repro", "test"):
        step(f"make {target}")
        run(["make", target], project, env)

    step("Rendering the plots")
    run([str(project / ".venv/bin/dvc"), "plots", "show"], project, env)

    metrics = json.loads((project / "reports/metrics.json").read_text())
    print(f"\nProject:  {project}")
    print("Metrics (reports/metrics.json, test set):")
    for name, value in metrics.items():
        print(f"  {name:<10} {value}")
    print(f"Plots:    {project / 'dvc_plots/index.html'} (open in a browser)")
    print(f"Plot data: {project / 'reports/plots'}/confusion_matrix.csv, roc.csv")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/demo.py DEMO_DIR")
    main(Path(sys.argv[1]))
