"""Stage `evaluate`: score the model on the test set; write metrics, plot data and PNG figures."""

import json

import joblib
import pandas as pd
from sklearn import metrics

from {{ cookiecutter.module_name }}.config import (
    MODELS_DIR,
    PLOTS_DIR,
    PROCESSED_DIR,
    REPORTS_DIR,
    TARGET,
    load_params,
)
from {{ cookiecutter.module_name }}.figures import confusion_matrix_figure, roc_figure, save_png

FIGURES_DIR = REPORTS_DIR / "figures"


def evaluate(
    model, test: pd.DataFrame, threshold: float
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Metrics, one row per test sample (actual, predicted) and the ROC curve's points."""
    actual = test[TARGET]
    probability = model.predict_proba(test.drop(columns=TARGET))[:, 1]
    predicted = (probability >= threshold).astype(int)
    scores = {
        "accuracy": metrics.accuracy_score(actual, predicted),
        "precision": metrics.precision_score(actual, predicted),
        "recall": metrics.recall_score(actual, predicted),
        "f1": metrics.f1_score(actual, predicted),
        "roc_auc": metrics.roc_auc_score(actual, probability),
    }
    scores = {name: round(float(value), 4) for name, value in scores.items()}
    confusion = pd.DataFrame({"actual": actual.to_numpy(), "predicted": predicted})
    fpr, tpr, _ = metrics.roc_curve(actual, probability)
    roc = pd.DataFrame({"fpr": fpr.round(4), "tpr": tpr.round(4)})
    return scores, confusion, roc


def main() -> None:
    params = load_params()["evaluate"]
    model = joblib.load(MODELS_DIR / "model.joblib")
    test = pd.read_csv(PROCESSED_DIR / "test.csv")
    scores, confusion, roc = evaluate(model, test, params["threshold"])
    PLOTS_DIR.mkdir(parents=True, exist_ok=True)
    (REPORTS_DIR / "metrics.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    confusion.to_csv(PLOTS_DIR / "confusion_matrix.csv", index=False)
    roc.to_csv(PLOTS_DIR / "roc.csv", index=False)
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    save_png(confusion_matrix_figure(confusion), FIGURES_DIR / "confusion_matrix.png")
    save_png(roc_figure(roc, scores["roc_auc"]), FIGURES_DIR / "roc.png")


if __name__ == "__main__":
    main()
