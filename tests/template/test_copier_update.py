"""`copier update` carries a template release into a project that has edits of its own.

The template is a clone of this repository, addressed by absolute path, whose releases are made as
CONTRIBUTING.md says (`python -m tools.release bump` / `tag`): copier update needs the tags.
"""

import os
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

from tests.template.engines import BIN, COPIER_ANSWERS_FILE
from tests.template.project_commands import GIT_IDENTITY, git_status
from tests.template.template_repo import clone_working_tree

TEMPLATE_TREE = "{{cookiecutter.project_slug}}"
INDEX = "https://nexus.example.com/simple"  # the toolkit pinned by version: the release shows
NEXT = "99.0.0"  # the next release, above any the repository has made


def git(args: list[str], cwd: Path, env: dict) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout


def copier(args: list[str], cwd: Path, env: dict) -> None:
    result = subprocess.run(
        [str(BIN / "copier"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def commit_all(repo: Path, env: dict, message: str) -> None:
    git(["add", "-A"], repo, env)
    git(["commit", "--quiet", "--no-verify", "-m", message], repo, env)


def release(template: Path, env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.release", *args],
        cwd=template,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def toolkit_pin(project: Path) -> list[str]:
    dev = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    return [requirement for requirement in dev if requirement.startswith("mlops-hygiene")]


def test_update_merges_template_release_with_project_edits(repo_root, tmp_path):
    env = {**os.environ, **GIT_IDENTITY}
    template = clone_working_tree(repo_root, tmp_path / "template")
    git(["checkout", "--quiet", "-B", "main"], template, env)
    version = tomllib.loads((template / "pyproject.toml").read_text())["project"]["version"]
    release(template, env, "tag")

    project = tmp_path / "churn-model"
    answers = ["--data", "project_name=Churn Model", "--data", f"package_index_url={INDEX}"]
    copier(["copy", "--defaults", *answers, str(template), str(project)], tmp_path, env)
    assert yaml.safe_load((project / COPIER_ANSWERS_FILE).read_text())["_commit"] == f"v{version}"
    assert toolkit_pin(project) == [f"mlops-hygiene=={version}"]
    git(["init", "--quiet", "--initial-branch=main"], project, env)
    commit_all(project, env, "Generated")

    # The team edits its project...
    params = project / "params.yaml"
    params.write_text(params.read_text().replace("  C: 1.0", "  C: 0.25"))
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Team notes\n\nRetrain monthly.\n")
    commit_all(project, env, "Project edits")

    # ...while the template gains a Makefile target and a new file.
    makefile = template / TEMPLATE_TREE / "Makefile"
    makefile.write_text(
        makefile.read_text()
        + "\nmetrics: $(BIN)/.installed ## Show the pipeline's metrics\n\t$(BIN)/dvc metrics show\n"
    )
    (template / TEMPLATE_TREE / "CONTRIBUTING.md").write_text(
        "# Contributing to {{ cookiecutter.project_name }}\n\nOpen a merge request.\n"
    )
    release(template, env, "bump", NEXT)
    commit_all(template, env, f"Release {NEXT}")
    release(template, env, "tag")

    copier(["update", "--defaults", "--skip-answered"], project, env)

    assert "  C: 0.25" in params.read_text()
    assert "Retrain monthly." in readme.read_text()
    assert "$(BIN)/dvc metrics show" in (project / "Makefile").read_text()
    assert (project / "CONTRIBUTING.md").read_text().startswith("# Contributing to Churn Model")
    assert yaml.safe_load((project / COPIER_ANSWERS_FILE).read_text())["_commit"] == f"v{NEXT}"
    assert toolkit_pin(project) == [f"mlops-hygiene=={NEXT}"]
    for name in ("params.yaml", "README.md", "Makefile"):
        assert "<<<<<<<" not in (project / name).read_text()
    assert git_status(project)  # the update waits, uncommitted, for the team to review
