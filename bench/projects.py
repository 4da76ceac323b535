"""Projects set up once for the benchmarks that time commands inside them: this template with the
defaults (uv, after `make setup` and `make repro`) and the DVC get-started-shaped pipeline (after
its pip setup and `dvc repro`)."""

from __future__ import annotations

from pathlib import Path

from bench import get_started, paired
from bench.first_model import TOOLS_BIN, user_env
from bench.generation import archive


def uv_env(work: Path) -> dict:
    """The user's environment with this repository's pinned uv on PATH."""
    uv_bin = work / "uv-bin"
    if not uv_bin.exists():
        uv_bin.mkdir(parents=True)
        (uv_bin / "uv").symlink_to(TOOLS_BIN / "uv")
    return user_env(uv_bin)


def template_project(work: Path, revision: str = "HEAD") -> Path:
    """This template at `revision`, generated with the defaults, set up and reproduced."""
    env = uv_env(work)
    template = archive(revision, work / f"templates/{revision}")
    out = work / f"project-{revision}"
    paired.run(
        [str(TOOLS_BIN / "cookiecutter"), "--no-input", "-o", str(out), str(template)], env=env
    )
    project = out / "my-ml-project"
    paired.run(["make", "setup"], cwd=project, env=env)
    paired.run(["make", "repro"], cwd=project, env=env)
    return project


def get_started_project(work: Path) -> Path:
    """The get-started-shaped pipeline, set up and reproduced."""
    env = uv_env(work)
    project = get_started.write_project(work / "get-started")
    paired.run(["sh", "-c", get_started.SETUP], cwd=project, env=env)
    paired.run(["sh", "-c", get_started.REPRO], cwd=project, env=env)
    return project
