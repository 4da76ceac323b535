"""nginx from platform/nginx/ (real, Debian's) in front of a stand-in hub that counts requests:
only strong TLS suites, no forged Host reaches the hub or a redirect, the redirect keeps the port,
HTTP/2, no version in headers, and login attempts are rate-limited.

Its own nginx and upstream, not the session's proxy: the rate-limit test exhausts the login
bucket of 127.0.0.1.
"""

import re
import socket
import ssl
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
import requests

from harness.hub_client import direct_session
from harness.nginx import run_nginx
from harness.stand_in_upstream import run_stand_in_upstream

pytestmark = pytest.mark.e2e

# TLS 1.2: ECDHE key exchange (forward secrecy) with an AEAD cipher; TLS 1.3 suites are all AEAD.
STRONG_TLS12 = re.compile(r"ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)")
STRONG_TLS13 = re.compile(r"TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)")


@pytest.fixture(scope="module")
def upstream():
    yield from run_stand_in_upstream()


@pytest.fixture(scope="module")
def nginx(upstream, test_ca):
    yield from run_nginx(test_ca, upstream=upstream.address)


def test_tls_scan_finds_only_forward_secret_aead_suites(nginx):
    scan = subprocess.run(
        [
            "sslscan",
            "--no-colour",
            "--xml=-",
            "--no-heartbleed",
            "--no-compression",
            "--no-renegotiation",
            "--no-fallback",
            "--no-groups",
            f"127.0.0.1:{nginx.https_port}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    report = ElementTree.fromstring(scan.stdout[scan.stdout.index("<?xml") :])
    accepted = [
        (cipher.get("sslversion"), cipher.get("cipher"))
        for cipher in report.iter("cipher")
        if cipher.get("status") in ("accepted", "preferred")
    ]
    assert accepted, scan.stdout
    versions = {version for version, _ in accepted}
    assert versions == {"TLSv1.2", "TLSv1.3"}, accepted
    weak = [
        (version, name)
        for version, name in accepted
        if not (STRONG_TLS12 if version == "TLSv1.2" else STRONG_TLS13).fullmatch(name)
    ]
    assert weak == [], f"suites without forward secrecy or AEAD: {weak}"


def test_http_redirects_to_the_public_url_with_its_port(nginx):
    response = direct_session().get(f"{nginx.http_url}/hub/login?next=x", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"{nginx.https_url}/hub/login?next=x"


def test_a_forged_host_is_refused_on_both_ports(nginx, upstream):
    before = list(upstream.requests)
    with pytest.raises(requests.ConnectionError):  # port 80: connection closed, no redirect
        direct_session().get(
            f"{nginx.http_url}/hub/login",
            headers={"Host": "evil.example"},
            timeout=10,
            allow_redirects=False,
        )
    forged = direct_session(nginx.ca_file).get(
        f"{nginx.https_url}/hub/login", headers={"Host": "evil.example"}, timeout=10
    )
    assert forged.status_code == 421
    assert upstream.requests == before  # nothing reached the hub
    genuine = direct_session(nginx.ca_file).get(f"{nginx.https_url}/hub/api", timeout=10)
    assert genuine.status_code == 200
    assert upstream.requests[-1].endswith(" /hub/api")


def test_https_speaks_http2_and_hides_the_nginx_version(nginx):
    context = ssl.create_default_context(cafile=str(nginx.ca_file))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", nginx.https_port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
    response = direct_session(nginx.ca_file).get(f"{nginx.https_url}/missing", timeout=10)
    assert response.headers["Server"] == "nginx"


def test_login_attempts_are_rate_limited_per_client(nginx):
    session = direct_session(nginx.ca_file)
    statuses = [
        session.get(f"{nginx.https_url}/hub/login", timeout=10).status_code for _ in range(60)
    ]
    assert statuses[:30] == [200] * 30  # the burst
    assert 429 in statuses[30:]
    assert session.get(f"{nginx.https_url}/hub/api", timeout=10).status_code == 200  # not limited
