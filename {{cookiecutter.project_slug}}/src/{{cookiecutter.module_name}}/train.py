"""Stage `train`: fit a logistic regression on the processed train set."""

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

from {{ cookiecutter.module_name }}.config import (
    MODELS_DIR,
    PROCESSED_DIR,
    TARGET,
    load_params,
)


def train_model(train: pd.DataFrame, c: float, max_iter: int, seed: int) -> LogisticRegression:
    """A logistic regression fitted on every column except the target."""
    model = LogisticRegression(C=c, max_iter=max_iter, random_state=seed)
    model.fit(train.drop(columns=TARGET), train[TARGET])
    return model


def main() -> None:
    params = load_params()
    train = pd.read_csv(PROCESSED_DIR / "train.csv")
    model = train_model(train, params["train"]["C"], params["train"]["max_iter"], params["seed"])
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, MODELS_DIR / "model.joblib")


if __name__ == "__main__":
    main()
