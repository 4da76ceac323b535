"""How long mlops-hygiene takes as repositories grow, what the pre-commit hook adds to a commit, and
what the repo-review plugin costs other plugins' runs; before and after a change (figures for
docs/benchmarks.md).

Builds synthetic committed git repositories of 500, 5,000 and 20,000 tracked files (10% notebooks,
a DVC pipeline, code, a DVC pointer file) and times the real commands. Every comparison is paired:
the commands run round-robin, the order rotating each round, so the load of the shared machine
falls on all of them alike; the table shows medians. Two load-insensitive figures come with them:
the import time of the hook's command (`python -X importtime`, the sum of the top-level imports,
the smallest of the runs) and the number of git processes a command starts (GIT_TRACE).

"before" is the toolkit at another commit (`--before REV`, default `main`): its `src/` is exported
to a temporary folder and put first on PYTHONPATH; "after" is the installed (editable) package of
this checkout.

Usage: PATH=$PWD/.venv/bin:$PATH .venv/bin/python -m bench.hygiene_check [--before REV] [--quick]
       [--sizes 500,5000,20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
REPO_ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
SIZES = (500, 5_000, 20_000)
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
# Python writes its byte code, as on a developer's machine (this machine sets
# PYTHONDONTWRITEBYTECODE=1 for the tests).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "DVC_NO_ANALYTICS": "1"
}
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


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False
    )


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


def export_source(revision: str, into: Path) -> Path:
    """The toolkit's `src/` at `revision`, for PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


class Case:
    """One command in one version of the toolkit: `env` puts the old source first."""

    def __init__(self, command: list[str], cwd: Path, env: dict, setup=None) -> None:
        self.command, self.cwd, self.env, self.setup = command, cwd, env, setup

    def seconds(self) -> float:
        if self.setup:
            self.setup()
        start = time.perf_counter()
        completed = run(self.command, self.cwd, self.env)
        elapsed = time.perf_counter() - start
        # 1: a check failed (fine here); repo-review exits 2 when every check is ignored.
        if completed.returncode not in (0, 1, 2):
            sys.exit(f"{' '.join(self.command)} failed:\n{completed.stdout}{completed.stderr}")
        return elapsed


def paired_medians(cases: dict[str, Case], rounds: int) -> dict[str, float]:
    """Median seconds of each case, run round-robin with the order rotating every round."""
    names = list(cases)
    timings: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            timings[name].append(cases[name].seconds())
        print(f"  round {number + 1}/{rounds}", file=sys.stderr, flush=True)
    return {name: statistics.median(values) for name, values in timings.items()}


def import_ms(command: list[str], cwd: Path, env: dict, runs: int = RUNS) -> float:
    """The smallest, over `runs`, sum of the top-level imports' cumulative times (ms)."""
    best = float("inf")
    for _ in range(runs):
        stderr = run([sys.executable, "-X", "importtime", *command], cwd, env).stderr
        total = 0
        for line in stderr.splitlines():
            parts = line.split("|")
            depth_one = parts[-1].startswith(" ") and not parts[-1].startswith("  ")
            if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
                total += int(parts[1]) if depth_one else 0  # depth 1: a top-level import
        best = min(best, total / 1000)
    return best


def git_processes(command: list[str], cwd: Path, env: dict, trace: Path) -> int:
    trace.unlink(missing_ok=True)
    run(command, cwd, {**env, "GIT_TRACE": str(trace)})
    text = trace.read_text() if trace.exists() else ""
    return sum("built-in: git" in line for line in text.splitlines())


def commit_hook(entry: str) -> str:
    return (
        "repos:\n- repo: local\n  hooks:\n  - id: bench\n    name: bench\n"
        f"    entry: '{entry}'\n    language: system\n    pass_filenames: true\n"
        "    always_run: true\n    require_serial: true\n"
    )


def commit_cases(root: Path, versions: dict[str, dict]) -> dict[str, Case]:
    """`git commit` of one changed file with pre-commit running a no-op hook or our hook: one copy
    of the repository per case, its hook configuration committed (pre-commit refuses an unstaged
    one) and installed."""
    env = {**ENV, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    hook = f"{sys.executable} -m mlops_hygiene check --quiet --files"
    configs = {"no-op hook": (commit_hook("true"), ENV)}
    configs |= {f"our hook, {name}": (commit_hook(hook), extra) for name, extra in versions.items()}
    cases = {}
    for number, (name, (config, extra)) in enumerate(configs.items()):
        copy = root.parent / f"{root.name}-commit{number}"
        shutil.copytree(root, copy, symlinks=True)
        (copy / ".pre-commit-config.yaml").write_text(config)
        run([*GIT, "commit", "-q", "--no-verify", "-am", "hooks"], copy)
        run([str(BIN / "pre-commit"), "install"], copy, env)

        def setup(copy=copy) -> None:
            (copy / "src/prepare.py").write_text(f"import sys\nCHANGE = {time.perf_counter_ns()}\n")
            run([*GIT, "add", "src/prepare.py"], copy)

        cases[f"git commit of one file, pre-commit with {name}"] = Case(
            [*GIT, "commit", "-q", "-m", "change"], copy, {**env, **extra}, setup
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="main", help="the commit to compare with")
    parser.add_argument("--quick", action="store_true", help="500 and 5,000 files, 3 rounds")
    parser.add_argument("--sizes", help="comma-separated repository sizes (default 500,5000,20000)")
    parser.add_argument("--rounds", type=int, help=f"paired rounds (default {RUNS})")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(size) for size in args.sizes.split(","))
    rounds = args.rounds or (3 if args.quick else RUNS)
    largest = max(sizes)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        before_src = export_source(args.before, tmp_path / "before")
        versions = {"before": {**ENV, "PYTHONPATH": str(before_src)}, "after": ENV}
        repos = {size: build(tmp_path / f"repo{size}", size) for size in sizes}
        filtered = build(tmp_path / "filtered", largest)
        run([str(BIN / "nbstripout"), "--install", "--attributes", ".gitattributes"], filtered)
        hygiene = [sys.executable, "-m", "mlops_hygiene"]
        hook = [*hygiene, "check", "--quiet", "--files", "src/prepare.py"]
        cases = {"python -c pass": Case([sys.executable, "-c", "pass"], tmp_path, ENV)}
        for name, env in versions.items():
            cases[f"mlops-hygiene --help, {name}"] = Case([*hygiene, "--help"], tmp_path, env)
        for size, root in repos.items():
            for name, env in versions.items():
                cases[f"check --format json, {size:,} files, {name}"] = Case(
                    [*hygiene, "check", "--format", "json"], root, env
                )
                cases[f"hook command (check --quiet --files ONE), {size:,} files, {name}"] = Case(
                    hook, root, env
                )
        for name, env in versions.items():
            cases[f"check, {largest:,} files, nbstripout filter installed, {name}"] = Case(
                [*hygiene, "check", "--format", "json"], filtered, env
            )
        ignore = ["--ignore", "MH", "--format", "json"]
        for size in sizes[1:]:
            root = repos[size]
            cases[f"repo-review --ignore MH, {size:,} files, plugin hidden"] = Case(
                [sys.executable, "-c", REPO_REVIEW_WITHOUT_PLUGIN, str(root), *ignore], root, ENV
            )
            for name, env in versions.items():
                cases[f"repo-review --ignore MH, {size:,} files, plugin {name}"] = Case(
                    [str(BIN / "repo-review"), str(root), *ignore], root, env
                )
        medians = paired_medians(cases, rounds)
        commit_medians = paired_medians(commit_cases(repos[largest], versions), rounds)

        imports = {
            name: import_ms(["-m", "mlops_hygiene", *hook[3:]], repos[largest], env)
            for name, env in versions.items()
        }
        imports["python -c pass"] = import_ms(["-c", "pass"], tmp_path, ENV)
        trace = tmp_path / "git-trace"
        processes = {}
        for name, env in versions.items():
            processes[f"hook command, {name}"] = git_processes(hook, repos[largest], env, trace)
            processes[f"repo-review --ignore MH, {name}"] = git_processes(
                [str(BIN / "repo-review"), str(repos[largest]), *ignore], repos[largest], env, trace
            )

    print(f"load average at the end: {os.getloadavg()[0]:.1f}; {rounds} paired rounds, medians\n")
    print("| measurement | median |\n|---|---|")
    for name, seconds in {**medians, **commit_medians}.items():
        print(f"| {name} | {seconds * 1000:.0f} ms |")
    print("\n| load-insensitive | before | after |\n|---|---|---|")
    print(
        f"| imports of the hook's command, {largest:,} files (ms, min of {RUNS}; "
        f"`python -c pass`: {imports['python -c pass']:.0f}) | {imports['before']:.0f} | "
        f"{imports['after']:.0f} |"
    )
    for what in ("hook command", "repo-review --ignore MH"):
        print(
            f"| git processes, {what}, {largest:,} files | {processes[f'{what}, before']} | "
            f"{processes[f'{what}, after']} |"
        )
    noop = commit_medians["git commit of one file, pre-commit with no-op hook"]
    for name in versions:
        ours = commit_medians[f"git commit of one file, pre-commit with our hook, {name}"]
        print(f"\nour hook adds to a one-file commit ({name}): {(ours - noop) * 1000:+.0f} ms")
    for size in sizes[1:]:
        hidden = medians[f"repo-review --ignore MH, {size:,} files, plugin hidden"]
        for name in versions:
            shown = medians[f"repo-review --ignore MH, {size:,} files, plugin {name}"]
            print(
                f"repo-review --ignore MH, {size:,} files, plugin {name}: "
                f"{(shown - hidden) * 1000:+.0f} ms"
            )
    python = medians["python -c pass"]
    for name in versions:
        start_up = medians[f"mlops-hygiene --help, {name}"]
        print(
            f"start-up ({name}): --help {start_up * 1000:.0f} ms, goal <= 2x python -c pass + "
            f"100 ms = {(2 * python + 0.1) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
