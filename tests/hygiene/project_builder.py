"""Small real git repositories for the hygiene tests: a baseline that passes every check, and
changes to it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

GIT_IDENTITY = [
    "-c",
    "user.name=Hygiene Test",
    "-c",
    "user.email=hygiene@example.invalid",
    "-c",
    "commit.gpgsign=false",
]

PREPARE_SCRIPT = "import sys\nprint('prepare', sys.argv)\n"
TRAIN_SCRIPT = "print('train')\n"


def notebook(outputs: bool = False) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 3 if outputs else None,
        "metadata": {},
        "outputs": [{"name": "stdout", "output_type": "stream", "text": ["42\n"]}]
        if outputs
        else [],
        "source": ["print(42)"],
    }
    markdown = {
        "cell_type": "markdown",
        "metadata": {},
        "source": ["# Explore the data — naïve first look"],
    }
    document = {
        "cells": [markdown, cell],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def dvc_lock(
    cmd: str = "python src/prepare.py", script: str = PREPARE_SCRIPT, seed: int = 42
) -> str:
    md5 = hashlib.md5(script.encode()).hexdigest()
    return f"""schema: '2.0'
stages:
  prepare:
    cmd: {cmd}
    deps:
    - path: data/raw.csv
      hash: md5
      md5: 0cc175b9c0f1b6a831c399e269772661
      size: 1
    - path: src/prepare.py
      hash: md5
      md5: {md5}
      size: {len(script)}
    params:
      params.yaml:
        prepare.seed: {seed}
    outs:
    - path: data/prepared.csv
      hash: md5
      md5: 92eb5ffee6ae2fec3ad71c777531578f
      size: 2
  train:
    cmd: python -m src.train
    deps:
    - path: data/prepared.csv
      hash: md5
      md5: 92eb5ffee6ae2fec3ad71c777531578f
      size: 2
    - path: src/train.py
      hash: md5
      md5: {hashlib.md5(TRAIN_SCRIPT.encode()).hexdigest()}
      size: {len(TRAIN_SCRIPT)}
    params:
      params.yaml:
        train:
          n_estimators: 10
    outs:
    - path: models/model.pkl
      hash: md5
      md5: 92eb5ffee6ae2fec3ad71c777531578f
      size: 2
"""


BASELINE = {
    "README.md": "# Demo\n\nA tiny project that follows the conventions.\n",
    ".python-version": "3.11\n",
    "pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n',
    "requirements.txt": "pandas==2.2.3\nscikit-learn>=1.5,<2  # bounded is fine\n",
    "requirements-dev.txt": "-r requirements.txt\npytest==8.3.4\nnbstripout==0.8.1\n",
    "requirements.lock": (
        "pandas==2.2.3 \\\n    --hash=sha256:0123abcd\nscikit-learn==1.5.2 \\\n"
        "    --hash=sha256:4567ef01\nnumpy==2.1.3  # via pandas\n"
    ),
    "pip.conf": "[global]\nindex-url = https://nexus.example.invalid/repository/pypi/simple\n",
    "tests/test_smoke.py": "def test_smoke():\n    assert True\n",
    "src/prepare.py": PREPARE_SCRIPT,
    "src/train.py": TRAIN_SCRIPT,
    "data/.gitignore": "/raw.csv\n/prepared.csv\n",
    "data/raw.csv.dvc": (
        "outs:\n- md5: 0cc175b9c0f1b6a831c399e269772661\n  size: 1\n  path: raw.csv\n"
    ),
    "data/raw.csv": "a",
    "models/.gitkeep": "",
    "notebooks/01-jd-explore-data.ipynb": notebook(),
    "params.yaml": "prepare:\n  seed: 42\ntrain:\n  n_estimators: 10\n",
    "dvc.yaml": """stages:
  prepare:
    cmd: python src/prepare.py
    deps:
    - data/raw.csv
    - src/prepare.py
    params:
    - prepare.seed
    outs:
    - data/prepared.csv
  train:
    cmd: python -m src.train
    deps:
    - data/prepared.csv
    - src/train.py
    params:
    - train
    outs:
    - models/model.pkl
""",
    "dvc.lock": dvc_lock(),
    ".gitignore": (
        ".env\n.env.*\n!.env.example\n*.pem\n*.key\nid_rsa*\ncredentials.json\n/models/model.pkl\n"
    ),
    ".env.example": "DATABASE_URL=\n",
    ".pre-commit-config.yaml": """repos:
- repo: local
  hooks:
  - id: nbstripout
    name: nbstripout
    entry: nbstripout
    language: system
    types: [jupyter]
""",
    ".github/workflows/ci.yml": """on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.11", "3.12"]
    steps:
    - uses: actions/setup-python@v5
      with:
        python-version: ${{ matrix.python-version }}
""",
}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return result.stdout


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for relative, content in files.items():
        path = root / relative
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def build_project(
    root: Path,
    changes: dict | None = None,
    *,
    use_git: bool = True,
    force_add: tuple[str, ...] = (),
) -> Path:
    """The baseline with `changes` applied (None deletes a file), committed in a fresh git
    repository."""
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, {**BASELINE, **(changes or {})})
    if use_git:
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        if force_add:
            git(root, "add", "-f", *force_add)
        git(root, "commit", "-q", "-m", "fixture")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file outside .git, with its bytes."""
    files = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(directory) / name
            files[str(path.relative_to(root))] = path.read_bytes()
    return files
