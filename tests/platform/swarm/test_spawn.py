"""An LDAP user logs in through nginx, picks an image from the menu and gets a Swarm service running
JupyterLab with the git extension, their own folder at /home/jovyan and the shared folder at
/home/jovyan/shared.
"""

import json
import re

import pytest

from harness.hub_client import HubSession

pytestmark = pytest.mark.swarm

SCIPY = "SciPy: + numpy, pandas, scikit-learn, matplotlib"  # a display name of the hub's image menu


@pytest.fixture(scope="module")
def alice(platform_stack, slapd):
    """alice logged in, with a server started from the SciPy entry of the menu."""
    session = HubSession(platform_stack.https_url, platform_stack.ca_file)
    user = slapd.member
    assert session.login(user, slapd.passwords[user]).status_code == 200
    if session.user_model(user).get("servers", {}).get(""):  # left running by another test module
        session.hub_api("DELETE", f"/users/{user}/server")
        session.wait_until_stopped(user)
    session.menu = session.spawn_form(user)
    requested = session.request_spawn(user, SCIPY)
    assert requested.status_code == 302, requested.text[:500]
    result = session.wait_for_server(user)
    assert result.ready, f"spawn failed: {result.message}\n{platform_stack.logs('hub')[-3000:]}"
    session.user = user
    return session


def test_the_spawn_form_offers_the_image_menu(alice):
    options = re.findall(r'<option value="([^"]+)"', alice.menu)
    assert set(options) >= {SCIPY}
    assert len(options) >= 3


def test_the_user_server_is_a_swarm_service_of_the_chosen_image(alice, platform_stack):
    service = platform_stack.resolve(f"jupyter-{alice.user}")  # jupyter-alice-<spawn id>
    spec = json.loads(
        platform_stack.docker("service", "inspect", "--format", "{{json .Spec}}", service).stdout
    )
    assert (
        spec["TaskTemplate"]["ContainerSpec"]["Image"].split("@")[0] == "mlops/notebook-scipy:0.1.0"
    )
    assert [task["CurrentState"].split()[0] for task in platform_stack.tasks(service)][:1] == [
        "Running"
    ]


def test_jupyterlab_answers_with_the_git_extension(alice):
    lab = alice.user_get(alice.user, "/lab")
    assert lab.status_code == 200
    assert "JupyterLab" in lab.text
    settings = alice.user_get(alice.user, "/git/settings")
    assert settings.status_code == 200, settings.text[:300]
    assert settings.json()["serverVersion"] == "0.55.0"
    assert settings.json()["gitVersion"]


def test_the_extension_manager_lists_the_images_extensions_and_installs_none(alice):
    # An extension installed from it would land in the image's environment, gone at the next start.
    lab = alice.user_get(alice.user, "/lab")
    page_config = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', lab.text, re.S
    )
    manager = json.loads(page_config.group(1))["extensionManager"]
    assert manager["can_install"] is False, manager


def test_a_kernel_runs_code_over_wss(alice, platform_stack):
    printed = alice.run_code(alice.user, "import os; print(os.getcwd())")
    assert printed == "/home/jovyan\n"


def test_the_user_folder_is_mounted_at_home(alice, platform_stack):
    saved = alice.user_put_file(alice.user, "from-jupyterlab.txt", "hello from alice")
    assert saved.status_code in (200, 201), saved.text[:300]
    on_host = platform_stack.homes / alice.user / "from-jupyterlab.txt"
    assert on_host.read_text() == "hello from alice"
    assert (on_host.stat().st_uid, on_host.stat().st_gid) == (
        platform_stack.user_uid(alice.user),
        100,
    )


def test_the_shared_folder_is_mounted(alice, platform_stack):
    (platform_stack.shared / "team-notes.md").write_text("shared")
    listing = alice.user_get(alice.user, "/api/contents/shared")
    assert listing.status_code == 200, listing.text[:300]
    assert "team-notes.md" in {item["name"] for item in listing.json()["content"]}


def test_postgresql_holds_the_user_and_the_server(alice, platform_stack):
    rows = platform_stack.exec(
        "db",
        "psql",
        "-U",
        "jupyterhub",
        "-d",
        "jupyterhub",
        "-Atc",
        "select u.name from users u join spawners s on s.user_id = u.id"
        " where s.server_id is not null",
    ).stdout.split()
    assert alice.user in rows
