"""A user's first steps, exactly as the README says, on a machine with Python, git and make only.

The README's "Generate a project" commands run as written (the clone URL aside) on a fresh clone of
this repository, with no uv on PATH: `make setup` installs uv itself. A Python version the machine
does not have stops `make setup` with one line that names it; uv downloads nothing.
"""

import re
import subprocess

import pytest

from tests.template.engines import generate
from tests.template.project_commands import project_env, run, uv_only_bin
from tests.template.questions import choices

pytestmark = pytest.mark.slow


def readme_commands(readme: str) -> str:
    section = readme.split("### Generate a project", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_commands_work_on_a_fresh_clone_without_uv(repo_root, template_repo, tmp_path):
    commands = readme_commands((repo_root / "README.md").read_text())
    assert "<URL of this repository>" in commands
    assert "make setup" in commands
    commands = commands.replace("<URL of this repository>", f"file://{template_repo}")
    env = project_env()
    assert subprocess.run(["bash", "-c", "command -v uv"], env=env).returncode != 0
    output = run(["bash", "-euo", "pipefail", "-c", commands], tmp_path, env)
    project = tmp_path / "my-ml-project"
    assert (project / ".tools/bin/uv").exists(), output  # uv 0.13.8, installed by make setup
    assert (project / "uv.lock").exists()
    assert (project / "reports/metrics.json").exists()
    assert " passed" in output
    assert "failed" not in output


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_a_missing_python_stops_setup_with_one_line(env_manager, template_dir, tmp_path):
    answers = {"env_manager": env_manager, "python_version": "3.99"}
    project = generate("cookiecutter", template_dir, tmp_path, answers)
    env = project_env(uv_only_bin(tmp_path / "uv-bin"))
    result = subprocess.run(
        ["make", "setup"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "3.99" in line]
    assert lines, result.stderr
    assert lines[0].startswith("make setup needs Python 3.99: install it"), result.stderr
    assert not (project / ".venv").exists()
    assert not (project / "uv.lock").exists()
