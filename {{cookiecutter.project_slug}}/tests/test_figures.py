"""The evaluation figures: PNG files, identical for identical results."""

import pandas as pd

from {{ cookiecutter.module_name }}.figures import confusion_matrix_figure, roc_figure, save_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONFUSION = pd.DataFrame({"actual": [0, 0, 1, 1, 1], "predicted": [0, 1, 1, 1, 0]})
ROC = pd.DataFrame({"fpr": [0.0, 0.0, 0.5, 1.0], "tpr": [0.0, 0.5, 1.0, 1.0]})


def test_figures_are_png_files_with_the_same_bytes_every_time(tmp_path):
    for name, draw in (
        ("confusion", lambda: confusion_matrix_figure(CONFUSION)),
        ("roc", lambda: roc_figure(ROC, roc_auc=0.875)),
    ):
        first, second = tmp_path / f"{name}-1.png", tmp_path / f"{name}-2.png"
        save_png(draw(), first)
        save_png(draw(), second)
        assert first.read_bytes().startswith(PNG_SIGNATURE)
        assert first.read_bytes() == second.read_bytes()


def test_a_class_that_is_never_predicted_still_gets_its_cell(tmp_path):
    all_zero = pd.DataFrame({"actual": [0, 1], "predicted": [0, 0]})
    figure = confusion_matrix_figure(all_zero)
    counts = [text.get_text() for text in figure.axes[0].texts]
    assert counts == ["1", "0", "1", "0"]
