import os
import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.module_name }}.config import PROJECT_ROOT, find_project_root, load_params

PROJECT_ROOT_SEEN_BY_TESTS = Path(__file__).resolve().parent.parent


def test_params_file_has_a_seed():
    params = load_params()
    assert isinstance(params["seed"], int)


def test_paths_are_anchored_at_the_project_root():
    assert PROJECT_ROOT == PROJECT_ROOT_SEEN_BY_TESTS


@pytest.mark.parametrize("working_dir", ["notebooks", "src", "/"])
def test_the_package_works_from_any_working_directory(working_dir):
    code = "from {{ cookiecutter.module_name }} import config; print(config.load_params()['seed'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT_SEEN_BY_TESTS / working_dir,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(load_params()["seed"])


def test_outside_a_project_the_working_directory_is_the_root(tmp_path):
    assert find_project_root(tmp_path) == Path.cwd()


def test_a_params_file_that_is_not_a_mapping_is_refused(tmp_path):
    params_file = tmp_path / "params.yaml"
    params_file.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_params(params_file)
