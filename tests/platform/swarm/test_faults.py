"""The faults the platform must survive on Swarm: a user's container killed, the hub restarted, the
database restarted, an image that cannot start, and idle servers (the culler).
"""

import time

import pytest

from harness.hub_client import HubSession
from harness.stack import BASE_CHOICE

pytestmark = pytest.mark.swarm


@pytest.fixture(scope="module")
def alice(platform_stack, slapd):
    session = HubSession(platform_stack.https_url, platform_stack.ca_file)
    assert session.login(slapd.member, slapd.passwords[slapd.member]).status_code == 200
    session.user = slapd.member
    return session


def ensure_server(session: HubSession, image: str = BASE_CHOICE):
    if not session.server_ready(session.user):
        session.wait_until_stopped(session.user)
        assert session.request_spawn(session.user, image).status_code == 302
        result = session.wait_for_server(session.user)
        assert result.ready, result.message


def test_a_killed_container_is_noticed_and_the_user_starts_again_with_their_files(
    alice, platform_stack
):
    ensure_server(alice)
    assert alice.user_put_file(alice.user, "survives.txt", "still here").status_code in (200, 201)
    service = f"jupyter-{alice.user}"
    killed = platform_stack.container_id(service)
    platform_stack.docker("kill", killed)

    # Either Swarm restarts the task (the service's restart policy) or the hub sees the server gone
    # and the user starts it again: both must end with a working server in a new container, the
    # files intact.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        current = platform_stack.container_id(service)
        if not alice.user_model(alice.user).get("servers", {}).get(""):
            ensure_server(alice)
            break
        if (
            current
            and current != killed
            and alice.user_get(alice.user, "/api/status").status_code == 200
        ):
            break
        time.sleep(1)
    assert platform_stack.container_id(service) not in ("", killed)
    content = alice.user_get(alice.user, "/api/contents/survives.txt")
    assert content.status_code == 200
    assert content.json()["content"] == "still here"


def test_a_hub_restart_keeps_users_and_running_servers(alice, platform_stack):
    ensure_server(alice)
    started = alice.user_model(alice.user)["servers"][""]["started"]
    notebook = platform_stack.container_id(f"jupyter-{alice.user}")
    hub = platform_stack.container_id("hub")

    platform_stack.update("hub", "--force")
    platform_stack.wait_hub(previous_container=hub)

    # The same login cookie works.
    assert alice.user_model(alice.user)["servers"][""]["started"] == started
    assert platform_stack.container_id(f"jupyter-{alice.user}") == notebook  # not restarted
    printed = alice.run_code(alice.user, "print('alive')")
    assert printed == "alive\n"


def test_the_hub_recovers_from_a_database_restart(alice, platform_stack, slapd):
    ensure_server(alice)
    db = platform_stack.container_id("db")
    platform_stack.update("db", "--force")
    platform_stack.wait_healthy(services=("db",), exclude={"db": db}, timeout=120)

    deadline = time.monotonic() + 90
    while alice.hub_api("GET", "/user").status_code != 200:
        assert time.monotonic() < deadline, (
            "the hub did not answer again after the database restart"
        )
        time.sleep(1)
    fresh = HubSession(platform_stack.https_url, platform_stack.ca_file)
    assert fresh.login(slapd.member, slapd.passwords[slapd.member]).status_code == 200
    assert fresh.server_ready(slapd.member)


def test_an_image_that_cannot_start_fails_clearly_within_the_spawn_timeout(alice, platform_stack):
    menu = '{"Base": "mlops/notebook-base:0.1.0", "Missing": "mlops/notebook-missing:0.0.0"}'
    hub = platform_stack.container_id("hub")
    platform_stack.update(
        "hub", "--env-add", f"NOTEBOOK_IMAGES={menu}", "--env-add", "SPAWN_TIMEOUT=30"
    )
    try:
        platform_stack.wait_hub(previous_container=hub)
        if alice.user_model(alice.user).get("servers", {}).get(""):
            alice.hub_api("DELETE", f"/users/{alice.user}/server")
            alice.wait_until_stopped(alice.user)
        started = time.monotonic()
        requested = alice.request_spawn(alice.user, "Missing")
        # It fails at once (the hub inspects the image for its command): the form page reports an
        # error starting the server, and the progress stream (what the spawn-pending page shows)
        # gives the reason.
        assert requested.status_code in (302, 500), requested.status_code
        result = alice.wait_for_server(alice.user, timeout=90)
        assert result.failed
        assert not result.ready
        assert time.monotonic() - started < 30 + 15, f"took {time.monotonic() - started:.0f} s"
        assert "No such image: mlops/notebook-missing:0.0.0" in result.message, result.message
        assert platform_stack.resolve(f"jupyter-{alice.user}") not in platform_stack.service_names()
    finally:
        hub = platform_stack.container_id("hub")
        platform_stack.docker("service", "rollback", "--detach", "jupyterhub_hub")
        platform_stack.wait_hub(previous_container=hub)


def test_the_idle_culler_removes_an_idle_users_service(alice, platform_stack):
    hub = platform_stack.container_id("hub")
    platform_stack.update("hub", "--env-add", "CULL_TIMEOUT=20", "--env-add", "CULL_EVERY=5")
    try:
        platform_stack.wait_hub(previous_container=hub)
        ensure_server(alice)
        service = platform_stack.resolve(f"jupyter-{alice.user}")  # jupyter-alice-<spawn id>
        deadline = time.monotonic() + 120
        while service in platform_stack.service_names():
            assert time.monotonic() < deadline, "the idle server's service was not removed"
            time.sleep(2)
        assert not alice.user_model(alice.user).get("servers", {}).get("")
    finally:
        hub = platform_stack.container_id("hub")
        platform_stack.docker("service", "rollback", "--detach", "jupyterhub_hub")
        platform_stack.wait_hub(previous_container=hub)
