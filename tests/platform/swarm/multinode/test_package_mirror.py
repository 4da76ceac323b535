"""Users install packages from the site's package mirror in a server the hub spawned, with no
configuration of their own: `pip install` in a JupyterLab terminal, `%pip install` in a notebook
kernel, `uv pip install`; their home is a folder mounted over /home/jovyan (the NFS home), so the
settings that make this work live outside it (/etc/pip.conf, /etc/uv/uv.toml).

The mirror is pypiserver in the tests' lan namespace (conftest.py: lan_mirror); the nodes have no
other route out (no default route, nothing but the test namespaces), so a request to any other
index fails. The packages installed exist only on the mirror.
"""

import pytest

from harness.multinode.cluster import in_netns
from tests.platform.swarm.multinode.conftest import MIRROR_CHOICE, MIRROR_ONLY, logged_in

pytestmark = pytest.mark.swarm

MISSING = "airgap-not-on-the-mirror"


@pytest.fixture(scope="module")
def carol(multinode_stack, client, lan_slapd):
    """(session, username): a user logged in through nginx, their server started from the image
    built against the mirror; stopped at the end."""
    user = lan_slapd.admin  # without uidNumber: the server runs as a uid of the hub's range
    session = logged_in(multinode_stack, client, lan_slapd, user)
    assert session.request_spawn(user, MIRROR_CHOICE).status_code == 302
    result = session.wait_for_server(user, timeout=180)
    assert result.ready, result.message
    yield session, user
    session.hub_api("DELETE", f"/users/{user}/server")
    session.wait_until_stopped(user)


def downloads(mirror, package: str) -> int:
    wheel = package.replace("-", "_") + "-1.0-py3-none-any.whl"
    return mirror.requests().count(f'"GET /packages/{wheel} HTTP/1.1" 200')


def test_the_server_runs_on_a_worker_without_any_route_but_the_lan(carol, multinode_stack):
    _, user = carol
    task = multinode_stack.running_task(f"jupyter-{user}")
    assert task.node in ("worker1", "worker2")
    node = multinode_stack.node(task.node)
    assert in_netns(node.netns, "ip", "route", "show", "default").stdout.strip() == ""
    home = multinode_stack.exec(f"jupyter-{user}", "stat", "-c", "%u", "/home/jovyan").stdout
    assert int(home) >= 100000, "the home should belong to the user's own uid"


def test_pip_in_a_terminal_installs_from_the_mirror(carol, lan_mirror):
    session, user = carol
    package = MIRROR_ONLY[0]
    status, shown = session.run_in_terminal(user, f"pip install {package} mlops-hygiene==0.1.0")
    assert status == 0, shown
    assert f"Looking in indexes: {lan_mirror.url}" in shown
    assert downloads(lan_mirror, package) == 1
    status, shown = session.run_in_terminal(user, "mlops-hygiene explain MH001")
    assert status == 0, shown
    assert "git repository" in shown


def test_percent_pip_in_a_notebook_kernel_installs_from_the_mirror(carol, lan_mirror):
    session, user = carol
    package = MIRROR_ONLY[1]
    module = package.replace("-", "_")
    printed = session.run_code(
        user, f"%pip install {package}\nimport {module}\nprint('imported', {module}.__name__)"
    )
    assert f"Successfully installed {package}-1.0" in printed
    assert f"imported {module}" in printed
    assert downloads(lan_mirror, package) == 1


def test_uv_pip_in_a_terminal_installs_from_the_mirror(carol, lan_mirror):
    session, user = carol
    package = MIRROR_ONLY[2]
    status, shown = session.run_in_terminal(user, f"uv pip install {package}")
    assert status == 0, shown
    assert f"+ {package}==1.0" in shown
    assert downloads(lan_mirror, package) == 1
    module = package.replace("-", "_")
    status, shown = session.run_in_terminal(user, f"python3 -c 'import {module}'")
    assert status == 0, shown


@pytest.mark.parametrize("installer", ["pip install", "uv pip install"])
def test_a_package_missing_on_the_mirror_is_named_with_the_mirror(carol, lan_mirror, installer):
    session, user = carol
    status, shown = session.run_in_terminal(user, f"{installer} {MISSING}")
    assert status != 0
    assert MISSING in shown
    if installer == "pip install":
        assert f"Looking in indexes: {lan_mirror.url}" in shown
        assert f"No matching distribution found for {MISSING}" in shown
    else:
        named = f"uv: packages come only from the package mirror {lan_mirror.url} (/etc/uv/uv.toml)"
        assert named in shown
