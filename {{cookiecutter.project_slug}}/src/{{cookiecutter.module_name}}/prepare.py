"""Stage `prepare`: load the dataset scikit-learn ships and split it into train and test sets."""

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from {{ cookiecutter.module_name }}.config import (
    INTERIM_DIR,
    TARGET,
    load_params,
)


def load_dataset() -> pd.DataFrame:
    """The breast cancer dataset: 569 rows, 30 numeric features and a binary `target` column."""
    return load_breast_cancer(as_frame=True).frame


def split(frame: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified train/test split, the same for the same seed."""
    train, test = train_test_split(
        frame, test_size=test_size, random_state=seed, stratify=frame[TARGET]
    )
    return train, test


def main() -> None:
    params = load_params()
    train, test = split(load_dataset(), params["prepare"]["test_size"], params["seed"])
    INTERIM_DIR.mkdir(parents=True, exist_ok=True)
    train.to_csv(INTERIM_DIR / "train.csv", index=False)
    test.to_csv(INTERIM_DIR / "test.csv", index=False)


if __name__ == "__main__":
    main()
