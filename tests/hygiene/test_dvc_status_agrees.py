"""MH053 agrees with real `dvc status` on every stage shape DVC accepts.

Each pipeline of the table is run with real `dvc repro` (status clean: MH053 passes), then changed
the way people change pipelines; real `dvc status` then reports the stage (MH053 fails) or does
not (an unrelated change: MH053 passes). The verdicts must be equal in both states.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hygiene.engine import run_checks, selected_checks
from mlops_hygiene.project import Project

from .project_builder import git, write_files

pytestmark = pytest.mark.slow

DVC = str(Path(sys.executable).parent / "dvc")
# A stage command: copy the inputs named on the command line into the outputs named after `--`.
COPY = "python copy.py"
COPY_SCRIPT = """import json, pathlib, sys
args = sys.argv[1:]
split = args.index("--") if "--" in args else len(args)
inputs, outputs = args[:split], args[split + 1:]
text = "".join(pathlib.Path(p).read_text() if pathlib.Path(p).is_file() else p for p in inputs)
for out in outputs:
    path = pathlib.Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"text": text}) if out.endswith(".json") else text)
"""


@dataclasses.dataclass(frozen=True)
class Pipeline:
    name: str
    files: dict[str, str]
    change: dict[str, str | None]  # files written (None: deleted) after `dvc repro`
    changed: bool  # does `dvc status` report the change?


PIPELINES = [
    Pipeline(
        "outs-and-params",
        {
            "dvc.yaml": "stages:\n  prep:\n    cmd: python copy.py raw.txt -- data/prep.txt\n"
            "    deps: [raw.txt, copy.py]\n    params: [prep.seed]\n    outs: [data/prep.txt]\n",
            "params.yaml": "prep:\n  seed: 1\n",
        },
        {"params.yaml": "prep:\n  seed: 2\n"},
        True,
    ),
    Pipeline(
        "stage-metrics-and-plots",
        {
            "dvc.yaml": "stages:\n  evaluate:\n    cmd: python copy.py raw.txt -- eval/metrics.json"
            " eval/plot.json eval/model.txt\n    deps: [raw.txt, copy.py]\n"
            "    outs: [eval/model.txt]\n    metrics:\n    - eval/metrics.json:\n"
            "        cache: false\n    plots:\n    - eval/plot.json:\n        cache: false\n",
        },
        {"raw.txt": "new data\n"},
        True,
    ),
    Pipeline(
        "stage-metrics-unrelated-change",
        {
            "dvc.yaml": "stages:\n  evaluate:\n    cmd: python copy.py raw.txt -- metrics.json\n"
            "    deps: [raw.txt, copy.py]\n    metrics:\n    - metrics.json:\n"
            "        cache: false\n",
        },
        {"README.md": "# notes\n"},
        False,
    ),
    Pipeline(
        "persist-and-cache-false",
        {
            "dvc.yaml": "stages:\n  prep:\n"
            "    cmd: python copy.py raw.txt -- state.txt report.txt\n"
            "    deps: [raw.txt, copy.py]\n    outs:\n    - state.txt:\n        persist: true\n"
            "    - report.txt:\n        cache: false\n",
        },
        {"report.txt": "edited by hand\n"},
        True,
    ),
    Pipeline(
        "cmd-edited",
        {
            "dvc.yaml": "stages:\n  prep:\n    cmd: python copy.py raw.txt -- out.txt\n"
            "    deps: [raw.txt, copy.py]\n    outs: [out.txt]\n",
        },
        {
            "dvc.yaml": "stages:\n  prep:\n    cmd: python copy.py raw.txt raw.txt -- out.txt\n"
            "    deps: [raw.txt, copy.py]\n    outs: [out.txt]\n"
        },
        True,
    ),
    Pipeline(
        "foreach-list",
        {
            "dvc.yaml": "stages:\n  split:\n    foreach: [train, test]\n    do:\n"
            "      cmd: python copy.py ${item}.txt -- out/${item}.txt\n"
            "      deps: [copy.py, '${item}.txt']\n      outs: ['out/${item}.txt']\n",
            "train.txt": "train\n",
            "test.txt": "test\n",
        },
        {"test.txt": "other test\n"},
        True,
    ),
    Pipeline(
        "foreach-dict-from-params",
        {
            "dvc.yaml": "stages:\n  model:\n    foreach: ${models}\n    do:\n"
            "      cmd: python copy.py ${item.size} -- models/${key}.txt\n"
            "      deps: [copy.py]\n      outs: ['models/${key}.txt']\n",
            "params.yaml": "models:\n  small: {size: 1}\n  large: {size: 9}\n",
        },
        {"params.yaml": "models:\n  small: {size: 1}\n  large: {size: 10}\n"},
        True,
    ),
    Pipeline(
        "matrix",
        {
            "dvc.yaml": "stages:\n  fit:\n    matrix:\n      algo: [lr, rf]\n      seed: [1, 2]\n"
            "    cmd: python copy.py ${item.algo}${item.seed} --"
            " fits/${item.algo}-${item.seed}.txt\n"
            "    deps: [copy.py]\n    outs: ['fits/${item.algo}-${item.seed}.txt']\n",
        },
        {"fits/rf-2.txt": "tampered\n"},
        True,
    ),
    Pipeline(
        "params-from-other-files",
        {
            "dvc.yaml": "stages:\n  train:\n    cmd: python copy.py raw.txt -- model.txt\n"
            "    deps: [raw.txt, copy.py]\n    params:\n    - conf/train.yaml:\n      - lr\n"
            "    - conf/all.json:\n    outs: [model.txt]\n",
            "conf/train.yaml": "lr: 0.1\nunused: 3\n",
            "conf/all.json": '{"a": 1}\n',
        },
        {"conf/all.json": '{"a": 1, "b": 2}\n'},
        True,
    ),
    Pipeline(
        "params-from-other-files-unused-key",
        {
            "dvc.yaml": "stages:\n  train:\n    cmd: python copy.py raw.txt -- model.txt\n"
            "    deps: [raw.txt, copy.py]\n    params:\n    - conf/train.yaml:\n      - lr\n"
            "    outs: [model.txt]\n",
            "conf/train.yaml": "lr: 0.1\nunused: 3\n",
        },
        {"conf/train.yaml": "lr: 0.1\nunused: 4\n"},
        False,
    ),
    Pipeline(
        "directory-dep",
        {
            "dvc.yaml": "stages:\n  join:\n"
            "    cmd: python copy.py images/a.txt images/sub/b.txt -- "
            "joined.txt\n    deps: [images, copy.py]\n    outs: [joined.txt]\n",
            "images/a.txt": "a\n",
            "images/sub/b.txt": "b\n",
        },
        {"images/sub/c.txt": "c\n"},
        True,
    ),
    Pipeline(
        "directory-out-and-wdir",
        {
            "dvc.yaml": "stages:\n  prep:\n    wdir: work\n    cmd: python ../copy.py in.txt -- "
            "out/x.txt out/y.txt\n    deps: [in.txt, ../copy.py]\n    outs: [out]\n",
            "work/in.txt": "in\n",
        },
        {"work/out/y.txt": "tampered\n"},
        True,
    ),
    Pipeline(
        "interpolated-cmd-and-vars",
        {
            "dvc.yaml": "vars:\n  - conf/vars.yaml\nstages:\n  prep:\n"
            "    cmd: python copy.py ${prefix}-${prep.seed} -- out.txt\n"
            "    deps: [copy.py]\n    outs: [out.txt]\n",
            "params.yaml": "prep:\n  seed: 5\n",
            "conf/vars.yaml": "prefix: run\n",
        },
        {"params.yaml": "prep:\n  seed: 6\n"},
        True,
    ),
]


def dvc(root: Path, *args: str) -> str:
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    completed = subprocess.run(
        [DVC, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def dvc_status_clean(root: Path) -> bool:
    return json.loads(dvc(root, "status", "--json")) == {}


def mh053(root: Path) -> tuple[bool | None, str]:
    project = Project.load(root)
    (result,) = run_checks(project, selected_checks(project, ["MH053"]))
    return result.result, result.message


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda pipeline: pipeline.name)
def test_mh053_agrees_with_dvc_status(pipeline, tmp_path):
    root = tmp_path / pipeline.name
    root.mkdir()
    write_files(root, {"copy.py": COPY_SCRIPT, "raw.txt": "raw\n", **pipeline.files})
    git(root, "init", "-q", "-b", "main")
    dvc(root, "init", "-q")
    dvc(root, "repro")
    assert dvc_status_clean(root)
    assert mh053(root) == (True, "")

    write_files(root, pipeline.change)
    assert dvc_status_clean(root) is not pipeline.changed
    result, message = mh053(root)
    assert result is not pipeline.changed, message
    if pipeline.changed:
        assert "dvc repro" in message
