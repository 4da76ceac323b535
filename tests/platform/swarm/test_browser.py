"""The platform on Swarm in a real browser (Debian's chromium, driven by Playwright): log in through
nginx, pick an image from the menu, reach JupyterLab in the user's Swarm service, open the Git
sidebar. The screenshot lands in test-artifacts/swarm-jupyterlab.png.
"""

import re

import pytest
from playwright.sync_api import expect

from harness.browser import chromium_page, expect_jupyterlab_with_git_sidebar
from harness.hub_client import HubSession

pytestmark = [pytest.mark.swarm, pytest.mark.e2e]

SCIPY = "SciPy: + numpy, pandas, scikit-learn, matplotlib"


@pytest.fixture
def user_without_server(platform_stack, slapd):
    """carol (may log in), with no server running, so the browser gets the image menu."""
    user = slapd.admin
    session = HubSession(platform_stack.https_url, platform_stack.ca_file)
    assert session.login(user, slapd.passwords[user]).status_code == 200
    if session.user_model(user).get("servers", {}).get(""):
        session.hub_api("DELETE", f"/users/{user}/server")
        session.wait_until_stopped(user)
    return user


@pytest.fixture
def page(artifacts_dir):
    with chromium_page(artifacts_dir / "swarm-jupyterlab.png") as page:
        yield page


def test_login_pick_an_image_reach_jupyterlab_and_the_git_sidebar(
    page, platform_stack, slapd, user_without_server
):
    user = user_without_server
    page.goto(f"{platform_stack.https_url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", slapd.passwords[user])
    page.click("#login_submit")

    page.wait_for_url(re.compile(r"/hub/spawn"))
    menu = page.locator("select[name=image]")
    expect(menu).to_be_visible()
    assert SCIPY in menu.locator("option").all_inner_texts()
    menu.select_option(label=SCIPY)
    page.locator("form input[type=submit], form button[type=submit]").first.click()

    expect_jupyterlab_with_git_sidebar(page, user)

    image = platform_stack.docker(
        "service",
        "inspect",
        "--format",
        "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
        platform_stack.resolve(f"jupyter-{user}"),
    ).stdout.strip()
    assert image.split("@")[0] == "mlops/notebook-scipy:0.1.0"
