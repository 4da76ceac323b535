"""One version, declared in pyproject.toml: every mention agrees, `bump` moves them all, a release
is a tag on main. Changes happen in a clone of the working tree, never in this checkout.
"""

import datetime
import os
import subprocess
import sys

import pytest

from tests.template.project_commands import GIT_IDENTITY
from tests.template.template_repo import clone_working_tree
from tools import release


def git(repo, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    return subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def run_release(repo, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_IDENTITY}
    return subprocess.run(
        [sys.executable, "-m", "tools.release", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def clone(repo_root, tmp_path):
    repo = clone_working_tree(repo_root, tmp_path / "cookiecutter-mlops")
    git(repo, "checkout", "--quiet", "-B", "main")
    return repo


def test_every_mention_of_the_version_agrees_with_pyproject(repo_root):
    assert release.disagreements(repo_root) == []
    places = {mention.path for mention in release.mentions(repo_root)}
    # The toolkit pin generated projects get, the platform's image tags, the package, the docs.
    assert {
        "{{cookiecutter.project_slug}}/requirements-dev.txt",
        "{{cookiecutter.project_slug}}/pyproject.toml",
        "platform/build-images",
        "platform/hub/jupyterhub_config.py",
        "platform/platform.env.example",
        "src/mlops_hygiene/__init__.py",
        "README.md",
        "platform/README.md",
    } <= places


def test_a_stale_mention_is_named(clone):
    env_example = clone / "platform" / "platform.env.example"
    env_example.write_text(env_example.read_text().replace("jupyterhub:0.1.0", "jupyterhub:0.0.9"))
    result = run_release(clone, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "ERROR: version mentions disagree: platform/platform.env.example:"
    )
    assert "0.0.9" in result.stderr
    assert result.stderr.count("\n") == 1


def test_bump_moves_every_mention_and_opens_the_changelog_section(clone):
    before = release.mentions(clone)
    changed = release.bump(clone, "0.2.0", today=datetime.date(2026, 12, 1))
    assert release.check(clone) == "0.2.0"
    after = release.mentions(clone)
    assert len(after) == len(before)
    assert {m.version for m in after} == {"0.2.0"}
    assert {"pyproject.toml", "CHANGELOG.md"} | {m.path for m in before} == set(changed)
    changelog = (clone / "CHANGELOG.md").read_text()
    assert "## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n" in changelog
    assert "## [0.1.0]" in changelog  # history keeps its versions


def test_bad_version_changes_nothing(clone):
    status = git(clone, "status", "--porcelain")
    result = run_release(clone, "bump", "2.0")
    assert result.returncode == 1
    assert result.stderr == "ERROR: not a version X.Y.Z: '2.0'\n"
    assert git(clone, "status", "--porcelain") == status


def test_a_release_is_an_annotated_tag_on_a_clean_main(clone):
    result = run_release(clone, "tag")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "tagged v0.1.0\n"
    assert git(clone, "cat-file", "-t", "v0.1.0") == "tag"
    assert git(clone, "describe", "--exact-match") == "v0.1.0"
    assert run_release(clone, "check").stdout == "0.1.0\n"

    again = run_release(clone, "tag")
    assert again.returncode == 1
    assert "v0.1.0 exists already" in again.stderr


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda repo: git(repo, "checkout", "--quiet", "-b", "feature"), "tagged on main"),
        (lambda repo: (repo / "new.txt").write_text("x\n"), "uncommitted changes"),
        (lambda repo: release.bump(repo, "0.2.0"), "uncommitted changes"),
    ],
    ids=["not-main", "dirty", "bumped-not-committed"],
)
def test_tag_refuses_and_creates_no_tag(clone, setup, message):
    setup(clone)
    result = run_release(clone, "tag")
    assert result.returncode == 1
    assert message in result.stderr
    assert git(clone, "tag", "--list") == ""


def test_a_tag_naming_another_version_fails_the_check(clone):
    git(clone, "tag", "v0.3.0")
    result = run_release(clone, "check")
    assert result.returncode == 1
    assert result.stderr == "ERROR: HEAD is tagged v0.3.0 but pyproject.toml says 0.1.0\n"
