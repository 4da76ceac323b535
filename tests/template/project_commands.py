"""Run commands inside a generated project and fail with their output when they fail."""

import os
import subprocess
import sys
from pathlib import Path

TOOLS_BIN = Path(sys.executable).parent  # uv, as `make test` puts it on PATH

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Test",
    "GIT_AUTHOR_EMAIL": "template-test@example.com",
    "GIT_COMMITTER_NAME": "Template Test",
    "GIT_COMMITTER_EMAIL": "template-test@example.com",
}


def project_env(hygiene_env: dict) -> dict:
    """hygiene_env, a git identity and uv on PATH; no virtualenv is active (no VIRTUAL_ENV)."""
    env = {**hygiene_env, **GIT_IDENTITY}
    env["PATH"] = f"{TOOLS_BIN}{os.pathsep}{env['PATH']}"
    env.pop("VIRTUAL_ENV", None)
    return env


def without_venvs_on_path(env: dict) -> dict:
    """The same environment with no .venv/bin on PATH, as in a shell where nothing is activated."""
    path = [entry for entry in env["PATH"].split(os.pathsep) if "/.venv/" not in entry + "/"]
    return {**env, "PATH": os.pathsep.join(path)}


def run(args: list[str], project: Path, env: dict, timeout: int = 900) -> str:
    """Run a command in the project; return stdout and stderr together."""
    result = subprocess.run(
        args, cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{output}"
    return output


def git_status(project: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def commit_everything(project: Path, env: dict, message: str) -> str:
    """`git add -A && git commit` from a shell without the venv (the pre-commit hooks run).

    Returns "" when there was nothing to commit.
    """
    plain = without_venvs_on_path(env)
    run(["git", "add", "-A"], project, plain)
    if not git_status(project):
        return ""
    return run(["git", "commit", "-m", message], project, plain)
