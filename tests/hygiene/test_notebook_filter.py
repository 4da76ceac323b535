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
