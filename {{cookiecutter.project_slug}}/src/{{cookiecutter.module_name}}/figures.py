"""PNG figures of the evaluation for reports and merge requests (matplotlib, Agg backend)."""

from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# No "Software"/date entries in the PNG: the same results give byte-identical files.
PNG_METADATA = {"Software": None}


def confusion_matrix_figure(confusion: pd.DataFrame) -> Figure:
    """A 2x2 grid of counts: actual classes in rows, predicted classes in columns."""
    counts = pd.crosstab(confusion["actual"], confusion["predicted"]).reindex(
        index=[0, 1], columns=[0, 1], fill_value=0
    )
    figure = Figure(figsize=(4, 4))
    axes = figure.add_subplot()
    axes.imshow(counts.to_numpy(), cmap="Blues")
    for row in range(2):
        for column in range(2):
            axes.text(column, row, str(counts.iat[row, column]), ha="center", va="center")
    axes.set_xticks([0, 1])
    axes.set_yticks([0, 1])
    axes.set_xlabel("predicted")
    axes.set_ylabel("actual")
    axes.set_title("Confusion matrix (test set)")
    figure.tight_layout()
    return figure


def roc_figure(roc: pd.DataFrame, roc_auc: float) -> Figure:
    """The ROC curve with the diagonal of a random guess; the area under the curve in the legend."""
    figure = Figure(figsize=(4, 4))
    axes = figure.add_subplot()
    axes.plot(roc["fpr"], roc["tpr"], label=f"model (AUC {roc_auc:.3f})")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="random guess")
    axes.set_xlabel("false positive rate")
    axes.set_ylabel("true positive rate")
    axes.set_title("ROC curve (test set)")
    axes.legend(loc="lower right")
    figure.tight_layout()
    return figure


def save_png(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.savefig(path, format="png", dpi=100, metadata=PNG_METADATA)
