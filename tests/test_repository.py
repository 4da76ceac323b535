"""The repository keeps the conventions it asks of others, and ships only the toolkit.

Checks that change files (pre-commit's fixers) run in a clone of the working tree, never in this
checkout.
"""

import json
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.template.template_repo import clone_working_tree

# What `pip install mlops-hygiene` brings: the toolkit's needs, none of the repository's tools.
TOOLKIT_REQUIREMENTS = {
    "packaging>=23,<27",
    "pyyaml>=6.0,<7",
    "repo-review>=1.3,<2",
    'tomli>=2.0; python_version < "3.11"',
}


def test_mlops_hygiene_check_passes_on_the_repository(repo_root):
    result = subprocess.run(
        [sys.executable, "-m", "mlops_hygiene", "check", str(repo_root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 failed,"), result.stdout


@pytest.mark.slow
def test_pre_commit_passes_on_every_file(repo_root, tmp_path):
    clone = clone_working_tree(repo_root, tmp_path / "clone")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    result = subprocess.run(
        ["pre-commit", "run", "--all-files", "--show-diff-on-failure", "--color=never"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    hooks = {line.split(".")[0] for line in result.stdout.splitlines() if line.endswith("Passed")}
    assert {"ruff check", "ruff format", "mlops-hygiene check (this checkout)"} <= hooks


@pytest.mark.slow  # pip builds the wheel in a fresh build environment (~30 s)
def test_the_published_package_requires_only_what_the_toolkit_needs(repo_root, tmp_path):
    """The wheel as `pip wheel` builds it: no extras, none of the test or platform tools (those
    are dependency groups, which are not published).
    """
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), "."],
        cwd=repo_root,
        capture_output=True,
        check=True,
    )
    (wheel,) = tmp_path.glob("mlops_hygiene-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode())
    required = {str(Requirement(line)) for line in metadata.get_all("Requires-Dist")}
    assert required == {str(Requirement(line)) for line in TOOLKIT_REQUIREMENTS}
    assert metadata.get_all("Provides-Extra") is None


@pytest.mark.slow
def test_mypy_passes_on_the_toolkit(repo_root):
    """The toolkit's functions carry type hints and mypy agrees with them ([tool.mypy])."""
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run([str(mypy)], cwd=repo_root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.startswith("Success: no issues found")


# scientific-python/cookie's checks this repository does not follow, and why.
SP_REPO_REVIEW_NOT_FITTING = {
    "PY007": "the task runner is the Makefile, which sp-repo-review does not recognise",
    "PP309": "third-party deprecation warnings (passlib, JupyterHub) would fail the platform tests",
    "GH100": "CI is .ci/run (GitHub is not reachable from the machines this is built on)",
    "MY101": "mypy requires typed definitions and extra error codes, not all of strict mode",
    "PC100": "pre-commit hooks are `repo: local` so they run offline; sp-repo-review needs URLs",
    "PC110": "as PC100 (ruff format runs as a local hook)",
    "PC140": "as PC100 (mypy runs in `make lint` and tests/test_repository.py)",
    "PC160": "no spell checker",
    "PC170": "no reStructuredText in the repository",
    "PC180": "no markdown formatter: the docs are wrapped by hand",
    "PC190": "as PC100 (ruff check runs as a local hook)",
    "PC901": "pre-commit.ci is not used",
    "PC902": "pre-commit.ci is not used",
    "PC903": "pre-commit.ci is not used",
}


@pytest.mark.slow  # installs sp-repo-review into a throwaway virtualenv (~20 s)
def test_the_repository_passes_the_sp_repo_review_checks_that_fit(repo_root, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(["uv", "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        ["uv", "pip", "install", "--quiet", "--python", python, "sp-repo-review[cli]==2026.8.14"],
        check=True,
    )
    result = subprocess.run(
        [str(venv / "bin" / "repo-review"), str(repo_root), "--format", "json"],
        capture_output=True,
        text=True,
    )
    checks = json.loads(result.stdout)["checks"]
    failed = {check_id for check_id, check in checks.items() if check["result"] is False}
    assert failed <= set(SP_REPO_REVIEW_NOT_FITTING), sorted(
        failed - SP_REPO_REVIEW_NOT_FITTING.keys()
    )
