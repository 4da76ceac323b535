"""End to end in a real browser: Debian's chromium, driven by Playwright, logs in through nginx,
opens JupyterLab, finds the Git sidebar and runs a notebook cell. The screenshot lands in
test-artifacts/platform-jupyterlab.png.
"""

import pytest
from playwright.sync_api import expect

from harness.browser import chromium_page, expect_jupyterlab_with_git_sidebar

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(proxy, artifacts_dir):
    with chromium_page(artifacts_dir / "platform-jupyterlab.png") as page:
        yield page


def test_login_open_jupyterlab_git_sidebar_and_run_a_cell(page, proxy, slapd):
    user = slapd.member
    page.goto(f"{proxy.https_url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", slapd.passwords[user])
    page.click("#login_submit")
    expect_jupyterlab_with_git_sidebar(page, user)

    page.locator('.jp-LauncherCard[data-category="Notebook"]').first.click()
    # Type only once the kernel is connected and idle: earlier keystrokes run nothing.
    expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle")).to_be_visible(timeout=90_000)
    cell = page.locator(".jp-Notebook .jp-Cell .cm-content").first
    expect(cell).to_be_visible()
    cell.click()
    page.keyboard.type("print(6 * 7)")
    page.keyboard.press("Shift+Enter")
    expect(page.locator(".jp-OutputArea-output").first).to_have_text("42", timeout=60_000)
