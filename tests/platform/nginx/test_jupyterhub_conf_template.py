"""platform/nginx: the rendered site passes `nginx -t` and has what JupyterHub needs."""

import pytest

from harness.nginx import TEMPLATE, nginx_test, render_site, write_nginx_prefix
from harness.tls import make_test_ca


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_test_ca(tmp_path_factory.mktemp("ca")).issue("proxy")


def site_values(certificate):
    cert, key = certificate
    return {
        "SERVER_NAME": "localhost",
        "PUBLIC_URL": "https://localhost:8443",
        "HTTP_PORT": "8080",
        "HTTPS_PORT": "8443",
        "HUB_UPSTREAM": "127.0.0.1:8000",
        "TLS_CERT": str(cert),
        "TLS_KEY": str(key),
    }


def test_rendered_config_passes_nginx_t(tmp_path, certificate):
    conf = write_nginx_prefix(tmp_path, render_site(site_values(certificate)))
    result = nginx_test(tmp_path, conf)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_t_fails_on_a_missing_certificate(tmp_path, certificate):
    values = {**site_values(certificate), "TLS_CERT": str(tmp_path / "missing.crt")}
    conf = write_nginx_prefix(tmp_path, render_site(values))
    result = nginx_test(tmp_path, conf)
    assert result.returncode != 0
    assert "missing.crt" in result.stderr


def test_render_refuses_missing_values(certificate):
    values = {**site_values(certificate), "HUB_UPSTREAM": ""}
    with pytest.raises(ValueError, match="no value for HUB_UPSTREAM"):
        render_site(values)


def test_template_has_what_a_jupyterhub_proxy_needs():
    lines = [line.split("#")[0] for line in TEMPLATE.read_text().splitlines()]  # no comments
    text = " ".join(" ".join(lines).split())
    for directive in [
        "return 301 ${PUBLIC_URL}$request_uri;",
        "listen ${HTTPS_PORT} ssl http2;",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;',
        "map $http_upgrade $connection_upgrade {",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "client_max_body_size 512m;",
        "proxy_read_timeout 86400s;",
    ]:
        assert directive in text, directive
    assert "ssl on;" not in text
    assert "http2 on;" not in text
