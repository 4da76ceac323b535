"""Time to the first model: from an empty folder to metrics, split into generate / setup / repro.

This template with the defaults (`cookiecutter --no-input`, `make setup`, `make repro`) with uv on
PATH (this repository's pinned uv) and its cache warm, with uv again but byte code compiled at
setup (`UV_COMPILE_BYTECODE=1`: uv compiles the whole environment), and optionally
(`--venv`) with env_manager=venv; against a pipeline of DVC's get-started shape
(bench/get_started.py: pip into a venv, four stages, synthetic data). Every case starts in a fresh
folder; the package caches (uv's, pip's) are warm after a first round, which is not counted
(`--no-warm-up` when they are warm already). Python writes byte code as on a developer's machine.

    python -m bench.first_model [--rounds 3] [--venv] [--before REV] [--no-warm-up] [--only-uv]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import get_started, paired
from bench.generation import archive

TOOLS_BIN = Path(sys.executable).parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def user_env(uv_bin: Path, extra: dict | None = None) -> dict:
    """The machine's environment without this repository's venv; uv on PATH."""
    path = [entry for entry in os.environ["PATH"].split(os.pathsep) if Path(entry) != TOOLS_BIN]
    env = paired.BENCH_ENV | GIT_IDENTITY | (extra or {})
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join([str(uv_bin), *path])
    return env


class TemplateCase:
    def __init__(self, template: Path, work: Path, env: dict, answers: list[str], make_args=()):
        self.template, self.work, self.env, self.answers = template, work, env, answers
        self.make_args = list(make_args)
        self.steps: dict[str, list[float]] = {"generate": [], "setup": [], "repro": []}
        self.count = 0

    def __call__(self) -> float:
        self.count += 1
        out = self.work / f"run-{id(self)}-{self.count}"
        generate = [
            str(TOOLS_BIN / "cookiecutter"),
            "--no-input",
            "-o",
            str(out),
            str(self.template),
            *self.answers,
        ]
        seconds = {"generate": paired.run(generate, cwd=self.work, env=self.env)}
        project = out / "my-ml-project"
        seconds["setup"] = paired.run(["make", "setup"], project, self.env)
        seconds["repro"] = paired.run(["make", "repro"], cwd=project, env=self.env)
        shutil.rmtree(out)
        for step, value in seconds.items():
            self.steps[step].append(value)
        return sum(seconds.values())


class GetStartedCase:
    def __init__(self, work: Path, env: dict):
        self.work, self.env = work, env
        self.steps: dict[str, list[float]] = {"generate": [], "setup": [], "repro": []}
        self.count = 0

    def __call__(self) -> float:
        self.count += 1
        project = get_started.write_project(self.work / f"get-started-{self.count}")
        seconds = {
            "setup": paired.run(["sh", "-c", get_started.SETUP], cwd=project, env=self.env),
            "repro": paired.run(["sh", "-c", get_started.REPRO], cwd=project, env=self.env),
        }
        shutil.rmtree(project)
        for step, value in seconds.items():
            self.steps[step].append(value)
        return sum(seconds.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--venv", action="store_true", help="also env_manager=venv (pip-tools)")
    parser.add_argument("--before", help="also this template at this git revision (uv)")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="the caches are warm already: no first round"
    )
    parser.add_argument(
        "--only-uv",
        action="store_true",
        help="only this template with uv (and --before): no byte-code or get-started case",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-first-model-") as folder:
        work = Path(folder)
        uv_bin = work / "uv-bin"
        uv_bin.mkdir()
        (uv_bin / "uv").symlink_to(TOOLS_BIN / "uv")
        env = user_env(uv_bin)
        head = archive("HEAD", work / "templates/head")
        cases = {"this template, uv": TemplateCase(head, work, env, [])}
        if args.before:
            before = archive(args.before, work / "templates/before")
            cases[f"this template at {args.before}, uv"] = TemplateCase(before, work, env, [])
        if not args.only_uv:
            compiled_env = user_env(uv_bin, {"UV_COMPILE_BYTECODE": "1"})
            cases["this template, uv, byte code compiled at setup"] = TemplateCase(
                head, work, compiled_env, []
            )
        if args.venv:
            cases["this template, venv (pip-tools)"] = TemplateCase(
                head, work, env, ["env_manager=venv"]
            )
        if not args.only_uv:
            cases["DVC get-started shape, pip"] = GetStartedCase(work, env)

        if not args.no_warm_up:
            print("== warming the caches (not counted)", file=sys.stderr)
            for case in cases.values():
                case()
                case.steps = {step: [] for step in case.steps}
        times = paired.alternate(cases, args.rounds)
        uv_version = paired.versions([str(uv_bin / "uv"), "--version"])

    reference = times["this template, uv"]
    rows = []
    for name, values in times.items():
        steps = cases[name].steps
        split = " / ".join(
            f"{paired.median(steps[step]):.1f}" if steps[step] else "-"
            for step in ("generate", "setup", "repro")
        )
        rows.append([name, split, paired.spread(values), paired.ratio(values, reference)])
    options = (
        (" --venv" if args.venv else "")
        + (f" --before {args.before}" if args.before else "")
        + (" --no-warm-up" if args.no_warm_up else "")
        + (" --only-uv" if args.only_uv else "")
    )
    body = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        + "\n\n"
        + paired.context_lines(
            f"python -m bench.first_model --rounds {args.rounds}{options}",
            f"{args.rounds} alternating rounds"
            + ("" if args.no_warm_up else " after one warm-up round")
            + f"; {uv_version}.",
        )
        + "\n"
        + paired.markdown_table(
            [
                "case",
                "generate / setup / repro, median s",
                "total median s (min-max)",
                "ratio to this template, uv",
            ],
            rows,
        )
    )
    print(body)
    paired.write_section("first-model", "Time to the first model", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
