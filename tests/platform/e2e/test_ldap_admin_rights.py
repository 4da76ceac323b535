"""Admin rights follow the LDAP admin group at every login: granted, and taken away again.

Real slapd and the session's hub (local spawner, LDAP login) behind nginx; logins stop at the
form's answer so no server is started.
"""

import pytest

from harness.hub_client import HubSession

pytestmark = pytest.mark.e2e


def log_in(proxy, slapd, username):
    session = HubSession(proxy.https_url, proxy.ca_file)
    response = session.login(username, slapd.passwords[username], follow=False)
    assert response.status_code == 302, response.text[-300:]
    return session.http


def test_a_user_removed_from_the_admin_group_loses_admin_rights_at_the_next_login(proxy, slapd):
    user = slapd.spare_member
    users_api = f"{proxy.https_url}/hub/api/users"
    assert log_in(proxy, slapd, user).get(users_api, timeout=10).status_code == 403
    slapd.set_group_member(slapd.admin_group_dn, user, member=True)
    try:
        promoted = log_in(proxy, slapd, user)
        assert promoted.get(f"{proxy.https_url}/hub/api/user", timeout=10).json()["admin"] is True
        assert promoted.get(users_api, timeout=10).status_code == 200
    finally:
        slapd.set_group_member(slapd.admin_group_dn, user, member=False)
    demoted = log_in(proxy, slapd, user)
    assert demoted.get(f"{proxy.https_url}/hub/api/user", timeout=10).json()["admin"] is False
    assert demoted.get(users_api, timeout=10).status_code == 403
    # The session cookie from the time it was an admin no longer opens the admin API either.
    assert promoted.get(users_api, timeout=10).status_code == 403
