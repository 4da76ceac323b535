import pandas as pd
import pytest

from {{ cookiecutter.module_name }}.config import TARGET
from {{ cookiecutter.module_name }}.features import standardize


def test_standardize_uses_train_statistics_only():
    train = pd.DataFrame({"x": [1.0, 2.0, 3.0], TARGET: [0, 1, 0]})
    test = pd.DataFrame({"x": [2.0, 4.0], TARGET: [1, 1]})
    scaled_train, scaled_test = standardize(train, test)
    assert scaled_train["x"].mean() == pytest.approx(0.0)
    assert scaled_train["x"].std() == pytest.approx(1.0)
    assert scaled_test["x"].tolist() == pytest.approx([0.0, 2.0])


def test_standardize_leaves_the_target_and_inputs_alone():
    train = pd.DataFrame({"x": [1.0, 3.0], TARGET: [0, 1]})
    test = pd.DataFrame({"x": [2.0], TARGET: [1]})
    scaled_train, _ = standardize(train, test)
    assert scaled_train[TARGET].tolist() == [0, 1]
    assert train["x"].tolist() == [1.0, 3.0]


def test_a_constant_column_does_not_divide_by_zero():
    train = pd.DataFrame({"x": [5.0, 5.0], TARGET: [0, 1]})
    scaled_train, _ = standardize(train, train.copy())
    assert scaled_train["x"].tolist() == [0.0, 0.0]
