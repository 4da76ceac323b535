"""End to end: the idle culler, a hub service with a least-privilege role, stops an idle server.

A second hub (own database, CULL_TIMEOUT=10 s) so the main hub's servers are never culled mid-test.
"""

import time

import pytest

from tests.platform.conftest import ldap_env, running_hub
from tests.platform.services.hub_client import login, wait_for_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def culling_hub(postgres, slapd, artifacts_dir):
    env = {**ldap_env(slapd), "CULL_TIMEOUT": "10", "CULL_EVERY": "2"}
    yield from running_hub(postgres, "jupyterhub_culler", env, artifacts_dir)


def test_idle_server_is_stopped(culling_hub, slapd, test_ca):
    user = slapd.member
    session, response = login(culling_hub.url, user, slapd.passwords[user], test_ca.cert)
    assert response.status_code == 200
    started = wait_for_server(session, culling_hub.url)["servers"][""]["started"]
    assert culling_hub.server_pids()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        model = session.get(f"{culling_hub.url}/hub/api/user", timeout=10).json()
        if "" not in model["servers"]:
            break
        time.sleep(1)
    else:
        pytest.fail(f"the server started at {started} was still running after 60 s")
    assert f"Culling server {user}" in culling_hub.log_text()
    assert culling_hub.server_pids() == []
