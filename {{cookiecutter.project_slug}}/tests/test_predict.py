"""predict: the trained model's predictions for a CSV file, and one clear line for bad input."""

import joblib
import pandas as pd
import pytest

from {{ cookiecutter.module_name }}.features import standardize
from {{ cookiecutter.module_name }}.predict import main
from {{ cookiecutter.module_name }}.prepare import TARGET, load_dataset, split
from {{ cookiecutter.module_name }}.train import train_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained on a sample, saved as the `train` stage does, and its test rows."""
    folder = tmp_path_factory.mktemp("model")
    train, test = standardize(*split(load_dataset().sample(n=200, random_state=0), 0.25, 0))
    model_file = folder / "model.joblib"
    joblib.dump(train_model(train, c=1.0, max_iter=1000, seed=0), model_file)
    return model_file, test


def write_input(frame: pd.DataFrame, folder) -> str:
    path = folder / "input.csv"
    frame.to_csv(path, index=False)
    return str(path)


def test_writes_one_prediction_per_row_that_mostly_matches_the_labels(trained, tmp_path):
    model_file, test = trained
    output = tmp_path / "out" / "predictions.csv"
    input_csv = write_input(test.drop(columns=TARGET), tmp_path)
    main([input_csv, "-o", str(output), "--model", str(model_file)])
    predictions = pd.read_csv(output)
    assert list(predictions.columns) == ["prediction", "probability"]
    assert len(predictions) == len(test)
    assert set(predictions["prediction"]) <= {0, 1}
    assert predictions["probability"].between(0, 1).all()
    assert (predictions["prediction"].to_numpy() == test[TARGET].to_numpy()).mean() > 0.85


def test_the_column_order_does_not_matter(trained, tmp_path):
    model_file, test = trained
    features = test.drop(columns=TARGET)
    outputs = []
    for name, frame in (("same", features), ("reversed", features[features.columns[::-1]])):
        folder = tmp_path / name
        folder.mkdir()
        outputs.append(folder / "out.csv")
        main([write_input(frame, folder), "-o", str(outputs[-1]), "--model", str(model_file)])
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_missing_and_extra_columns_are_named_in_one_line_and_nothing_is_written(
    trained, tmp_path, capsys
):
    model_file, test = trained
    frame = test.drop(columns=["mean radius", "worst area"])  # keeps TARGET: an extra column
    output = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as stopped:
        main([write_input(frame, tmp_path), "-o", str(output), "--model", str(model_file)])
    message = str(stopped.value.code)
    assert message.count("\n") == 0
    assert "missing columns: mean radius, worst area" in message
    assert f"extra columns: {TARGET}" in message
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "input.csv"]


def test_a_missing_model_or_input_stops_with_one_line(trained, tmp_path):
    model_file, test = trained
    input_csv = write_input(test.drop(columns=TARGET), tmp_path)
    with pytest.raises(SystemExit, match="no model at .*make repro"):
        main([input_csv, "-o", str(tmp_path / "out.csv"), "--model", str(tmp_path / "none")])
    output_and_model = ["-o", str(tmp_path / "out.csv"), "--model", str(model_file)]
    with pytest.raises(SystemExit, match="no-such.csv: no such file"):
        main([str(tmp_path / "no-such.csv"), *output_and_model])
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="empty.csv: not a readable CSV file"):
        main([str(tmp_path / "empty.csv"), *output_and_model])
    assert not (tmp_path / "out.csv").exists()
