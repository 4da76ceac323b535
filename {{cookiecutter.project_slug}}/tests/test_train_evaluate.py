"""A small end-to-end run: split, scale, train and evaluate on a sample of the dataset."""

from {{ cookiecutter.module_name }}.evaluate import evaluate
from {{ cookiecutter.module_name }}.features import standardize
from {{ cookiecutter.module_name }}.prepare import load_dataset, split
from {{ cookiecutter.module_name }}.train import train_model


def run_on_sample(seed: int) -> tuple[dict, object, object]:
    sample = load_dataset().sample(n=200, random_state=seed)
    train, test = standardize(*split(sample, test_size=0.25, seed=seed))
    model = train_model(train, c=1.0, max_iter=1000, seed=seed)
    return evaluate(model, test, threshold=0.5)


def test_the_model_beats_guessing():
    scores, _, _ = run_on_sample(seed=0)
    assert set(scores) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    assert scores["accuracy"] > 0.85
    assert scores["roc_auc"] > 0.9


def test_plot_data_has_one_row_per_test_sample_and_a_full_roc_curve():
    _, confusion, roc = run_on_sample(seed=0)
    assert list(confusion.columns) == ["actual", "predicted"]
    assert len(confusion) == 50
    assert roc["fpr"].iloc[0] == 0 and roc["tpr"].iloc[-1] == 1


def test_two_runs_with_the_same_seed_give_the_same_metrics():
    assert run_on_sample(seed=3)[0] == run_on_sample(seed=3)[0]
