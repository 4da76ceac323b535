"""`dvc plots show` output renders in chromium with every network request blocked, and the
evaluate stage's PNG figures exist (regression: the page loaded Vega from a CDN, blank offline).
"""

import pytest

from harness.browser import chromium_page
from tests.template.project_commands import run

pytestmark = pytest.mark.slow

FIGURES = ("reports/figures/confusion_matrix.png", "reports/figures/roc.png")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Pixels of a canvas that are drawn (not transparent and not white), counted in the page.
DRAWN_PIXELS_JS = """canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) drawn++;
    }
    return drawn;
}"""


def test_evaluate_writes_png_figures_declared_as_outputs(shipped_project):
    path = shipped_project["path"]
    for figure in FIGURES:
        assert (path / figure).read_bytes().startswith(PNG_SIGNATURE), figure
    status = run([".venv/bin/dvc", "status"], path, shipped_project["env"])
    assert "up to date" in status
    dvc_yaml = (path / "dvc.yaml").read_text()
    assert all(dvc_yaml.count(figure) == 2 for figure in FIGURES)  # an output and a plot


def test_plots_page_draws_every_plot_without_network(shipped_project, artifacts_dir):
    path, env = shipped_project["path"], shipped_project["env"]
    run([".venv/bin/dvc", "plots", "show"], path, env)
    page_file = path / "dvc_plots" / "index.html"
    assert "cdn.jsdelivr.net" not in page_file.read_text()

    blocked, errors = [], []
    with chromium_page(artifacts_dir / "template-plots-offline.png") as page:

        def only_local_files(route):
            if route.request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_local_files)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("requestfailed", lambda request: blocked.append(request.url))
        page.goto(page_file.as_uri())
        canvases = page.locator("canvas")
        canvases.first.wait_for(state="visible", timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert canvases.count() == 2  # the confusion matrix and the ROC curve (vega-embed)
        for index in range(2):
            assert canvases.nth(index).evaluate(DRAWN_PIXELS_JS) > 1000
        images = page.locator("img")
        assert images.count() == 2  # the two PNG figures
        for index in range(2):
            assert images.nth(index).evaluate("image => image.complete && image.naturalWidth") > 0
    assert not blocked, f"the page asked for the network: {blocked}"
    assert not errors, f"errors in the page: {errors}"
