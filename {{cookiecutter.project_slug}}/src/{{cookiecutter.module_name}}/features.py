"""Stage `features`: scale the features with statistics learnt on the train set only."""

import pandas as pd

from {{ cookiecutter.module_name }}.config import (
    INTERIM_DIR,
    PROCESSED_DIR,
    TARGET,
    load_params,
)


def standardize(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Centre and scale every feature column with the train set's mean and standard deviation."""
    features = [column for column in train.columns if column != TARGET]
    mean = train[features].mean()
    std = train[features].std().replace(0, 1)
    train, test = train.copy(), test.copy()
    train[features] = (train[features] - mean) / std
    test[features] = (test[features] - mean) / std
    return train, test


def main() -> None:
    params = load_params()["features"]
    train = pd.read_csv(INTERIM_DIR / "train.csv")
    test = pd.read_csv(INTERIM_DIR / "test.csv")
    if params["standardize"]:
        train, test = standardize(train, test)
    PROCESSED_DIR.mkdir(parents=True, exist_ok=True)
    train.to_csv(PROCESSED_DIR / "train.csv", index=False)
    test.to_csv(PROCESSED_DIR / "test.csv", index=False)


if __name__ == "__main__":
    main()
