"""End to end: the idle culler, a hub service with a least-privilege role, stops an idle server.

A second hub (own database, CULL_TIMEOUT=10 s) so the main hub's servers are never culled mid-test.
"""

import time

import pytest

from harness.hub import ldap_env, running_hub
from harness.hub_client import HubSession

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def culling_hub(postgres, slapd, artifacts_dir):
    env = {**ldap_env(slapd), "CULL_TIMEOUT": "10", "CULL_EVERY": "2"}
    yield from running_hub(postgres, "jupyterhub_culler", env, artifacts_dir)


def test_idle_server_is_stopped(culling_hub, slapd, test_ca):
    user = slapd.member
    session = HubSession(culling_hub.url, test_ca.cert)
    assert session.login(user, slapd.passwords[user]).status_code == 200
    started = session.wait_until_ready()["servers"][""]["started"]
    assert culling_hub.server_pids()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        model = session.own_model()
        if "" not in model["servers"]:
            break
        time.sleep(1)
    else:
        pytest.fail(f"the server started at {started} was still running after 60 s")
    assert f"Culling server {user}" in culling_hub.log_text()
    assert culling_hub.server_pids() == []
