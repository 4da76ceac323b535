"""How long mlops-hygiene takes as repositories grow, and what it costs others (figures for
docs/benchmarks.md).

Builds synthetic git repositories of 2,000, 5,000 and 20,000 tracked files (10% notebooks, a DVC
pipeline, code, data pointers), then times, in one run so that the figures can be compared on a
shared machine (medians of several runs; the ratios are what the goals are about):

- start-up: `python -c pass`, `mlops-hygiene --help`;
- `mlops-hygiene check --format json` at each size, and at 20,000 files with the nbstripout filter
  installed (notebooks judged as staged);
- the pre-commit hook's own command on a one-file commit at 20,000 files, and a real `git commit`
  of one file with pre-commit running our hook against the same commit with a no-op hook;
- `repo-review --ignore MH` with our plugin installed against repo-review without it (our entry
  points hidden), at 5,000 and 20,000 files.

Usage: PATH=$PWD/.venv/bin:$PATH .venv/bin/python -m bench.hygiene_check [--quick]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RUNS = 5
SIZES = (2_000, 5_000, 20_000)
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
NOTEBOOK = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": ["import pandas as pd\n", "pd.read_csv('data/raw.csv').describe()"],
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    indent=1,
)
PIPELINE = """stages:
  prepare:
    cmd: python src/prepare.py
    deps: [src/prepare.py, data/raw.csv]
    params: [prepare.seed]
    outs: [data/prepared.csv]
"""
# repo-review without our plugin: the same process, with our entry points hidden.
REPO_REVIEW_WITHOUT_PLUGIN = """
import importlib.metadata as metadata, sys
real = metadata.entry_points
def entry_points(**kwargs):
    found = real(**kwargs)
    return type(found)(ep for ep in found if not ep.value.startswith("mlops_hygiene"))
metadata.entry_points = entry_points
from repo_review.__main__ import main
sys.argv = ["repo-review", *sys.argv[1:]]
main()
"""


def run(command: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, **kwargs)


def build(root: Path, files: int) -> Path:
    """A committed repository with `files` tracked files."""
    root.mkdir()
    notebooks = files // 10
    written = 0

    def write(relative: str, text: str) -> None:
        nonlocal written
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written += 1

    fixed = {
        "README.md": "# bench\n",
        ".python-version": "3.11\n",
        "pyproject.toml": '[project]\nname = "bench"\nversion = "0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["pandas>=2.2,<3"]\n[dependency-groups]\ndev = ["pytest==8.3.4"]\n',
        ".gitignore": ".env\n.env.*\n*.pem\n*.key\nid_rsa*\ncredentials.json\n/data/raw.csv\n",
        ".gitattributes": "*.ipynb filter=nbstripout\n",
        ".pre-commit-config.yaml": "repos: []\n",
        "params.yaml": "prepare:\n  seed: 1\n",
        "dvc.yaml": PIPELINE,
        "data/raw.csv.dvc": "outs:\n- md5: 0cc175b9c0f1b6a831c399e269772661\n  path: raw.csv\n",
        "src/prepare.py": "import sys\n",
        "tests/test_it.py": "def test():\n    pass\n",
        "models/.gitkeep": "",
    }
    for relative, text in fixed.items():
        write(relative, text)
    for index in range(notebooks):
        write(
            f"notebooks/group{index // 200:02d}/{index % 100:02d}-bn-study{index}.ipynb", NOTEBOOK
        )
    index = 0
    while written < files:
        write(f"src/pkg{index // 500:03d}/module{index}.py", f"VALUE = {index}\n")
        index += 1
    run([*GIT, "init", "-q", "-b", "main"], root)
    run([*GIT, "add", "-A"], root)
    run([*GIT, "commit", "-q", "-m", "bench"], root)
    return root


def median_seconds(command: list[str], cwd: Path, runs: int = RUNS, **kwargs) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        completed = run(command, cwd, **kwargs)
        timings.append(time.perf_counter() - start)
        # repo-review exits 2 when every check is ignored ("status": "empty"): not a failure here.
        if completed.returncode not in (0, 1, 2):
            sys.exit(f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}")
    return statistics.median(timings)


def commit_one_file(root: Path, hooks: str, runs: int = RUNS) -> float:
    """Median time of `git commit` of one changed file with pre-commit running `hooks`."""
    (root / ".pre-commit-config.yaml").write_text(hooks)
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    run([str(BIN / "pre-commit"), "install"], root, env=env)
    run([*GIT, "add", "-A"], root)
    run([*GIT, "commit", "-q", "--no-verify", "-m", "hooks"], root)
    timings = []
    for attempt in range(runs):
        (root / "src/prepare.py").write_text(f"import sys\nATTEMPT = {attempt}\n")
        run([*GIT, "add", "src/prepare.py"], root)
        start = time.perf_counter()
        completed = run([*GIT, "commit", "-q", "-m", f"change {attempt}"], root, env=env)
        timings.append(time.perf_counter() - start)
        if completed.returncode != 0:
            sys.exit(f"commit failed:\n{completed.stdout}{completed.stderr}")
    run([str(BIN / "pre-commit"), "uninstall"], root, env=env)
    return statistics.median(timings)


def local_hook(entry: str, pass_filenames: bool) -> str:
    return (
        "repos:\n- repo: local\n  hooks:\n  - id: bench\n    name: bench\n"
        f"    entry: '{entry}'\n    language: system\n"
        f"    pass_filenames: {str(pass_filenames).lower()}\n"
        "    always_run: true\n    require_serial: true\n"
    )


def interleaved_medians(commands: dict[str, tuple[list[str], Path]]) -> dict[str, float]:
    """Median seconds of each command, run round-robin so that a change of load on the shared
    machine touches all of them alike."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, (command, cwd) in commands.items():
            timings[name].append(median_seconds(command, cwd, runs=1))
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    sizes = SIZES[:2] if "--quick" in sys.argv else SIZES
    hygiene = str(BIN / "mlops-hygiene")
    largest, smallest = max(sizes), min(sizes)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        repos = {size: build(tmp_path / f"repo{size}", size) for size in sizes}
        filtered = build(tmp_path / "filtered", largest)
        run([str(BIN / "nbstripout"), "--install", "--attributes", ".gitattributes"], filtered)
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], tmp_path),
            "mlops-hygiene --help": ([hygiene, "--help"], tmp_path),
        }
        for size, root in repos.items():
            commands[f"git status, {size:,} files"] = (["git", "status", "--short"], root)
            commands[f"check --format json, {size:,} files"] = (
                [hygiene, "check", "--format", "json"],
                root,
            )
        commands[f"check, {largest:,} files, nbstripout filter installed"] = (
            [hygiene, "check", "--format", "json"],
            filtered,
        )
        commands[f"hook command (check --quiet --files ONE), {largest:,} files"] = (
            [hygiene, "check", "--quiet", "--files", "src/prepare.py"],
            repos[largest],
        )
        ignore = ["--ignore", "MH", "--format", "json"]
        for size in sizes[1:]:
            root = repos[size]
            commands[f"repo-review --ignore MH, {size:,} files, plugin hidden"] = (
                [sys.executable, "-c", REPO_REVIEW_WITHOUT_PLUGIN, str(root), *ignore],
                root,
            )
            commands[f"repo-review --ignore MH, {size:,} files, plugin installed"] = (
                [str(BIN / "repo-review"), str(root), *ignore],
                root,
            )
        medians = interleaved_medians(commands)
        noop = commit_one_file(repos[largest], local_hook("true", False))
        ours = commit_one_file(repos[largest], local_hook(f"{hygiene} check --quiet --files", True))
        medians[f"git commit of one file, {largest:,} files, pre-commit with a no-op hook"] = noop
        medians[f"git commit of one file, {largest:,} files, pre-commit with our hook"] = ours

    print(f"| measurement ({RUNS} runs, median) | time |")
    print("|---|---|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.0f} ms |")
    python = medians["python -c pass"]
    start_up = medians["mlops-hygiene --help"]
    check = {size: medians[f"check --format json, {size:,} files"] for size in sizes}
    print()
    print(
        f"start-up: --help {start_up * 1000:.0f} ms = {start_up / python:.1f}x python -c pass "
        f"(goal: <= 2x + 100 ms = {(2 * python + 0.1) * 1000:.0f} ms)"
    )
    print(
        "check per tracked file: "
        + ", ".join(f"{size:,}: {check[size] / size * 1e6:.0f} us" for size in sizes)
    )
    print(
        f"check at {largest:,} / at {smallest:,} files: {check[largest] / check[smallest]:.1f}x "
        f"for {largest // smallest}x the files"
    )
    print(
        f"pre-commit with our hook vs a no-op hook: +{(ours - noop) * 1000:.0f} ms (goal: <= 300)"
    )
    for size in sizes[1:]:
        hidden = medians[f"repo-review --ignore MH, {size:,} files, plugin hidden"]
        shown = medians[f"repo-review --ignore MH, {size:,} files, plugin installed"]
        added = (shown - hidden) * 1000
        print(f"repo-review --ignore MH at {size:,} files: plugin adds {added:.0f} ms")


if __name__ == "__main__":
    main()
