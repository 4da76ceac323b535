"""Run commands in a generated project as a user does; fail with their output when they fail.

The project's environment is the machine's, with no harness tools: no wheelhouse variables, no
virtualenv on PATH. `uv` is on PATH only when a test asks for it (a folder holding just uv).
"""

import os
import subprocess
import sys
from pathlib import Path

TOOLS_BIN = Path(sys.executable).parent  # the harness's venv: cookiecutter, copier, uv, jupyter

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Test",
    "GIT_AUTHOR_EMAIL": "template-test@example.com",
    "GIT_COMMITTER_NAME": "Template Test",
    "GIT_COMMITTER_EMAIL": "template-test@example.com",
}


def without_venvs_on_path(env: dict) -> dict:
    """The same environment with no virtualenv on PATH, as in a shell where none is activated."""
    path = [
        entry
        for entry in env["PATH"].split(os.pathsep)
        if "/.venv/" not in entry + "/" and Path(entry) != TOOLS_BIN
    ]
    return {**env, "PATH": os.pathsep.join(path)}


def uv_only_bin(folder: Path) -> Path:
    """A folder whose only program is uv (the harness's pinned one), to put on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "uv"
    if not link.exists():
        link.symlink_to(TOOLS_BIN / "uv")
    return folder


def project_env(uv_bin: Path | None = None) -> dict:
    """The machine's environment, a git identity, no virtualenv; uv on PATH only with uv_bin."""
    env = without_venvs_on_path({**os.environ, **GIT_IDENTITY, "DVC_NO_ANALYTICS": "1"})
    env.pop("VIRTUAL_ENV", None)
    if uv_bin is not None:
        env["PATH"] = f"{uv_bin}{os.pathsep}{env['PATH']}"
    return env


def run(args: list[str], project: Path, env: dict, timeout: int = 1800) -> str:
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
