"""pre-commit runs the hooks of `.pre-commit-hooks.yaml` with this repository as the hook repo (by
local path),
and the same hooks as `repo: local`."""

from __future__ import annotations

import shutil

import pytest
import yaml

from .cases import CASES
from .precommit_runner import LOCAL_HOOKS, precommit_env, run_precommit
from .project_builder import BASELINE, build_project, git

pytestmark = pytest.mark.slow

# What building the package needs (the checkout may hold others' uncommitted work: copy only this).
PACKAGE_FILES = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src/mlops_hygiene"]
NBSTRIPOUT_HOOK = yaml.safe_load(BASELINE[".pre-commit-config.yaml"])["repos"][0]["hooks"][0]


@pytest.fixture(scope="module")
def hook_repo(repo_root, tmp_path_factory) -> tuple[str, str]:
    """(path, commit) of a temporary git copy of this repository's package and hook definitions."""
    copy = tmp_path_factory.mktemp("hook-repo")
    for name in PACKAGE_FILES:
        source = repo_root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "hook repo")
    return str(copy), git(copy, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    return precommit_env(tmp_path_factory.mktemp("pre-commit-home"))


def project_using_hook_repo(root, hook_repo, changes: dict | None = None):
    path, rev = hook_repo
    config = {
        "repos": [
            {"repo": "local", "hooks": [NBSTRIPOUT_HOOK]},
            {
                "repo": path,
                "rev": rev,
                "hooks": [{"id": "mlops-hygiene"}, {"id": "mlops-hygiene-fix"}],
            },
        ]
    }
    return build_project(
        root, {**(changes or {}), ".pre-commit-config.yaml": yaml.safe_dump(config)}
    )


def case(case_id: str):
    return next(c for c in CASES if c.id == case_id)


def test_hook_repo_by_path_passes_a_clean_project(tmp_path, hook_repo, env):
    root = project_using_hook_repo(tmp_path / "p", hook_repo)
    completed = run_precommit(root, env, "mlops-hygiene")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "mlops-hygiene check" in completed.stdout
    assert "Passed" in completed.stdout


def test_hook_repo_by_path_fails_a_broken_project_with_the_reason(tmp_path, hook_repo, env):
    root = project_using_hook_repo(tmp_path / "p", hook_repo, case("MH053-cmd-changed").changes)
    completed = run_precommit(root, env, "mlops-hygiene")
    assert completed.returncode == 1
    assert "MH053" in completed.stdout
    assert "dvc.lock" in completed.stdout


def test_fix_hook_from_hook_repo_strips_notebooks(tmp_path, hook_repo, env):
    notebook = "notebooks/01-jd-explore-data.ipynb"
    root = project_using_hook_repo(tmp_path / "p", hook_repo, case("MH030-outputs").changes)
    first = run_precommit(root, env, "mlops-hygiene-fix")
    assert first.returncode == 1
    assert "files were modified by this hook" in first.stdout
    assert (root / notebook).read_text() == BASELINE[notebook]
    git(root, "add", notebook)
    assert run_precommit(root, env, "mlops-hygiene-fix").returncode == 0
    assert run_precommit(root, env, "mlops-hygiene").returncode == 0


def test_local_hooks_in_the_project_config(tmp_path, env):
    """The same hooks as `repo: local`, committed in the project's own .pre-commit-config.yaml."""
    local = yaml.safe_load(LOCAL_HOOKS)
    local["repos"][0]["hooks"].insert(0, NBSTRIPOUT_HOOK)
    root = build_project(tmp_path / "p", {".pre-commit-config.yaml": yaml.safe_dump(local)})
    assert run_precommit(root, env, "mlops-hygiene").returncode == 0
    (root / "requirements.txt").write_text("numpy\n")
    git(root, "add", "requirements.txt")
    completed = run_precommit(root, env, "mlops-hygiene")
    assert completed.returncode == 1
    assert "MH020" in completed.stdout


def test_hook_definitions_match_the_cli(repo_root):
    hooks = {
        hook["id"]: hook
        for hook in yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text())
    }
    assert hooks["mlops-hygiene"]["entry"] == "mlops-hygiene check --quiet --files"
    assert hooks["mlops-hygiene-fix"]["entry"] == "mlops-hygiene fix --quiet --files"
    local = {hook["id"]: hook for hook in yaml.safe_load(LOCAL_HOOKS)["repos"][0]["hooks"]}
    for hook_id, hook in hooks.items():
        assert {k: v for k, v in hook.items() if k not in ("language", "description")} == {
            k: v for k, v in local[hook_id].items() if k != "language"
        }
