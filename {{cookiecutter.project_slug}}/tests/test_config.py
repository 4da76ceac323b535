from pathlib import Path

import pytest

from {{ cookiecutter.module_name }}.config import load_params

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_params_file_has_a_seed():
    params = load_params(PROJECT_ROOT / "params.yaml")
    assert isinstance(params["seed"], int)


def test_a_params_file_that_is_not_a_mapping_is_refused(tmp_path):
    params_file = tmp_path / "params.yaml"
    params_file.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_params(params_file)
