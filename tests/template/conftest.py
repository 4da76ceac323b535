from pathlib import Path

import pytest

from tests.template.engines import copy_template
from tests.template.template_repo import clone_working_tree


@pytest.fixture(scope="session")
def template_dir(repo_root: Path, tmp_path_factory) -> Path:
    """A copy of the template as it ships (cookiecutter.json, copier.yml, hooks/, project tree)."""
    return copy_template(repo_root, tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def template_repo(repo_root: Path, tmp_path_factory) -> Path:
    """A git clone of this repository (working tree included), as a user generates from."""
    return clone_working_tree(repo_root, tmp_path_factory.mktemp("clone") / "cookiecutter-mlops")
