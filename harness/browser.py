"""Debian's chromium driven by Playwright (no browser download), for the browser tests."""

import re
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # everything the tests open is on 127.0.0.1
]


@contextmanager
def chromium_page(screenshot: Path):
    """A page in headless chromium; its screenshot goes to `screenshot` when the test is done."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            # The test CA is not in chromium's store: accept the certificate (API tests verify it).
            context = browser.new_context(
                ignore_https_errors=True, viewport={"width": 1400, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
            page.screenshot(path=screenshot)
        finally:
            browser.close()


def expect_jupyterlab_with_git_sidebar(page, user: str) -> None:
    """The page lands in `user`'s JupyterLab, and the Git sidebar (jupyterlab-git) opens."""
    page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=120_000)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=120_000)
    git_tab = page.locator('.lm-TabBar-tab[data-id="jp-git-sessions"]')
    expect(git_tab).to_be_visible()
    git_tab.click()
    expect(page.locator("#jp-git-sessions")).to_be_visible()
