"""`make demo`: generate a project with the defaults, run its pipeline, print its metrics.

Usage: python tools/demo.py DEMO_DIR

The generated project pins mlops-hygiene, which teams publish to their own package index. The demo
builds it from this checkout into a scratch wheelhouse and points pip and uv at it
(PIP_FIND_LINKS / UV_FIND_LINKS).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from wheelhouse import BIN, REPO_ROOT, build_hygiene_wheel, environment_with_wheelhouse

PROJECT_SLUG = "my-ml-project"  # the default answers' slug


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(args: list[str], cwd: Path, env: dict) -> None:
    print("$ " + " ".join(args), flush=True)
    subprocess.run(args, cwd=cwd, env=env, check=True)


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
