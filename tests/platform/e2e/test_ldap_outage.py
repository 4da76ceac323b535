"""An LDAP server that accepts connections and never answers does not freeze the hub.

A real hub (local spawner) logs in against the real slapd through a relay that, on demand, accepts
connections and never answers them. While one login hangs there, /hub/health answers at once and
another user logs in; the hung login fails after LDAP_TIMEOUT seconds with a clear message.
"""

import threading
import time

import pytest

from harness.hub import ldap_env, running_hub
from harness.hub_client import HubSession, direct_session
from harness.stalling_relay import run_stalling_relay

pytestmark = pytest.mark.e2e

LDAP_TIMEOUT = 5


@pytest.fixture(scope="module")
def relay(slapd):
    yield from run_stalling_relay(slapd.port)


@pytest.fixture(scope="module")
def hub_behind_relay(postgres, slapd, relay, artifacts_dir):
    env = {**ldap_env(slapd), "LDAP_PORT": str(relay.port), "LDAP_TIMEOUT": str(LDAP_TIMEOUT)}
    yield from running_hub(postgres, "jupyterhub_ldap_outage", env, artifacts_dir)


def test_a_silent_ldap_server_blocks_only_the_logins_waiting_for_it(hub_behind_relay, relay, slapd):
    hub = hub_behind_relay
    hung = {}

    def hung_login():
        started = time.monotonic()
        response = HubSession(hub.url).login(
            slapd.admin, slapd.passwords[slapd.admin], follow=False, timeout=60
        )
        hung.update(response=response, seconds=time.monotonic() - started)

    relay.stalling = True
    waiting = threading.Thread(target=hung_login)
    waiting.start()
    try:
        relay.wait_for_stalled()  # the hub is now inside the login that will never be answered
        relay.stalling = False

        health = direct_session().get(f"{hub.url}/hub/health", timeout=2)
        assert health.status_code == 200
        assert health.elapsed.total_seconds() < 1

        other = HubSession(hub.url).login(slapd.member, slapd.passwords[slapd.member], follow=False)
        assert other.status_code == 302, other.text[-300:]
        assert waiting.is_alive(), "the other login finished after the hung one, not meanwhile"
    finally:
        relay.stalling = False
        waiting.join(90)

    response = hung["response"]
    assert response.status_code == 503
    assert f"did not answer within {LDAP_TIMEOUT} seconds" in response.text
    assert LDAP_TIMEOUT <= hung["seconds"] < 3 * LDAP_TIMEOUT
