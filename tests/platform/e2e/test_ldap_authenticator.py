"""The hub's authenticator, built by the real config file, against the real slapd (in-process:
no hub needed to see what a login returns).
"""

import asyncio

import pytest

from harness.hub import ldap_env
from harness.hub_env import load_hub_config, secret_env, write_secret

pytestmark = pytest.mark.e2e


def authenticator(monkeypatch, tmp_path, env):
    app = load_hub_config(monkeypatch, {**secret_env(tmp_path), "HUB_DB_URL": "sqlite://", **env})
    return app.config.JupyterHub.authenticator_class(config=app.config)


def log_in(auth, username, password):
    data = {"username": username, "password": password}
    return asyncio.run(auth.get_authenticated_user(None, data))


def test_admin_users_setting_grants_admin_and_everyone_else_is_told_not_admin(
    monkeypatch, tmp_path, slapd
):
    env = {**ldap_env(slapd), "HUB_ADMIN_USERS": slapd.member}
    auth = authenticator(monkeypatch, tmp_path, env)
    assert log_in(auth, slapd.member, slapd.passwords[slapd.member])["admin"] is True
    # False, not None: None would leave an earlier admin flag in the hub's database untouched.
    assert log_in(auth, slapd.spare_member, slapd.passwords[slapd.spare_member])["admin"] is False
    assert log_in(auth, slapd.admin, slapd.passwords[slapd.admin])["admin"] is True  # by group


def test_search_then_bind_with_a_service_account(monkeypatch, tmp_path, slapd):
    """Active Directory style: find the user's DN with a service account, then bind as the user.
    The test slapd refuses anonymous searches, so only the service account's password makes this
    work.
    """
    lookup = {
        **ldap_env(slapd),
        "LDAP_BIND_DN_TEMPLATE": "",
        "LDAP_LOOKUP_DN": "true",
        "LDAP_USER_SEARCH_BASE": f"ou=people,{slapd.base_dn}",
        "LDAP_USER_ATTRIBUTE": "uid",
        "LDAP_SEARCH_USER": slapd.search_dn,
        "LDAP_SEARCH_PASSWORD_FILE": write_secret(tmp_path / "search", slapd.search_password),
    }
    auth = authenticator(monkeypatch, tmp_path, lookup)
    user = log_in(auth, slapd.member, slapd.passwords[slapd.member])
    assert user["name"] == slapd.member
    assert user["auth_state"]["ldap_groups"] == [slapd.group_dn]
    assert log_in(auth, slapd.member, "not-the-password") is None

    wrong = {**lookup, "LDAP_SEARCH_PASSWORD_FILE": write_secret(tmp_path / "bad", "nope-nope")}
    assert (
        log_in(
            authenticator(monkeypatch, tmp_path, wrong), slapd.member, slapd.passwords[slapd.member]
        )
        is None
    )
