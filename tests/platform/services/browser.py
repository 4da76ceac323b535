"""Debian's chromium driven by Playwright (no browser download), for the browser tests."""

from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

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
