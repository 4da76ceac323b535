"""How long `mlops-hygiene check` takes on a freshly generated project (goal: well under a second).

Generates the default project with cookiecutter into a temporary folder, stages it in git (as
`make setup` and a first `git add` do), then times the real command several times and prints the
median. Copy the figures into docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = 9


def generate(output: Path) -> Path:
    subprocess.run(
        [str(BIN / "cookiecutter"), "--no-input", str(REPO_ROOT), "-o", str(output)],
        check=True,
        capture_output=True,
    )
    (project,) = [path for path in output.iterdir() if path.is_dir()]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    return project


def time_command(command: list[str], cwd: Path) -> list[float]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        timings.append(time.perf_counter() - start)
        if completed.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}")
    return timings


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp))
        commands = {
            "mlops-hygiene check (text)": [str(BIN / "mlops-hygiene"), "check"],
            "mlops-hygiene check --format json": [
                str(BIN / "mlops-hygiene"),
                "check",
                "--format",
                "json",
            ],
        }
        paths = sum(1 for _ in project.rglob("*"))
        print(f"project: default cookiecutter project ({paths} paths), {RUNS} runs")
        for name, command in commands.items():
            timings = time_command(command, project)
            print(
                f"{name}: median {statistics.median(timings) * 1000:.0f} ms "
                f"(min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms)"
            )


if __name__ == "__main__":
    main()
