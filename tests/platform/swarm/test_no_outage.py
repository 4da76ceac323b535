"""Running users keep their connections while the platform changes: configurable-http-proxy is its
own service, so a hub restart leaves users' routes (and open kernel websockets) alone, and each
config and secret has its own version, so a new certificate restarts nginx only.
"""

import ssl
import time

import pytest
from cryptography import x509

from harness.stack import PORTS, logged_in_with_server
from harness.user_traffic import UserTraffic

pytestmark = pytest.mark.swarm


def containers(stack) -> dict:
    return {service: stack.container_id(service) for service in ("db", "hub", "chp", "proxy")}


def served_certificate_serial() -> int:
    pem = ssl.get_server_certificate(("127.0.0.1", PORTS["SWARM_TEST_PORT_HTTPS"]))
    return x509.load_pem_x509_certificate(pem.encode()).serial_number


def test_a_new_certificate_restarts_nginx_only(platform_stack, stack_secrets, test_ca):
    platform_stack.settle()  # other tests change services with `docker service update`
    before = containers(platform_stack)
    old_serial = served_certificate_serial()
    cert, key = test_ca.issue("swarm-proxy-renewed")
    (stack_secrets / "tls.crt").write_bytes(cert.read_bytes())
    (stack_secrets / "tls.key").write_bytes(key.read_bytes())
    platform_stack.deploy()
    platform_stack.wait_healthy(exclude={"proxy": before["proxy"]})
    after = containers(platform_stack)
    assert after["proxy"] != before["proxy"]
    assert {name: after[name] for name in ("db", "hub", "chp")} == {
        name: before[name] for name in ("db", "hub", "chp")
    }
    assert served_certificate_serial() != old_serial


def test_a_hub_restart_drops_no_websocket_and_no_request(platform_stack, slapd):
    session = logged_in_with_server(platform_stack, slapd.member, slapd.passwords[slapd.member])
    before = containers(platform_stack)
    traffic = UserTraffic(session, session.user)
    traffic.start()
    try:
        platform_stack.update("hub", "--force")
        platform_stack.wait_hub(previous_container=before["hub"])
        time.sleep(2)  # traffic through the new hub's routes, too
    finally:
        report = traffic.stop()
    after = containers(platform_stack)
    assert after["hub"] != before["hub"]
    assert {name: after[name] for name in ("db", "chp", "proxy")} == {
        name: before[name] for name in ("db", "chp", "proxy")
    }
    assert report.websocket_dropped == ""
    assert report.failed_requests == []
    assert report.requests > 10
    assert report.executions > 10
    # The new hub found the user's server: it still runs, and its route is still in CHP.
    assert session.server_ready(session.user)
