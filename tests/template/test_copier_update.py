"""`copier update` carries a template change into a project that has edits of its own.

The template is a git repository with tags, addressed by absolute path, as copier update needs.
"""

import os
import subprocess
from pathlib import Path

import yaml

from tests.template.engines import BIN, COPIER_ANSWERS_FILE, copy_template
from tests.template.project_commands import GIT_IDENTITY, git_status

TEMPLATE_TREE = "{{cookiecutter.project_slug}}"


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


def test_update_merges_template_change_with_project_edits(repo_root, tmp_path):
    env = {**os.environ, **GIT_IDENTITY}
    template = copy_template(repo_root, tmp_path / "template")
    git(["init", "--quiet", "--initial-branch=main"], template, env)
    commit_all(template, env, "Template v1")
    git(["tag", "v1"], template, env)

    project = tmp_path / "churn-model"
    copier(
        ["copy", "--defaults", "--data", "project_name=Churn Model", str(template), str(project)],
        tmp_path,
        env,
    )
    assert yaml.safe_load((project / COPIER_ANSWERS_FILE).read_text())["_commit"] == "v1"
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
    commit_all(template, env, "Template v2")
    git(["tag", "v2"], template, env)

    copier(["update", "--defaults", "--skip-answered"], project, env)

    assert "  C: 0.25" in params.read_text()
    assert "Retrain monthly." in readme.read_text()
    assert "$(BIN)/dvc metrics show" in (project / "Makefile").read_text()
    assert (project / "CONTRIBUTING.md").read_text().startswith("# Contributing to Churn Model")
    assert yaml.safe_load((project / COPIER_ANSWERS_FILE).read_text())["_commit"] == "v2"
    for name in ("params.yaml", "README.md", "Makefile"):
        assert "<<<<<<<" not in (project / name).read_text()
    assert git_status(project)  # the update waits, uncommitted, for the team to review
