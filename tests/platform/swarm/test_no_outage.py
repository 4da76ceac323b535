"""Running users keep their connections while the platform changes: configurable-http-proxy is its
own service, so a hub restart leaves users' routes (and open kernel websockets) alone, and nginx
reads its certificate from a folder of its node, so a new certificate is a reload, not a restart.
"""

import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509

from harness.stack import PORTS, STACK, logged_in_with_server
from harness.user_traffic import UserTraffic

DEPLOY = Path(__file__).resolve().parents[3] / "platform" / "deploy"

pytestmark = pytest.mark.swarm


def containers(stack) -> dict:
    return {service: stack.container_id(service) for service in ("db", "hub", "chp", "proxy")}


def served_certificate_serial() -> int:
    pem = ssl.get_server_certificate(("127.0.0.1", PORTS["SWARM_TEST_PORT_HTTPS"]))
    return x509.load_pem_x509_certificate(pem.encode()).serial_number


def certificate_serial(path) -> int:
    return x509.load_pem_x509_certificate(path.read_bytes()).serial_number


def wait_served(serial: int, timeout: float = 10) -> bool:
    """nginx's master reloads after `nginx -s reload` returns: a new handshake soon shows it."""
    deadline = time.monotonic() + timeout
    while served_certificate_serial() != serial:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def renew_cert(stack, secrets_dir, folder, cert, key):
    """`platform/deploy renew-cert CERT KEY` as an operator runs it on the proxy's manager."""
    env_file = folder / "platform.env"
    env_file.write_text(
        f"STACK_NAME={STACK}\nSERVER_NAME={stack.env['SERVER_NAME']}\nTLS_DIR={stack.env['TLS_DIR']}\n"
    )
    command = [sys.executable, str(DEPLOY), "--env-file", str(env_file)]
    command += ["--secrets-dir", str(secrets_dir), "renew-cert", str(cert), str(key)]
    return subprocess.run(command, env=stack.engine.env(), capture_output=True, text=True)


def test_a_new_certificate_drops_no_websocket_and_no_request(
    platform_stack, stack_secrets, test_ca, slapd, tmp_path
):
    """The certificate lives in TLS_DIR on nginx's node: renew-cert swaps it and reloads the
    running nginx (no new task), whose old workers finish their connections."""
    platform_stack.wait_healthy()
    session = logged_in_with_server(platform_stack, slapd.member, slapd.passwords[slapd.member])
    before = containers(platform_stack)
    cert, key = test_ca.issue("swarm-proxy-renewed")
    traffic = UserTraffic(session, session.user)
    traffic.start()
    try:
        result = renew_cert(platform_stack, stack_secrets, tmp_path, cert, key)
        assert result.returncode == 0, result.stderr
        assert wait_served(certificate_serial(cert))
        time.sleep(2)  # traffic through the reloaded nginx, too
    finally:
        report = traffic.stop()
    assert "renew-cert: nginx serves the new certificate" in result.stdout
    assert containers(platform_stack) == before  # nothing restarted, nginx included
    assert report.websocket_dropped == ""
    assert report.failed_requests == []
    assert report.requests > 5
    assert (stack_secrets / "tls.crt").read_bytes() == cert.read_bytes()


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
