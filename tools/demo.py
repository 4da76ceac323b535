"""`make demo`: generate a project with the defaults, set it up, run its pipeline, show what it has.

Usage: python tools/demo.py DEMO_DIR

The project is generated from this checkout by path, as a user generates from a clone: it gets
mlops-hygiene from this repository at its current commit (uncommitted changes are not part of it).
Each thing the demo shows is one step function in STEPS; add a step to show more.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT_SLUG = "my-ml-project"  # the default answers' slug


@dataclass
class Demo:
    demo_dir: Path
    project: Path
    env: dict
    summary: list[str] = field(default_factory=list)

    def run(self, args: list[str], cwd: Path | None = None, env: dict | None = None) -> None:
        print("$ " + " ".join(args), flush=True)
        subprocess.run(args, cwd=cwd or self.project, env=env or self.env, check=True)


def generate(demo: Demo) -> None:
    """Generate a project with the defaults (cookiecutter, this checkout by path)."""
    if demo.project.exists():
        shutil.rmtree(demo.project)
    cookiecutter = [str(BIN / "cookiecutter"), "--no-input", str(REPO_ROOT)]
    demo.run([*cookiecutter, "-o", str(demo.demo_dir)], cwd=demo.demo_dir)
    demo.summary.append(f"Project:  {demo.project}")


def make_targets(demo: Demo) -> None:
    """make setup (lock file, .venv, git hooks), make repro (the pipeline), make test."""
    for target in ("setup", "repro", "test"):
        print(f"--- make {target}", flush=True)
        demo.run(["make", target])


def metrics(demo: Demo) -> None:
    """The pipeline's test-set metrics."""
    scores = json.loads((demo.project / "reports/metrics.json").read_text())
    demo.summary.append("Metrics (reports/metrics.json, test set):")
    demo.summary += [f"  {name:<10} {value}" for name, value in scores.items()]


def plots(demo: Demo) -> None:
    """`dvc plots show`: the plots as HTML, their data as CSV."""
    demo.run([str(demo.project / ".venv/bin/dvc"), "plots", "show"])
    page = demo.project / "dvc_plots/index.html"
    demo.summary.append(f"Plots:    {page} (open in a browser; works offline)")
    plot_data = demo.project / "reports/plots"
    demo.summary.append(f"Plot data: {plot_data}/confusion_matrix.csv, roc.csv")


def kernel(demo: Demo) -> None:
    """`make kernel`: .venv as a Jupyter kernel (registered under DEMO_DIR, not among yours)."""
    jupyter_data = demo.demo_dir / "jupyter"
    demo.run(["make", "kernel"], env={**demo.env, "JUPYTER_DATA_DIR": str(jupyter_data)})
    (name,) = [path.name for path in (jupyter_data / "kernels").iterdir()]
    demo.summary.append(f"Kernel:   {name} (`make kernel` in the project registers it for you)")


def figures(demo: Demo) -> None:
    """The evaluate stage's PNG figures (for reports and merge requests)."""
    names = sorted(path.name for path in (demo.project / "reports/figures").glob("*.png"))
    demo.summary.append(f"Figures:  {demo.project / 'reports/figures'}/{', '.join(names)}")


def prediction(demo: Demo) -> None:
    """`python -m my_ml_project.predict`: the trained model on the test set's features."""
    features = demo.demo_dir / "predict-input.csv"
    predictions = demo.demo_dir / "predictions.csv"
    with open(demo.project / "data/processed/test.csv", newline="") as source:
        rows = csv.DictReader(source)
        columns = [name for name in rows.fieldnames if name != "target"]
        with open(features, "w", newline="") as target:
            writer = csv.DictWriter(target, columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    predict = [str(demo.project / ".venv/bin/python"), "-m", "my_ml_project.predict"]
    demo.run([*predict, str(features), "-o", str(predictions)])
    lines = predictions.read_text().splitlines()
    demo.summary.append(f"Predictions: {len(lines) - 1} rows in {predictions}; the first ones:")
    demo.summary += [f"  {line}" for line in lines[:4]]


STEPS = [generate, make_targets, metrics, plots, figures, prediction, kernel]


def main(demo_dir: Path) -> None:
    demo_dir = demo_dir.resolve()
    demo_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    env.pop("VIRTUAL_ENV", None)
    demo = Demo(demo_dir=demo_dir, project=demo_dir / PROJECT_SLUG, env=env)
    for step in STEPS:
        print(f"\n==> {step.__doc__.splitlines()[0]}", flush=True)
        step(demo)
    print("\n" + "\n".join(demo.summary))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/demo.py DEMO_DIR")
    main(Path(sys.argv[1]))
