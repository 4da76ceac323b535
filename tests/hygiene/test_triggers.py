"""Which checks a commit's files concern (`--files`, the pre-commit hook): the checks' `triggers`,
and for MH053 every dependency and output of a stage, found without reading YAML when no stage can
name the file."""

from __future__ import annotations

import pytest

from mlops_hygiene.checks import ALL_CHECKS
from mlops_hygiene.checks._base import matches
from mlops_hygiene.project import Project

from .project_builder import build_project

MH053 = ALL_CHECKS["MH053"]
PIPELINE = """stages:
  prepare:
    cmd: python src/prepare.py
    deps: [src/prepare.py, src/features, data/raw.csv]
    params: [prepare.seed]
    outs: [data/prepared.csv]
    metrics: [{eval/metrics.json: {cache: false}}]
  report:
    wdir: reports
    cmd: python make.py
    deps: [make.py, ../shared/style.css]
    outs: [out.html]
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    return build_project(tmp_path_factory.mktemp("triggers") / "p", {"dvc.yaml": PIPELINE})


@pytest.mark.parametrize(
    ("path", "concerned"),
    [
        ("src/prepare.py", True),  # a dep
        ("src/features/scale.py", True),  # inside a folder dep
        ("data/prepared.csv", True),  # an output
        ("eval/metrics.json", True),  # a stage-level metric
        ("reports/make.py", True),  # a dep relative to the stage's wdir
        ("shared/style.css", True),  # `../` out of the wdir
        ("dvc.lock", True),
        ("params.yaml", True),
        ("README.md", False),
        ("src/other.py", False),
        ("notes/prepare.txt", False),  # `prepare` is a stage name, not a path
    ],
)
def test_mh053_is_concerned_by_the_pipeline_files(pipeline, path, concerned):
    assert MH053.concerns(Project.load(pipeline, (path,))) is concerned


def test_mh053_reads_no_yaml_for_a_file_no_stage_names(pipeline):
    project = Project.load(pipeline, ("README.md",))
    assert MH053.concerns(project) is False
    assert "_yaml_cache" not in vars(project)


@pytest.mark.parametrize(
    "pipeline_text",
    [
        "stages:\n  all:\n    cmd: make\n    deps: [.]\n    outs: [build]\n",
        "stages:\n  one:\n    cmd: make\n    deps: ['${folder}']\n    outs: [build]\n",
    ],
    ids=["whole-folder-dep", "templated-dep"],
)
def test_mh053_reads_the_pipeline_when_a_dep_may_cover_anything(tmp_path, pipeline_text):
    lock = "schema: '2.0'\nstages: {}\n"
    root = build_project(
        tmp_path / "p",
        {"dvc.yaml": pipeline_text, "dvc.lock": lock, "params.yaml": "folder: docs\n"},
    )
    assert MH053.concerns(Project.load(root, ("docs/guide.md",))) is True


def test_without_files_every_check_is_concerned(pipeline):
    project = Project.load(pipeline)
    assert all(check.concerns(project) for check in ALL_CHECKS.values())


def test_trigger_patterns():
    assert matches("sub/dir/requirements-dev.txt", ("*requirements*",))
    assert matches("requirements/base.txt", ("*requirements*",))
    assert matches("sub/dvc.yaml", ("dvc.yaml",))  # a pattern without `/` matches the name
    assert matches(".github/workflows/ci.yml", (".github/workflows/*",))
    assert not matches("docs/github/workflows.md", (".github/workflows/*",))
    assert not matches("README.md", ("*.ipynb", "dvc.yaml"))
