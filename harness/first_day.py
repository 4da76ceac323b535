"""A data scientist's first day on the platform, the parts a test needs: the team's shared folder
as a site sets it up (the template's Git repository, the team's project repository, the DVC
remote), chromium started from a thread inside the cluster's lan namespace, and what a user does in
JupyterLab with the mouse (log in, choose an image, open a terminal, run a notebook, commit from
the Git sidebar).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from harness.browser import CHROMIUM_ARGS
from tests.template.template_repo import clone_working_tree

SITE_ACCOUNT = (1000, 100)  # jovyan:users, who owns the shared folder (not the users themselves)


def prepare_team_share(shared: Path, repo_root: Path, project: str) -> None:
    """What the site's administrators set up on the shared folder once (stands in for the team's
    Git server): the template as a bare repository, an empty bare repository for the team's
    project (writable by the group of every user, as `git init --shared=group` makes it) and the
    folder of the team's DVC remotes. All of it belongs to the site's account, not to the users.
    """
    git_dir, dvc_dir = shared / "git", shared / "dvc"
    with tempfile.TemporaryDirectory(prefix="first-day-template-") as scratch:
        clone = clone_working_tree(repo_root, Path(scratch) / "cookiecutter-mlops")
        _git(
            "clone",
            "--quiet",
            "--bare",
            "--no-hardlinks",
            str(clone),
            str(git_dir / "cookiecutter-mlops.git"),
        )
    _git(
        "init",
        "--quiet",
        "--bare",
        "--shared=group",
        "--initial-branch=main",
        str(git_dir / f"{project}.git"),
    )
    dvc_dir.mkdir()
    for folder in (git_dir, dvc_dir):
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, *SITE_ACCOUNT, follow_symlinks=False)
    for folder in (dvc_dir, git_dir / f"{project}.git"):
        folder.chmod(0o2775)  # the group writes; what it creates stays in the group


def remove_team_share(shared: Path) -> None:
    for name in ("git", "dvc"):
        shutil.rmtree(shared / name, ignore_errors=True)


def _git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True, text=True)


def processes_below(pid: int) -> list[int]:
    """Every descendant of `pid` (from /proc's parent links)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    below, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        below += children
        frontier += children
    return below


def network_namespace(pid: int) -> int:
    return os.stat(f"/proc/{pid}/ns/net").st_ino


@contextmanager
def chromium_in_this_namespace(namespace: str):
    """Playwright's driver and Debian's chromium, started from the calling thread: a thread that
    entered `namespace` (harness/multinode/netns.py), whose children inherit it. Checked: every
    chromium process runs in that namespace, so the browser's traffic goes out from there.
    """
    wanted = os.stat(f"/run/netns/{namespace}").st_ino
    assert os.stat(f"/proc/self/task/{threading.get_native_id()}/ns/net").st_ino == wanted, (
        f"call this from a thread inside {namespace}"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            started = [pid for pid in processes_below(os.getpid()) if _is_browser(pid)]
            assert any("chromium" in _exe(pid) for pid in started), "no chromium process found"
            outside = [pid for pid in started if network_namespace(pid) != wanted]
            assert not outside, f"browser processes outside {namespace}: {outside}"
            yield browser
        finally:
            browser.close()


def _is_browser(pid: int) -> bool:
    """chromium's processes and Playwright's driver (node running playwright's run-driver)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return "chromium" in _exe(pid) or b"run-driver" in command


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def new_page(browser) -> Page:
    # The test CA is not in chromium's store: accept the certificate (API calls verify it).
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def log_in_and_choose_image(
    page: Page, base_url: str, user: str, password: str, image: str, shots: Path, prefix: str
) -> None:
    """The hub's login form (LDAP), then the image menu, then JupyterLab."""
    page.goto(f"{base_url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.screenshot(path=shots / f"{prefix}-login.png")
    page.click("#login_submit")
    page.wait_for_url(re.compile(r"/hub/spawn"))
    menu = page.locator("select[name=image]")
    menu.select_option(label=image)
    page.screenshot(path=shots / f"{prefix}-image-menu.png")
    page.locator("form input[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=240_000)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=120_000)
    expect(page.locator(".jp-LauncherCard").first).to_be_visible(timeout=120_000)


def open_terminal(page: Page) -> None:
    """A terminal from JupyterLab's launcher."""
    page.locator(".jp-LauncherCard", has_text="Terminal").first.click()
    expect(page.locator(".lm-TabBar-tab", has_text="Terminal 1")).to_be_visible()
    expect(page.locator(".jp-Terminal .xterm-screen")).to_be_visible()


def run_all_cells(page: Page, code_cells: int) -> None:
    """Run > Run All Cells, then wait until every code cell has run (a number in its prompt)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    page.wait_for_function(
        """(count) => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length === count
                && prompts.every((prompt) => /\\[\\d+\\]/.test(prompt.textContent));
        }""",
        arg=code_cells,
        timeout=180_000,
    )


def save_notebook(page: Page) -> None:
    """Ctrl+S, then wait until the tab has no unsaved changes."""
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)


def commit_everything_from_the_git_sidebar(page: Page, message: str) -> None:
    """The Git sidebar (jupyterlab-git): track every untracked file, write the summary, Commit.
    jupyterlab-git asks what to do with a notebook's outputs: keep them (the project's nbstripout
    filter strips them from what git stores)."""
    panel = page.locator("#jp-git-sessions")
    if not panel.is_visible():
        page.locator('.lm-TabBar-tab[data-id="jp-git-sessions"]').click()
    expect(panel).to_be_visible()
    untracked = panel.get_by_text("Untracked", exact=True)
    expect(untracked).to_be_visible(timeout=60_000)
    untracked.hover()
    panel.get_by_role("button", name="Track all untracked files").click()
    expect(panel.get_by_text("Staged", exact=True)).to_be_visible()
    summary = panel.get_by_placeholder(re.compile(r"\(Ctrl\+Enter to commit\)"))
    summary.fill(message)
    panel.get_by_role("button", name="Commit", exact=True).click()
    keep_outputs = page.locator(".jp-Dialog").get_by_role("button", name="Keep Outputs & Commit")
    committed = panel.locator("button:disabled", has_text="Commit")
    expect(keep_outputs.or_(committed).first).to_be_visible(timeout=60_000)
    if keep_outputs.is_visible():
        keep_outputs.click()
    # Committed (the project's pre-commit hooks passed): the box is emptied, the history shows it.
    expect(summary).to_have_value("", timeout=180_000)
    expect(panel.get_by_text(message, exact=True)).to_be_visible()
