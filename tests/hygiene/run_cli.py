"""Running the real `mlops-hygiene` command (in a subprocess, as users and hooks run it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def mlops_hygiene(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlops_hygiene", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def check_json(root: Path, *options: str) -> tuple[int, dict]:
    """(exit code, parsed JSON report) of `mlops-hygiene check ROOT --format json`."""
    completed = mlops_hygiene("check", root, "--format", "json", *options)
    return completed.returncode, json.loads(completed.stdout)


def results_by_id(report: dict) -> dict[str, str]:
    return {item["id"]: item["result"] for item in report["results"]}
