"""End to end: LDAP users log in through nginx over TLS and use JupyterLab; the hub restarts.

Real slapd (StartTLS), PostgreSQL, JupyterHub from platform/hub/jupyterhub_config.py (local
spawner) and nginx from platform/nginx/, all on 127.0.0.1. Tests run in file order: later ones
use alice's server.
"""

import pytest

from harness.hub_client import HubSession, direct_session

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def alice(proxy, slapd):
    session = HubSession(proxy.https_url, proxy.ca_file)
    response = session.login(slapd.member, slapd.passwords[slapd.member])
    assert response.status_code == 200, response.text[-500:]
    return session


def test_http_is_redirected_to_https(proxy):
    response = direct_session().get(
        f"{proxy.http_url}/hub/login", allow_redirects=False, timeout=10
    )
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1")


def test_https_sends_hsts(proxy):
    response = direct_session(proxy.ca_file).get(f"{proxy.https_url}/hub/login", timeout=10)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_member_of_the_group_logs_in_and_reaches_jupyterlab(alice, proxy, slapd):
    model = alice.wait_until_ready()
    assert model["name"] == slapd.member
    assert not model["admin"]
    lab = alice.user_get(slapd.member, "/lab")
    assert lab.status_code == 200
    # Every redirect of the OAuth dance stayed behind nginx.
    assert lab.url.startswith(proxy.https_url)
    assert "JupyterLab" in lab.text


@pytest.mark.parametrize("who", ["wrong password", "outside the group", "unknown user"])
def test_login_is_refused(proxy, slapd, who):
    username, password = {
        "wrong password": (slapd.member, "not-the-password"),
        "outside the group": (slapd.outsider, slapd.passwords[slapd.outsider]),
        "unknown user": ("mallory", "whatever-1"),
    }[who]
    session = HubSession(proxy.https_url, proxy.ca_file)
    response = session.login(username, password)
    assert response.status_code == 403
    assert "Invalid username or password" in response.text
    assert session.http.get(session.url("/hub/api/user"), timeout=10).status_code == 403


def test_admin_group_member_is_a_hub_admin(proxy, slapd):
    session = HubSession(proxy.https_url, proxy.ca_file)
    assert session.login(slapd.admin, slapd.passwords[slapd.admin]).status_code == 200
    assert session.own_model()["admin"] is True
    session.http.delete(  # no server needed for carol
        f"{proxy.https_url}/hub/api/users/{slapd.admin}/server",
        headers={"Referer": f"{proxy.https_url}/hub/"},
        timeout=30,
    )


def test_home_folder_is_private(alice, hub, slapd):
    home = hub.folder / "homes" / slapd.member
    assert home.is_dir()
    assert oct(home.stat().st_mode & 0o777) == "0o700"


def test_git_server_extension_answers(alice, proxy, slapd):
    settings = alice.user_get(slapd.member, "/git/settings")
    assert settings.status_code == 200, settings.text[:300]
    assert settings.json()["serverVersion"] == "0.55.0"
    assert settings.json()["gitVersion"]


def test_a_kernel_runs_code_over_wss(alice, proxy, slapd):
    printed = alice.run_code(slapd.member, "print(6 * 7)")
    assert printed == "42\n"


def test_a_large_upload_passes_nginx_and_lands_in_the_home_folder(alice, hub, proxy, slapd):
    # nginx's default client_max_body_size (1 MB) would answer 413 here.
    contents = f"{proxy.https_url}/user/{slapd.member}/api/contents"
    headers = alice.user_xsrf(slapd.member)
    body = {"type": "file", "format": "text", "content": "x" * 20_000_000}
    response = alice.http.put(f"{contents}/upload.txt", json=body, headers=headers, timeout=120)
    assert response.status_code == 201, response.text[:300]
    assert (hub.folder / "homes" / slapd.member / "upload.txt").stat().st_size == 20_000_000


def test_hub_restart_keeps_users_and_their_running_servers(alice, hub, proxy, slapd):
    before = alice.wait_until_ready()
    hub.stop()
    assert alice.http.get(alice.url("/hub/api"), timeout=10).status_code == 502  # hub is down
    hub.start()
    after = alice.wait_until_ready(timeout=60)  # the same login cookie still works
    assert after["name"] == slapd.member
    assert after["servers"][""]["started"] == before["servers"][""]["started"]  # not restarted
    assert alice.run_code(slapd.member, "print('still here')") == "still here\n"


def set_cookie_headers(response) -> list[str]:
    """Every Set-Cookie header of a response and of the redirects that led to it."""
    return [
        header
        for step in (*response.history, response)
        for header in step.raw.headers.getlist("Set-Cookie")
    ]


def test_every_cookie_is_secure_and_httponly(alice, proxy, slapd):
    """Through nginx the hub and the user's server see plain HTTP from configurable-http-proxy:
    only the public URL tells them the browser uses HTTPS. `_xsrf` is HttpOnly-free by design:
    JupyterLab's JavaScript reads it to send it back in a header. Deletions (an empty value)
    carry nothing to protect.
    """
    session = HubSession(proxy.https_url, proxy.ca_file)
    response = session.login(slapd.member, slapd.passwords[slapd.member])
    assert response.status_code == 200
    lab = session.user_get(slapd.member, "/lab")
    logout = session.http.get(session.url("/hub/logout"), timeout=30)
    cookies = set_cookie_headers(response) + set_cookie_headers(lab) + set_cookie_headers(logout)
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"jupyterhub-session-id", "jupyterhub-hub-login", "_xsrf"} <= names, names
    assert any(name.startswith("jupyterhub-user-") for name in names), names
    for cookie in cookies:
        if cookie.split(";")[0].split("=", 1)[1] in ("", '""'):
            continue
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert "secure" in attributes, cookie
        if not cookie.startswith("_xsrf="):
            assert "httponly" in attributes, cookie
