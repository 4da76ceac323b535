"""For every check, projects where it passes and where it fails: the baseline plus a change.

Shared by the check tests and by the tests that make the three faces (CLI, repo-review, pre-commit)
agree.
"""

from __future__ import annotations

import dataclasses

from .project_builder import BASELINE, PREPARE_SCRIPT, dvc_lock, notebook


@dataclasses.dataclass(frozen=True)
class Case:
    check_id: str
    name: str
    expected: bool | None  # the check's result: True pass, False fail, None skip
    changes: dict = dataclasses.field(default_factory=dict)
    use_git: bool = True
    force_add: tuple[str, ...] = ()
    fixed_paths: frozenset[str] | None = (
        None  # failing cases `mlops-hygiene fix` repairs: the files it may touch
    )

    @property
    def id(self) -> str:
        return f"{self.check_id}-{self.name}"


NO_SECRET_IGNORES = ".gitignore"
BASELINE_DVC_YAML = BASELINE["dvc.yaml"]
NOTEBOOK_ATTRIBUTES = "*.ipynb filter=nbstripout\n*.ipynb diff=ipynb\n"
# A uv project: bounded runtime dependencies, pinned development tools in a dependency group.
PYPROJECT_WITH_DEPENDENCIES = """[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["pandas>=2.2,<3"]

[dependency-groups]
dev = ["pytest==8.3.4", {include-group = "lint"}]
lint = ["ruff==0.8.4"]
"""
GITLAB_CI = "image: python:{version}-slim\ntest:\n  script: [pytest]\n"
WORKFLOW = ".github/workflows/ci.yml"

CASES = [
    Case("MH001", "git-repo", True),
    Case("MH001", "plain-folder", False, use_git=False),
    Case("MH002", "readme", True),
    Case("MH002", "readme-rst", True, {"README.md": None, "README.rst": "Demo\n====\n"}),
    Case("MH002", "no-readme", False, {"README.md": None}),
    Case("MH003", "python-version", True),
    Case("MH003", "no-python-version", False, {".python-version": None}),
    Case("MH004", "requirements", True),
    Case(
        "MH004",
        "no-declaration",
        False,
        {"requirements.txt": None, "requirements-dev.txt": None, "requirements.lock": None},
    ),
    Case(
        "MH004",
        "pyproject-dependencies",
        True,
        {
            "requirements.txt": None,
            "requirements-dev.txt": None,
            "requirements.lock": None,
            "pyproject.toml": PYPROJECT_WITH_DEPENDENCIES,
        },
    ),
    Case(
        "MH004",
        "conda-environment",
        True,
        {
            "requirements.txt": None,
            "requirements-dev.txt": None,
            "requirements.lock": None,
            "environment.yml": "dependencies:\n- python=3.11\n- pandas=2.2\n",
        },
    ),
    Case("MH005", "tests", True),
    Case(
        "MH005",
        "no-tests",
        False,
        {"tests/test_smoke.py": None},
        fixed_paths=frozenset({"tests/.gitkeep"}),
    ),
    Case("MH006", "folders", True),
    Case(
        "MH006",
        "no-models",
        False,
        {"models/.gitkeep": None},
        fixed_paths=frozenset({"models/.gitkeep"}),
    ),
    Case(
        "MH006",
        "configured-folders",
        True,
        {
            "models/.gitkeep": None,
            "pyproject.toml": '[tool.mlops-hygiene]\nrequired-folders = ["data"]\n',
        },
    ),
    Case("MH007", "valid-pyproject", True),
    Case("MH007", "unparseable-pyproject", False, {"pyproject.toml": "[project\nname = 'demo'\n"}),
    Case(
        "MH007",
        "bad-setting",
        False,
        {"pyproject.toml": '[tool.mlops-hygiene]\nmax-file-size-kb = "big"\n'},
    ),
    Case(
        "MH007",
        "unknown-selector",
        False,
        {"pyproject.toml": '[tool.mlops-hygiene]\nignore = ["MH999"]\n'},
    ),
    Case("MH010", "consistent", True),
    Case("MH010", "no-requires-python", None, {"pyproject.toml": '[project]\nname = "demo"\n'}),
    Case(
        "MH010",
        "too-old",
        False,
        {"pyproject.toml": '[project]\nname = "demo"\nrequires-python = ">=3.12"\n'},
    ),
    Case("MH011", "github-matrix", True),
    Case(
        "MH011",
        "github-other-version",
        False,
        {WORKFLOW: "jobs:\n  t:\n    steps:\n    - with:\n        python-version: '3.10'\n"},
    ),
    Case(
        "MH011",
        "gitlab",
        True,
        {WORKFLOW: None, ".gitlab-ci.yml": GITLAB_CI.format(version="3.11")},
    ),
    Case(
        "MH011",
        "gitlab-other-version",
        False,
        {WORKFLOW: None, ".gitlab-ci.yml": GITLAB_CI.format(version="3.12")},
    ),
    Case("MH011", "no-ci", None, {WORKFLOW: None}),
    Case("MH020", "pinned", True),
    Case("MH020", "bare-name", False, {"requirements.txt": "pandas==2.2.3\nnumpy\n"}),
    Case(
        "MH020",
        "bare-in-pyproject",
        False,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\nrequires-python = ">=3.10"\n'
                'dependencies = ["requests"]\n'
            )
        },
    ),
    Case("MH020", "bare-name-in-subfolder", False, {"src/requirements.txt": "numpy\n"}),
    Case("MH020", "nested-requirements-folder", False, {"docs/requirements/base.txt": "sphinx\n"}),
    Case(
        "MH020",
        "lock-with-a-range",
        False,
        {"requirements.lock": "pandas>=2.2\nscikit-learn==1.5.2\n"},
    ),
    Case(
        "MH020",
        "pyproject-bounded-and-pinned-groups",
        True,
        {"pyproject.toml": PYPROJECT_WITH_DEPENDENCIES},
    ),
    Case("MH021", "separate", True),
    Case(
        "MH021",
        "dependency-group",
        True,
        {
            "requirements.txt": None,
            "requirements-dev.txt": None,
            "requirements.lock": None,
            "pyproject.toml": PYPROJECT_WITH_DEPENDENCIES,
        },
    ),
    Case(
        "MH021",
        "dev-tool-in-pyproject-dependencies",
        False,
        {
            "pyproject.toml": PYPROJECT_WITH_DEPENDENCIES.replace(
                '"pandas>=2.2,<3"', '"pandas>=2.2,<3", "ruff>=0.6"'
            )
        },
    ),
    Case("MH022", "lock-matches", True),
    Case("MH022", "no-lock", None, {"requirements.lock": None}),
    Case(
        "MH022",
        "lock-misses-a-requirement",
        False,
        {"requirements.txt": "pandas==2.2.3\nscikit-learn>=1.5,<2\nrequests>=2.32,<3\n"},
    ),
    Case(
        "MH022",
        "lock-outside-the-range",
        False,
        {"requirements.txt": "pandas==2.2.3\nscikit-learn>=1.6,<2\n"},
    ),
    Case(
        "MH021",
        "dev-tool-in-runtime",
        False,
        {"requirements.txt": "pandas==2.2.3\npytest==8.3.4\n"},
    ),
    Case("MH021", "no-dev-requirements", False, {"requirements-dev.txt": None}),
    Case("MH030", "stripped", True),
    Case(
        "MH030",
        "outputs",
        False,
        {"notebooks/01-jd-explore-data.ipynb": notebook(outputs=True)},
        fixed_paths=frozenset({"notebooks/01-jd-explore-data.ipynb"}),
    ),
    Case("MH030", "unparseable", False, {"notebooks/02-jd-broken.ipynb": '{"cells": [\n'}),
    Case("MH031", "convention", True),
    Case("MH031", "untitled", False, {"notebooks/Untitled.ipynb": notebook()}),
    Case(
        "MH031",
        "configured-pattern",
        True,
        {
            "notebooks/Untitled.ipynb": notebook(),
            "pyproject.toml": '[tool.mlops-hygiene]\nnotebook-name-pattern = "\\\\.ipynb$"\n',
        },
    ),
    Case("MH040", "small", True),
    Case(
        "MH040",
        "too-big",
        False,
        {
            "pyproject.toml": "[tool.mlops-hygiene]\nmax-file-size-kb = 1\n",
            "src/weights.bin": b"\0" * 2048,
        },
    ),
    Case("MH041", "dvc-tracked", True),
    Case("MH041", "csv-in-git", False, {"data/train.csv": "a,b\n1,2\n"}),
    Case("MH050", "complete", True),
    Case("MH050", "no-dvc", None, {"dvc.yaml": None, "dvc.lock": None}),
    Case("MH050", "no-stages-yet", True, {"dvc.yaml": "stages: {}\n", "dvc.lock": None}),
    Case("MH050", "stages-not-a-mapping", False, {"dvc.yaml": "stages:\n- prepare\n"}),
    Case("MH050", "unparseable", False, {"dvc.yaml": "stages: [\n  prepare: {\n"}),
    Case(
        "MH050",
        "no-outs",
        False,
        {
            "dvc.yaml": (
                "stages:\n  prepare:\n    cmd: python src/prepare.py\n    deps: [src/prepare.py]\n"
            )
        },
    ),
    Case("MH051", "deps-ok", True),
    Case(
        "MH051",
        "missing-dep",
        False,
        {
            "dvc.yaml": (
                "stages:\n  prepare:\n    cmd: python src/prepare.py\n"
                "    deps: [src/prepare.py, data/nowhere.csv]\n    outs: [data/prepared.csv]\n"
            )
        },
    ),
    Case(
        "MH051",
        "script-not-in-deps",
        False,
        {
            "dvc.yaml": (
                "stages:\n  prepare:\n    cmd: python src/prepare.py\n"
                "    deps: [data/raw.csv]\n    outs: [data/prepared.csv]\n"
            )
        },
    ),
    Case(
        "MH051",
        "imported-module-not-in-deps",
        False,
        {
            "src/prepare.py": "from helpers import clean\n\nclean()\n",
            "src/helpers.py": "def clean():\n    pass\n",
        },
    ),
    Case(
        "MH051",
        "imported-module-in-deps",
        True,
        {
            "src/prepare.py": "from helpers import clean\n\nclean()\n",
            "src/helpers.py": "def clean():\n    pass\n",
            "dvc.yaml": BASELINE_DVC_YAML.replace(
                "    - src/prepare.py\n", "    - src/prepare.py\n    - src/helpers.py\n"
            ),
        },
    ),
    Case(
        "MH051",
        "module-imports-a-module-transitively",
        False,
        {
            "src/train.py": "from src.features import build\n\nbuild()\n",
            "src/features.py": "from src import columns\n\n\ndef build():\n    pass\n",
            "src/columns.py": "NAMES = []\n",
            "dvc.yaml": BASELINE_DVC_YAML.replace(
                "    - src/train.py\n", "    - src/train.py\n    - src/features.py\n"
            ),
        },
    ),
    Case(
        "MH051",
        "folder-dep-covers-the-imports",
        True,
        {
            "src/train.py": "from src.features import build\n\nbuild()\n",
            "src/features.py": "from . import columns\n\n\ndef build():\n    pass\n",
            "src/columns.py": "NAMES = []\n",
            "dvc.yaml": BASELINE_DVC_YAML.replace("    - src/train.py\n", "    - src\n"),
        },
    ),
    Case("MH052", "params-ok", True),
    Case("MH052", "missing-param", False, {"params.yaml": "prepare:\n  other: 1\ntrain: {}\n"}),
    Case("MH053", "lock-current", True),
    Case("MH053", "no-lock", None, {"dvc.lock": None}),
    Case("MH053", "cmd-changed", False, {"dvc.lock": dvc_lock(cmd="python src/prepare.py --old")}),
    Case("MH053", "script-changed", False, {"src/prepare.py": PREPARE_SCRIPT + "print('new')\n"}),
    Case("MH053", "param-changed", False, {"dvc.lock": dvc_lock(seed=7)}),
    Case(
        "MH053",
        "dvc1-lock-format",
        False,
        {"dvc.lock": dvc_lock().split("stages:\n", 1)[1].replace("\n  ", "\n")[2:]},
    ),
    Case("MH060", "no-secrets", True),
    Case("MH060", "env-file", False, {".env": "TOKEN=abc\n"}, force_add=(".env",)),
    # A project template's placeholder (cookiecutter-data-science ships one): no secret by name.
    Case(
        "MH060",
        "template-env-placeholder",
        True,
        {"{{ cookiecutter.repo_name }}/.env": "# Environment variables go here\n"},
        force_add=("{{ cookiecutter.repo_name }}/.env",),
    ),
    Case(
        "MH060",
        "key-in-code",
        False,
        {"src/settings.py": 'KEY_ID = "AKIA' + "ABCDEFGHIJKLMNOP" + '"\n'},
    ),
    Case("MH061", "ignored", True),
    Case(
        "MH061",
        "not-ignored",
        False,
        {".gitignore": "/models/model.pkl\n"},
        fixed_paths=frozenset({".gitignore"}),
    ),
    Case("MH070", "config", True),
    Case("MH070", "no-config", False, {".pre-commit-config.yaml": None}),
    Case(
        "MH070",
        "unparseable",
        False,
        {".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks: [\n"},
    ),
    Case("MH071", "nbstripout", True),
    Case("MH071", "no-nbstripout", False, {".pre-commit-config.yaml": "repos: []\n"}),
    Case(
        "MH071",
        "filter-declared-in-gitattributes",
        True,
        {".pre-commit-config.yaml": "repos: []\n", ".gitattributes": NOTEBOOK_ATTRIBUTES},
    ),
    Case(
        "MH071",
        "filter-and-hook",
        False,
        {".gitattributes": NOTEBOOK_ATTRIBUTES},
    ),
    Case("MH080", "one-index", True),
    Case("MH080", "no-index-config", None, {"pip.conf": None}),
    Case(
        "MH080",
        "uv-agrees",
        True,
        {
            "uv.toml": (
                '[[index]]\nurl = "https://nexus.example.invalid/repository/pypi/simple/"\n'
                "default = true\n"
            )
        },
    ),
    Case(
        "MH080",
        "extra-index",
        False,
        {"requirements.txt": "--extra-index-url https://pypi.example.org/simple\npandas==2.2.3\n"},
    ),
]
