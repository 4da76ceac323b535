"""Running real `pre-commit` on fixture projects, isolated from the user's pre-commit cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The hooks of .pre-commit-hooks.yaml as `repo: local` hooks, with the mlops-hygiene of this test
# run.
LOCAL_HOOKS = """repos:
- repo: local
  hooks:
  - id: mlops-hygiene
    name: mlops-hygiene check
    entry: mlops-hygiene check --quiet --files
    language: system
    pass_filenames: true
    always_run: true
    require_serial: true
  - id: mlops-hygiene-fix
    name: mlops-hygiene fix
    entry: mlops-hygiene fix --quiet --files
    language: system
    pass_filenames: true
    always_run: true
    require_serial: true
"""


def precommit_env(home: Path) -> dict:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(home)
    # `language: system` hooks find mlops-hygiene next to the Python running the tests.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PRE_COMMIT", None)
    return env


def run_precommit(
    root: Path, env: dict, *args: str, config: Path | None = None
) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "pre-commit"), "run", *args, "--all-files"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
