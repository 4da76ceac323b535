"""`python -m <module>.predict` in a generated project after `make repro`, as a user runs it."""

import subprocess

import pytest

from tests.template.csv_rows import read_rows, write_without

pytestmark = pytest.mark.slow


def run_predict(project: dict, *args: str) -> subprocess.CompletedProcess:
    command = [".venv/bin/python", "-m", f"{project['module']}.predict", *args]
    return subprocess.run(
        command, cwd=project["path"], env=project["env"], capture_output=True, text=True
    )


def test_predicts_every_row_of_the_test_set_with_the_trained_model(shipped_project, tmp_path):
    test_set = shipped_project["path"] / "data/processed/test.csv"
    rows = write_without(test_set, tmp_path / "input.csv", ["target"])
    result = run_predict(
        shipped_project, str(tmp_path / "input.csv"), "-o", str(tmp_path / "o.csv")
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {len(rows)} predictions" in result.stdout
    predictions = read_rows(tmp_path / "o.csv")
    assert list(predictions[0]) == ["prediction", "probability"]
    assert len(predictions) == len(rows)
    right = sum(p["prediction"] == row["target"] for p, row in zip(predictions, rows, strict=True))
    assert right / len(rows) > 0.9


def test_wrong_columns_stop_with_one_line_and_write_nothing(shipped_project, tmp_path):
    test_set = shipped_project["path"] / "data/processed/test.csv"
    write_without(test_set, tmp_path / "input.csv", ["mean texture"])
    result = run_predict(
        shipped_project, str(tmp_path / "input.csv"), "-o", str(tmp_path / "o.csv")
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"predict: {tmp_path / 'input.csv'} does not match the model's features: "
        "missing columns: mean texture; extra columns: target"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.csv"]
