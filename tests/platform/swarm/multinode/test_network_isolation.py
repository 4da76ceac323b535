"""What a user's code can reach on the production overlay networks, probed from inside alice's
running server on a worker: the hub's API and configurable-http-proxy, nothing else of the
platform. The database and nginx are on networks users are not on, and the hub's other ports are
closed to them.
"""

import json
from pathlib import Path

import pytest

from harness import connect_probe
from harness.multinode.failover import ensure_server
from tests.platform.swarm.multinode.conftest import hub_session

pytestmark = pytest.mark.swarm


def probe_from(stack, service: str, *targets: str) -> dict[str, str]:
    program = Path(connect_probe.__file__).read_text()
    result = stack.exec(service, "python3", "-", *targets, input=program)
    return json.loads(result.stdout)


def listening_ports(stack, service: str) -> set[int]:
    """TCP ports something listens on in the service's container, on any address."""
    ports = set()
    tables = stack.exec(service, "cat", "/proc/net/tcp", "/proc/net/tcp6").stdout
    for line in tables.splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[3] == "0A":  # TCP_LISTEN
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def addresses(stack, service: str) -> list[str]:
    """The service's container's addresses on every network it is on."""
    task = stack.running_task(service)
    networks = json.loads(
        stack.node(task.node)
        .docker("inspect", "--format", "{{json .NetworkSettings.Networks}}", task.container)
        .stdout
    )
    return [network["IPAddress"] for network in networks.values() if network["IPAddress"]]


@pytest.fixture(scope="module")
def alices_server(alice, multinode_stack):
    session, user = alice
    ensure_server(session, user)
    return f"jupyter-{user}"


def test_the_hub_api_and_proxy_answer_a_users_server(alices_server, multinode_stack):
    # configurable-http-proxy is its own service (chp): its REST API needs the proxy token.
    found = probe_from(multinode_stack, alices_server, "hub:8081", "chp:8000", "chp:8001")
    assert found == {"hub:8081": "open", "chp:8000": "open", "chp:8001": "open"}


def test_the_database_is_unreachable_from_a_users_server(alices_server, multinode_stack):
    targets = ["db:5432"] + [f"{ip}:5432" for ip in addresses(multinode_stack, "db")]
    found = probe_from(multinode_stack, alices_server, *targets)
    assert found["db:5432"] == "unresolved", found
    assert all(state in ("timeout", "refused") for state in found.values() if state != "unresolved")


def test_nginx_is_unreachable_from_a_users_server(alices_server, multinode_stack):
    ips = addresses(multinode_stack, "proxy")
    targets = ["proxy:80", "proxy:443"] + [f"{ip}:{port}" for ip in ips for port in (80, 443)]
    found = probe_from(multinode_stack, alices_server, *targets)
    assert found["proxy:80"] == found["proxy:443"] == "unresolved", found
    assert all(state in ("timeout", "refused", "unresolved") for state in found.values()), found


def test_no_hub_port_but_its_api_and_proxy_is_reachable(alices_server, multinode_stack):
    ports = listening_ports(multinode_stack, "hub")
    assert 8081 in ports  # the hub API (the proxy is the chp service)
    others = sorted(ports - {8081})
    found = probe_from(multinode_stack, alices_server, *(f"hub:{port}" for port in others))
    assert all(state in ("refused", "timeout") for state in found.values()), found


def test_another_users_server_refuses_a_request_without_its_users_token(
    alices_server, multinode_stack, client, lan_slapd
):
    """Users' servers share the users' network (CHP must reach each of them), so alice's
    code can open a connection to dave's server: it answers nothing without dave's token."""
    dave = lan_slapd.spare_member
    session = hub_session(multinode_stack, client)
    assert session.login(dave, lan_slapd.passwords[dave]).status_code == 200
    ensure_server(session, dave)
    try:
        assert session.user_put_file(dave, "dave-only.txt", "private").status_code in (200, 201)
        answer = multinode_stack.exec(alices_server, "python3", "-c", fetch_as_anyone(dave)).stdout
    finally:
        session.hub_api("DELETE", f"/users/{dave}/server")
    assert answer.split()[0] in ("302", "403"), answer
    assert "private" not in answer


def fetch_as_anyone(user: str) -> str:
    """Python that asks the user's server for a file of theirs without any token."""
    return (
        "import http.client\n"
        f"c = http.client.HTTPConnection('jupyter-{user}', 8888, timeout=5)\n"
        f"c.request('GET', '/user/{user}/api/contents/{user}-only.txt')\n"
        "r = c.getresponse()\n"
        "print(r.status, r.read().decode())\n"
    )
