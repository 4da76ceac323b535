"""MH030 with the nbstripout git filter installed (real nbstripout): git stores what the filter
produces, so the
staged content is judged, not the working file that keeps its outputs for the author."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mlops_hygiene.engine import run_checks, selected_checks
from mlops_hygiene.project import Project

from .project_builder import build_project, git, notebook
from .run_cli import mlops_hygiene

NOTEBOOK = "notebooks/01-jd-explore-data.ipynb"


def mh030(root: Path) -> bool | None:
    project = Project.load(root)
    (result,) = [
        r for r in run_checks(project, selected_checks(project, ["MH030"])) if r.id == "MH030"
    ]
    return result.result


def install_filter(root: Path) -> None:
    nbstripout = Path(sys.executable).parent / "nbstripout"
    subprocess.run(
        [str(nbstripout), "--install", "--attributes", ".gitattributes"], cwd=root, check=True
    )


def test_outputs_in_the_working_file_are_fine_when_the_filter_strips_them(tmp_path):
    root = build_project(tmp_path / "p")
    install_filter(root)
    (root / NOTEBOOK).write_text(notebook(outputs=True))
    git(root, "add", NOTEBOOK)
    assert '"outputs": []' in git(
        root, "show", f":{NOTEBOOK}"
    )  # the filter really stripped the staged copy
    assert mh030(root) is True


def test_without_the_filter_the_working_file_is_judged(tmp_path):
    root = build_project(tmp_path / "p")
    (root / NOTEBOOK).write_text(notebook(outputs=True))
    git(root, "add", NOTEBOOK)
    assert mh030(root) is False


def test_outputs_committed_before_the_filter_was_installed_still_fail(tmp_path):
    root = build_project(tmp_path / "p", {NOTEBOOK: notebook(outputs=True)})
    install_filter(root)
    assert mh030(root) is False


def results(root: Path, *selectors: str) -> dict:
    project = Project.load(root)
    return {r.id: r for r in run_checks(project, selected_checks(project, list(selectors)))}


def test_fix_strips_the_staged_copy_and_keeps_the_working_outputs_when_the_filter_is_installed(
    tmp_path,
):
    root = build_project(tmp_path / "p", {NOTEBOOK: notebook(outputs=True)})
    install_filter(root)
    assert mh030(root) is False  # committed with outputs before the filter was installed
    completed = mlops_hygiene("fix", root, "--select", "MH030")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "staged copy" in completed.stdout
    assert (root / NOTEBOOK).read_text() == notebook(outputs=True)  # the author's outputs stay
    assert git(root, "show", f":{NOTEBOOK}") == notebook()  # git stores it stripped
    assert mh030(root) is True


def test_hook_and_installed_filter_together_fail_mh071(tmp_path):
    """The filter installed in .git/info/attributes only (`nbstripout --install`) and an nbstripout
    pre-commit hook: the hook would erase the outputs the filter keeps."""
    root = build_project(tmp_path / "p")  # the baseline has the nbstripout hook
    assert results(root, "MH071")["MH071"].result is True
    nbstripout = Path(sys.executable).parent / "nbstripout"
    subprocess.run([str(nbstripout), "--install"], cwd=root, check=True)
    result = results(root, "MH071")["MH071"]
    assert result.result is False
    assert "Remove the hook" in result.message


def test_a_large_notebook_is_told_to_strip_outputs_first(tmp_path):
    big = notebook(outputs=True).replace("42\\n", "4" * 3000 + "\\n")
    settings = "[tool.mlops-hygiene]\nmax-file-size-kb = 2\n"
    root = build_project(tmp_path / "p", {NOTEBOOK: big, "pyproject.toml": settings})
    result = results(root, "MH040")["MH040"]
    assert result.result is False
    assert f"Strip the outputs of notebook(s) `{NOTEBOOK}` first" in result.message


def test_a_large_working_notebook_the_filter_strips_is_judged_as_stored(tmp_path):
    big = notebook(outputs=True).replace("42\\n", "4" * 3000 + "\\n")
    settings = "[tool.mlops-hygiene]\nmax-file-size-kb = 2\n"
    root = build_project(tmp_path / "p", {"pyproject.toml": settings})
    install_filter(root)
    (root / NOTEBOOK).write_text(big)
    git(root, "add", NOTEBOOK)
    assert results(root, "MH040")["MH040"].result is True
