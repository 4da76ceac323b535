"""`make demo`: generate a project with the defaults, run its pipeline, print its metrics, figures
and a few predictions of the trained model.

Usage: python tools/demo.py DEMO_DIR

The generated project pins mlops-hygiene, which teams publish to their own package index. The demo
builds it from this checkout into a scratch wheelhouse and points pip and uv at it
(PIP_FIND_LINKS / UV_FIND_LINKS).
"""

import csv
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


def write_features(test_set: Path, destination: Path) -> None:
    """The test set without its target column: what `predict` takes."""
    with open(test_set, newline="") as source, open(destination, "w", newline="") as target:
        rows = csv.DictReader(source)
        columns = [name for name in rows.fieldnames if name != "target"]
        writer = csv.DictWriter(target, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


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

    step("Predicting the test set with the trained model")
    features = demo_dir / "predict-input.csv"
    predictions = demo_dir / "predictions.csv"
    write_features(project / "data/processed/test.csv", features)
    predict = [str(project / ".venv/bin/python"), "-m", "my_ml_project.predict"]
    run([*predict, str(features), "-o", str(predictions)], project, env)

    metrics = json.loads((project / "reports/metrics.json").read_text())
    print(f"\nProject:  {project}")
    print("Metrics (reports/metrics.json, test set):")
    for name, value in metrics.items():
        print(f"  {name:<10} {value}")
    print(f"Plots:    {project / 'dvc_plots/index.html'} (open in a browser, works offline)")
    print(f"Plot data: {project / 'reports/plots'}/confusion_matrix.csv, roc.csv")
    print(f"Figures:  {project / 'reports/figures'}/confusion_matrix.png, roc.png")
    print(f"Predictions ({predictions}, first rows):")
    with open(predictions, newline="") as file:
        for line in file.read().splitlines()[:4]:
            print(f"  {line}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/demo.py DEMO_DIR")
    main(Path(sys.argv[1]))
