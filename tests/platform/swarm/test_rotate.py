"""`platform/deploy rotate NAME` on the session's stack: each generated secret gets a new value
and a new Docker secret name; users stay logged in except for the cookie secret, and the hub still
reaches the database (whose role's password changed too).

`rotate --no-deploy` writes the secret (and runs ALTER ROLE); the harness then deploys the stack as
`rotate` would, with the test overlay (`docker stack deploy`, each secret named by its hash).
"""

import pytest
import requests

from harness.hub_client import HubSession
from harness.stack import PORTS, deploy_tool_module, logged_in_with_server
from tests.platform.swarm.test_backup import deploy_tool

pytestmark = pytest.mark.swarm


def rotate(stack, tmp_path, secrets_dir, name: str) -> dict:
    """Rotate `name`, deploy, wait until every service is healthy; the containers before."""
    before = {service: stack.container_id(service) for service in ("db", "hub", "chp", "proxy")}
    result = deploy_tool(stack, tmp_path, secrets_dir, "rotate", name, "--no-deploy")
    assert result.returncode == 0, result.stderr
    assert f"rotate: new {name}" in result.stdout
    stack.deploy()
    stack.wait_hub(previous_container=before["hub"])
    stack.wait_healthy()
    return before


def secret_names(stack) -> set:
    return set(stack.docker("secret", "ls", "--format", "{{.Name}}").stdout.split())


def database_accepts(stack, password: str) -> bool:
    """A TCP login as the hub makes it (the local socket trusts everyone)."""
    container = stack.container_id("db")
    login = ["psql", "-h", "127.0.0.1", "-U", "jupyterhub", "-d", "jupyterhub", "-c", "select 1"]
    result = stack.docker("exec", "-e", f"PGPASSWORD={password}", container, *login, check=False)
    return result.returncode == 0


def chp_accepts(token: str) -> bool:
    routes = requests.get(
        f"http://127.0.0.1:{PORTS['SWARM_TEST_PORT_PROXY_API']}/api/routes",
        headers={"Authorization": f"token {token}"},
        timeout=10,
    )
    return routes.status_code == 200


def test_rotate_each_secret_keeps_users_logged_in_but_for_the_cookie_secret(
    platform_stack, slapd, stack_secrets, tmp_path
):
    stack = platform_stack
    session = logged_in_with_server(stack, slapd.member, slapd.passwords[slapd.member])

    old_password = (stack_secrets / "db_password").read_text().strip()
    rotate(stack, tmp_path, stack_secrets, "db_password")
    new_password = (stack_secrets / "db_password").read_text().strip()
    assert new_password != old_password
    version = deploy_tool_module().object_versions(stack_secrets)["DB_PASSWORD_VERSION"]
    assert f"jupyterhub_db_password_{version}" in secret_names(stack)
    assert stack.exec("hub", "cat", "/run/secrets/db_password").stdout.strip() == new_password
    assert database_accepts(stack, new_password)
    assert not database_accepts(stack, old_password)
    assert session.own_model()["name"] == session.user  # still logged in; the hub reads its db

    old_token = (stack_secrets / "proxy_token").read_text().strip()
    before = rotate(stack, tmp_path, stack_secrets, "proxy_token")
    assert stack.container_id("chp") != before["chp"]  # the hub and CHP change together
    assert chp_accepts((stack_secrets / "proxy_token").read_text().strip())
    assert not chp_accepts(old_token)
    assert session.own_model()["name"] == session.user
    # The new hub put the user's route back into the new CHP: the server answers, not the hub.
    status = session.user_get(session.user, "/api/status", allow_redirects=False)
    assert status.status_code == 200
    assert "kernels" in status.json()

    before = rotate(stack, tmp_path, stack_secrets, "cookie_secret")
    assert stack.container_id("chp") == before["chp"]
    logged_out = session.http.get(session.url("/hub/api/user"), timeout=30)
    assert logged_out.status_code == 403
    again = HubSession(stack.https_url, stack.ca_file)
    assert again.login(session.user, slapd.passwords[slapd.member], follow=False).status_code == 302
