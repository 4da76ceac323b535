"""An upgrade in one deploy, and `platform/deploy rollback`, on the session's stack.

The upgrade: the database schema one revision behind the hub (as after a new JupyterHub release),
then a deploy with a new hub image tag and a changed setting: the hub migrates the schema at start
(HUB_UPGRADE_DB, on by default) and users' records are kept. The rollback returns every service to
its spec of the previous deploy; the services the upgrade did not change are not restarted.
"""

import pytest

from harness.hub_client import HubSession
from harness.stack import LOCAL_HUB_IMAGE, STACK
from tests.platform.swarm.test_backup import deploy_tool, users

pytestmark = pytest.mark.swarm

NEW_HUB_IMAGE = "mlops/jupyterhub:upgrade-test"  # the same image under a new tag


def schema_revision(stack) -> str:
    query = "select version_num from alembic_version"
    return stack.exec("db", "psql", "-U", "jupyterhub", "-d", "jupyterhub", "-Atc", query).stdout


def hub_spec(stack) -> tuple[str, str]:
    """The hub service's image (without digest) and its CULL_TIMEOUT."""
    spec = stack.docker(
        "service",
        "inspect",
        "--format",
        "{{.Spec.TaskTemplate.ContainerSpec.Image}} {{json .Spec.TaskTemplate.ContainerSpec.Env}}",
        f"{STACK}_hub",
    ).stdout
    image, env = spec.split(" ", 1)
    cull = [item for item in env.strip().strip("[]").split(",") if "CULL_TIMEOUT=" in item]
    return image.split("@")[0], cull[0].strip('"')


def test_an_upgrade_migrates_the_schema_in_one_deploy_and_rollback_returns(
    platform_stack, slapd, stack_secrets, tmp_path
):
    stack = platform_stack
    stack.settle()  # other tests change services with `docker service update`
    login = HubSession(stack.https_url, stack.ca_file).login(
        slapd.member, slapd.passwords[slapd.member], follow=False
    )
    assert login.status_code == 302
    records = users(stack)
    head = schema_revision(stack)
    previous_spec = hub_spec(stack)
    assert previous_spec == (LOCAL_HUB_IMAGE, "CULL_TIMEOUT=3600")
    others = {service: stack.container_id(service) for service in ("db", "chp", "proxy")}

    # The previous release's schema: one migration back.
    downgrade = ["python3", "-m", "jupyterhub.dbutil", "alembic", "downgrade", "-1"]
    stack.exec("hub", *downgrade)
    assert schema_revision(stack) != head

    stack.docker("tag", LOCAL_HUB_IMAGE, NEW_HUB_IMAGE)
    saved = dict(stack.env)
    stack.env.update(HUB_IMAGE=NEW_HUB_IMAGE, CULL_TIMEOUT="7200")
    try:
        hub_before = stack.container_id("hub")
        stack.deploy()
        upgraded_hub = stack.wait_hub(previous_container=hub_before)
    finally:
        stack.env.clear()
        stack.env.update(saved)
    assert hub_spec(stack) == (NEW_HUB_IMAGE, "CULL_TIMEOUT=7200")
    assert schema_revision(stack) == head
    assert "Upgrading postgresql" in stack.docker("logs", upgraded_hub).stderr
    assert users(stack) == records

    rollback = deploy_tool(stack, tmp_path, stack_secrets, "rollback")
    assert rollback.returncode == 0, rollback.stderr
    assert "rollback: jupyterhub is back at deploy" in rollback.stdout
    stack.wait_hub(previous_container=upgraded_hub)
    assert hub_spec(stack) == previous_spec
    assert {service: stack.container_id(service) for service in others} == others
    assert users(stack) == records
    again = HubSession(stack.https_url, stack.ca_file)
    assert again.login(slapd.member, slapd.passwords[slapd.member], follow=False).status_code == 302
