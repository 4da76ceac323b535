"""A data scientist's first day, end to end on the three-node cluster, in a real browser (Debian's
chromium driven by Playwright, started from a thread inside the cluster's lan namespace, so its
traffic goes out from there like every other client of these tests).

erin logs in through nginx with LDAP, chooses the image built against the site's package mirror,
opens a terminal in JupyterLab, generates a project with cookiecutter from the team's template (a
bare Git repository on the shared folder stands in for the team's Git server), runs `make setup`
(uv, from the package mirror), `make kernel` and `make repro`, opens the example notebook with the
project's kernel and runs it, commits everything from the Git sidebar, pushes to the team's
repository and `dvc push`es to the team's remote on the shared folder. frank then logs in, clones
the project, `make setup`, `dvc pull`, and `dvc repro` has nothing to do.

Commands are typed into the terminal the browser opened (harness/hub_client.run_in_terminal, over
the terminal's websocket): the browser shows them and their output. Screenshots of the main steps:
test-artifacts/first-day-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from harness.first_day import (
    chromium_in_this_namespace,
    commit_everything_from_the_git_sidebar,
    log_in_and_choose_image,
    new_page,
    open_terminal,
    prepare_team_share,
    remove_team_share,
    run_all_cells,
    save_notebook,
)
from harness.hub_client import HubSession
from tests.platform.swarm.multinode.conftest import MIRROR_CHOICE

pytestmark = [pytest.mark.swarm, pytest.mark.e2e]

PROJECT = "churn-model"
SHARED = "/home/jovyan/shared"  # the shared folder inside every user's server
TEMPLATE_REPO = f"{SHARED}/git/cookiecutter-mlops.git"
TEAM_REPO = f"{SHARED}/git/{PROJECT}.git"
DVC_REMOTE = f"{SHARED}/dvc/{PROJECT}"
NOTEBOOK = f"{PROJECT}/notebooks/00-example-explore-dataset.ipynb"


@pytest.fixture
def team_share(multinode_stack, repo_root):
    prepare_team_share(multinode_stack.shared, repo_root, PROJECT)
    yield
    remove_team_share(multinode_stack.shared)


@pytest.fixture
def first_day_users(multinode_stack, lan_slapd, client):
    """erin and frank (no server running); their servers are stopped afterwards."""
    users = list(lan_slapd.newcomers)
    yield users

    def stop(user):
        session = HubSession(multinode_stack.https_url, multinode_stack.ca_file)
        assert session.login(user, lan_slapd.passwords[user]).status_code == 200
        session.hub_api("DELETE", f"/users/{user}/server")
        session.wait_until_stopped(user)

    for user in users:
        client.run(stop, user)


def test_a_data_scientists_first_day(
    multinode_stack,
    lan_slapd,
    lan_mirror,
    cluster,
    client,
    team_share,
    first_day_users,
    artifacts_dir,
):
    client.run(
        first_day,
        multinode_stack,
        lan_slapd,
        lan_mirror.url,
        cluster.lan,
        first_day_users,
        artifacts_dir,
    )


def first_day(stack, slapd, mirror_url, lan, users, shots):
    """The whole story, in one thread inside the lan namespace (Playwright stays in the thread
    that started it)."""
    first, second = users
    with chromium_in_this_namespace(lan) as browser:
        page = new_page(browser)
        log_in_and_choose_image(
            page,
            stack.https_url,
            first,
            slapd.passwords[first],
            MIRROR_CHOICE,
            shots,
            "first-day-01",
        )
        open_terminal(page)
        page.screenshot(path=shots / "first-day-02-terminal.png")
        session = HubSession(stack.https_url, stack.ca_file)
        assert session.login(first, slapd.passwords[first]).status_code == 200
        (terminal,) = session.terminal_names(first)

        def typed(command: str, timeout: float = 600) -> str:
            status, shown = session.run_in_terminal(first, command, timeout, terminal=terminal)
            assert status == 0, f"{command}:\n{shown}"
            return shown

        # git protects a user from repositories another account owns on a shared folder (their
        # hooks and config would run as the user): it refuses until the user trusts the team's
        # repositories, as its own message says.
        status, shown = session.run_in_terminal(
            first, f"git ls-remote {TEMPLATE_REPO}", terminal=terminal
        )
        assert status != 0, shown
        assert "dubious ownership" in shown, shown
        assert f"git config --global --add safe.directory {TEMPLATE_REPO}" in shown, shown
        typed(
            f"git config --global --add safe.directory {TEMPLATE_REPO}"
            f" && git config --global --add safe.directory {TEAM_REPO}"
            " && git config --global user.name 'Carol Data'"
            " && git config --global user.email erin@example.org"
        )
        typed(
            f"cookiecutter --no-input file://{TEMPLATE_REPO} project_name='Churn Model'"
            f" package_index_url={mirror_url} dvc_remote={DVC_REMOTE}"
        )
        shown = typed(f"cd ~/{PROJECT} && make setup && make kernel && make repro")
        assert f"Installed kernelspec {PROJECT}" in shown, shown
        page.screenshot(path=shots / "first-day-03-make-setup-kernel-repro.png")

        # The kernel list is read when JupyterLab loads: open the notebook in a fresh page load.
        page.goto(f"{stack.https_url}/user/{first}/lab/tree/{NOTEBOOK}")
        kernel = page.locator(
            ".jp-NotebookPanel-toolbar .jp-KernelName, .jp-Toolbar-kernelName"
        ).first
        expect(kernel).to_have_text(f"{PROJECT} (.venv)", timeout=120_000)
        expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle")).to_be_visible(
            timeout=120_000
        )
        code_cells = count_code_cells(session, first)
        run_all_cells(page, code_cells)
        expect(
            page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        ).to_have_count(0)
        save_notebook(page)
        page.screenshot(path=shots / "first-day-04-notebook-run.png")
        sessions = session.user_get(first, "/api/sessions").json()
        assert [s["kernel"]["name"] for s in sessions if s["path"] == NOTEBOOK] == [PROJECT]

        commit_everything_from_the_git_sidebar(page, "Churn model from the team's template")
        page.screenshot(path=shots / "first-day-05-git-commit.png")
        shown = typed(
            f"cd ~/{PROJECT} && git --no-pager log --format=%s && git status --porcelain | wc -l"
            f" && git remote add origin {TEAM_REPO} && git push -u origin main"
            " && .venv/bin/dvc push"
        )
        assert "Churn model from the team's template" in shown, shown
        # The nbstripout filter that `make setup` set: git stores the notebook without outputs.
        typed(
            f"cd ~/{PROJECT} && ! git show HEAD:{NOTEBOOK.split('/', 1)[1]} | grep -q output_type"
        )
        assert re.search(r"\d+ files? pushed", shown), shown
        page.screenshot(path=shots / "first-day-06-push.png")

        # The second data scientist: a clone of the team's repository, the data from the remote.
        page = new_page(browser)
        log_in_and_choose_image(
            page,
            stack.https_url,
            second,
            slapd.passwords[second],
            MIRROR_CHOICE,
            shots,
            "first-day-07",
        )
        colleague = HubSession(stack.https_url, stack.ca_file)
        assert colleague.login(second, slapd.passwords[second]).status_code == 200
        status, shown = colleague.run_in_terminal(
            second,
            f"git config --global --add safe.directory {TEAM_REPO}"
            f" && git clone {TEAM_REPO} && cd {PROJECT} && make setup && .venv/bin/dvc pull",
            timeout=600,
        )
        assert status == 0, shown
        status, shown = colleague.run_in_terminal(second, f"cd {PROJECT} && .venv/bin/dvc repro")
        assert status == 0, shown
        assert "Data and pipelines are up to date." in shown, shown
        assert "Running stage" not in shown, shown
        page.screenshot(path=shots / "first-day-08-second-user.png")


def count_code_cells(session, user) -> int:
    model = session.user_get(user, f"/api/contents/{NOTEBOOK}").json()
    return sum(cell["cell_type"] == "code" for cell in model["content"]["cells"])
