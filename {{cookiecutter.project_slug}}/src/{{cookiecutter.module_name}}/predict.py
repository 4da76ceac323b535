"""Predict with the trained model.

    python -m {{ cookiecutter.module_name }}.predict INPUT.csv -o OUT.csv

INPUT.csv has one row per sample and the columns the model was trained on: the feature columns of
`data/processed/` (already scaled by the `features` stage), without the target. OUT.csv gets one
row per input row, in the same order: `prediction` (0 or 1, with the threshold the `evaluate`
stage scores) and `probability` (of class 1). A missing model, an unreadable input or wrong
columns stop with one line on stderr, a non-zero exit and no output file.
"""

import argparse
import os
import sys
from pathlib import Path

import joblib
import pandas as pd

from {{ cookiecutter.module_name }}.config import MODELS_DIR, load_params

MODEL_FILE = MODELS_DIR / "model.joblib"


class PredictError(Exception):
    """A problem with the model or the input, told to the user in one line."""


def load_model(path: Path):
    if not Path(path).is_file():
        raise PredictError(f"no model at {path}: train it first (`make repro`)")
    model = joblib.load(path)
    if not hasattr(model, "feature_names_in_"):
        raise PredictError(f"the model in {path} records no feature names (fit it on a DataFrame)")
    return model


def read_input(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise PredictError(f"{path}: no such file") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PredictError(f"{path}: not a readable CSV file ({first_line})") from None


def check_columns(columns: list[str], expected: list[str], source: str) -> None:
    """Raise PredictError naming every missing and every extra column; the order does not matter."""
    missing = [name for name in expected if name not in columns]
    extra = [name for name in columns if name not in expected]
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if extra:
        problems.append("extra columns: " + ", ".join(extra))
    if problems:
        raise PredictError(f"{source} does not match the model's features: " + "; ".join(problems))


def predict(model, features: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per input row: the predicted class and the probability of class 1."""
    probability = model.predict_proba(features[list(model.feature_names_in_)])[:, 1]
    return pd.DataFrame(
        {"prediction": (probability >= threshold).astype(int), "probability": probability}
    )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write next to the target and rename, so a failure never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        frame.to_csv(partial, index=False)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def run(input_path: Path, output_path: Path, model_path: Path) -> int:
    model = load_model(model_path)
    frame = read_input(input_path)
    check_columns(list(frame.columns), list(model.feature_names_in_), str(input_path))
    threshold = load_params()["evaluate"]["threshold"]
    predictions = predict(model, frame, threshold)
    write_csv(predictions, output_path)
    return len(predictions)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m {{ cookiecutter.module_name }}.predict",
        description="Predict with the trained model; writes prediction and probability per row.",
    )
    parser.add_argument("input", type=Path, help="CSV with the model's feature columns")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV to write")
    parser.add_argument("--model", type=Path, default=MODEL_FILE, help=f"default: {MODEL_FILE}")
    args = parser.parse_args(argv)
    try:
        count = run(args.input, args.output, args.model)
    except PredictError as error:
        sys.exit(f"predict: {error}")
    print(f"wrote {count} predictions to {args.output}")


if __name__ == "__main__":
    main()
