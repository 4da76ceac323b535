"""Real services for the platform's end-to-end tests: 127.0.0.1, free ports, stopped by PID.

Started only when a test asks for them, once, and stopped after the last test of tests/platform/
(package scope): the tests that follow (template, tools) do not share the machine with them.
  test_ca   a throw-away certificate authority (harness.tls.TestCA)
  postgres  PostgreSQL from Debian's binaries, private data folder
            (harness.postgres.PostgresServer)
  slapd     OpenLDAP requiring StartTLS; users alice (in the allowed group), carol (admin group),
            bob (no group) (harness.slapd.LdapServer: host, port, url, ca_file, base_dn,
            bind_dn_template, passwords, group_dn, admin_group_dn, member, admin, outsider)
  hub       JupyterHub from platform/hub/jupyterhub_config.py: local spawner, LDAP login,
            PostgreSQL state (harness.hub.HubProcess)
  proxy     nginx from platform/nginx/ in front of the hub, certificate from test_ca
            (harness.nginx.Proxy), on the ports of `proxy_ports` (chosen first: the hub's
            public URL names them)
"""

import secrets

import pytest

from harness.hub import ldap_env, running_hub
from harness.hub_env import write_secret
from harness.nginx import ProxyPorts, run_nginx
from harness.postgres import run_postgres
from harness.slapd import run_slapd
from harness.tls import make_test_ca


@pytest.fixture(scope="package")
def test_ca(tmp_path_factory):
    return make_test_ca(tmp_path_factory.mktemp("test-ca"))


@pytest.fixture(scope="package")
def postgres():
    yield from run_postgres()


@pytest.fixture(scope="package")
def slapd(test_ca):
    yield from run_slapd(test_ca)


@pytest.fixture(scope="package")
def proxy_ports():
    return ProxyPorts.free()


@pytest.fixture(scope="package")
def hub(postgres, slapd, proxy_ports, artifacts_dir, tmp_path_factory):
    """The session's hub (local spawner, LDAP). Its monitoring token is `hub.metrics_token`."""
    token_file = tmp_path_factory.mktemp("hub-metrics") / "metrics_token"
    env = {
        **ldap_env(slapd),
        "CULL_TIMEOUT": "3600",
        "HUB_PUBLIC_URL": proxy_ports.https_url,
        "HUB_METRICS_TOKEN_FILE": write_secret(token_file, secrets.token_hex(32)),
    }
    for hub in running_hub(postgres, "jupyterhub", env, artifacts_dir):
        hub.metrics_token = token_file.read_text().strip()
        yield hub


@pytest.fixture(scope="package")
def proxy(hub, test_ca, proxy_ports):
    yield from run_nginx(test_ca, upstream=hub.url.removeprefix("http://"), ports=proxy_ports)
