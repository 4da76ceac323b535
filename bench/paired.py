"""What every comparison in bench/ shares: paired, alternating runs, their summary, the machine they
ran on, and the section of docs/benchmarks.md each benchmark writes.

Runs alternate (A B C, B C A, C A B, ...) so that the machine's load falls on every case alike: on
a shared machine the absolute figures move with the load, the ratios of one run much less.
"""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS_MD = REPO_ROOT / "docs" / "benchmarks.md"
# The environment of every measured command: no analytics, and Python writes its byte code as on
# a developer's machine (this machine sets PYTHONDONTWRITEBYTECODE=1 for the tests).
BENCH_ENV = {
    key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
} | {"DVC_NO_ANALYTICS": "1"}


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    """Run `command` (output captured, failure raised with its output); its wall-clock seconds."""
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=env or BENCH_ENV, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(
            f"{shlex.join(command)} failed ({result.returncode}) in {cwd}:\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return seconds


def alternate(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Each case `rounds` times, the order rotating every round; the seconds of each run."""
    names = list(cases)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(cases[name]())
        print(f"  round {round_number + 1}/{rounds} done", file=sys.stderr, flush=True)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    """`median (min-max)` in seconds."""
    return f"{median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def ratio(values: list[float], reference: list[float]) -> str:
    return f"{median(values) / median(reference):.2f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def machine() -> str:
    """One line: cores, CPU model, memory, OS, Python."""
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    return (
        f"{os.cpu_count()} cores ({model}), {memory_kib / 2**20:.0f} GiB, {os_name}, "
        f"Python {platform.python_version()}"
    )


def versions(*commands: list[str]) -> str:
    """The first line each command prints (e.g. `cookiecutter --version`), joined with `; `."""
    lines = []
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, env=BENCH_ENV)
        lines.append((result.stdout or result.stderr).strip().splitlines()[0])
    return "; ".join(lines)


def context_lines(command: str, extra: str = "") -> str:
    """The lines every table carries: when, where, under which load, with which command."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Measured {when} on {machine()}; load average (1/5/15 min) at the end: "
        f"{load_average()}.{(' ' + extra) if extra else ''}\n\n"
        f"```bash\n{command}\n```\n"
    )


def write_section(name: str, title: str, body: str) -> None:
    """Put `body` under `## title` in docs/benchmarks.md, between this benchmark's markers: the
    section is replaced when present, added at the end otherwise."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n## {title}\n\n{body.strip()}\n{end}"
    text = BENCHMARKS_MD.read_text(encoding="utf-8")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")
    print(f"docs/benchmarks.md: section '{title}' written", file=sys.stderr)
