"""MH004/MH020/MH021/MH022 on a uv project: dependencies in pyproject.toml, a `uv.lock` written by
real `uv lock` (offline, from wheels made here), no requirements files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlops_hygiene.engine import run_checks, selected_checks
from mlops_hygiene.project import Project

from .project_builder import BASELINE, build_project

UV = str(Path(sys.executable).parent / "uv")
PYPROJECT = """[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["alpha>=1.0,<2"]

[project.optional-dependencies]
viz = ["beta>=2.0"]

[dependency-groups]
dev = ["devtool==1.2.0", {include-group = "lint"}]
lint = ["linter==0.3.0"]

[tool.uv]
find-links = ["wheels"]
no-index = true
"""
WHEELS = {"alpha": ["1.2.0", "2.0.0"], "beta": ["2.1.0"], "devtool": ["1.2.0"], "linter": ["0.3.0"]}


def make_wheels(folder: Path) -> None:
    """Tiny empty wheels: all `uv lock` needs to resolve offline."""
    folder.mkdir()
    for name, versions in WHEELS.items():
        for version in versions:
            info = f"{name}-{version}.dist-info"
            with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
                wheel.writestr(
                    f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                )
                wheel.writestr(
                    f"{info}/WHEEL",
                    "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                    "Tag: py3-none-any\n",
                )
                wheel.writestr(f"{info}/RECORD", "")


def uv_lock(root: Path) -> None:
    completed = subprocess.run(
        [UV, "lock", "--offline", "--no-progress"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def results(root: Path) -> dict:
    project = Project.load(root)
    return {
        r.id: r
        for r in run_checks(project, selected_checks(project, ["mlops-requirements", "MH004"]))
    }


@pytest.fixture
def uv_project(tmp_path) -> Path:
    no_requirements = {name: None for name in BASELINE if name.startswith("requirements")}
    root = build_project(tmp_path / "p", {**no_requirements, "pyproject.toml": PYPROJECT})
    make_wheels(root / "wheels")
    uv_lock(root)
    return root


def test_a_fresh_uv_lock_passes_everything(uv_project):
    assert {check_id: r.result for check_id, r in results(uv_project).items()} == {
        "MH004": True,
        "MH020": True,
        "MH021": True,
        "MH022": True,
    }


@pytest.mark.parametrize(
    "edit",
    [
        ('"alpha>=1.0,<2"', '"alpha>=1.1,<2"'),  # a bound changed
        ('"alpha>=1.0,<2"', '"alpha>=1.0,<2", "beta>=2.0"'),  # a dependency added
        ('viz = ["beta>=2.0"]', "viz = []"),  # an extra emptied
        ('lint = ["linter==0.3.0"]', 'lint = ["linter==0.3.0", "alpha==1.2.0"]'),  # a group grew
    ],
    ids=["bound", "added", "extra", "group"],
)
def test_a_lock_older_than_the_dependencies_fails_until_uv_lock(uv_project, edit):
    pyproject = uv_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(*edit))
    stale = results(uv_project)["MH022"]
    assert stale.result is False
    assert "`uv lock`" in stale.message
    uv_lock(uv_project)
    assert results(uv_project)["MH022"].result is True


def test_path_sources_are_matched_by_name(tmp_path):
    """uv records no version specifier for a path dependency: the name is what can be compared."""
    local = 'dependencies = ["alpha>=1.0,<2", "helper>=0.1"]'
    root = build_project(
        tmp_path / "p",
        {
            **{name: None for name in BASELINE if name.startswith("requirements")},
            "pyproject.toml": PYPROJECT.replace('dependencies = ["alpha>=1.0,<2"]', local)
            + '\n[tool.uv.sources]\nhelper = { path = "libs/helper" }\n',
            "libs/helper/pyproject.toml": '[project]\nname = "helper"\nversion = "0.1.0"\n',
        },
    )
    make_wheels(root / "wheels")
    uv_lock(root)
    assert results(root)["MH022"].result is True
