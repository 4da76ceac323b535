from {{ cookiecutter.module_name }}.prepare import TARGET, load_dataset, split


def test_dataset_has_the_expected_shape():
    frame = load_dataset()
    assert frame.shape == (569, 31)
    assert set(frame[TARGET].unique()) == {0, 1}
    assert not frame.isna().any().any()


def test_split_sizes_and_stratification():
    frame = load_dataset()
    train, test = split(frame, test_size=0.2, seed=0)
    assert len(train) + len(test) == len(frame)
    assert len(test) == 114
    assert abs(train[TARGET].mean() - test[TARGET].mean()) < 0.02


def test_split_is_the_same_for_the_same_seed():
    frame = load_dataset()
    first, _ = split(frame, test_size=0.2, seed=7)
    second, _ = split(frame, test_size=0.2, seed=7)
    assert first.index.equals(second.index)
