"""What a user's code can reach on the production overlay networks, probed from inside alice's
running server on a worker: her own relay, which leads to the hub's API only, nothing else. Each
server has a network of its own (NOTEBOOK_NETWORK_ISOLATION, platform/hub/swarm_spawner.py): the
hub, CHP, the database, nginx and other users' servers and relays are on networks hers is not on.
"""

import json
import time
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
    return multinode_stack.resolve(f"jupyter-{user}")  # jupyter-alice-<spawn id>


@pytest.fixture(scope="module")
def daves_server(multinode_stack, client, lan_slapd):
    """(session, user): another user with a running server; stopped at the end."""
    dave = lan_slapd.spare_member
    session = hub_session(multinode_stack, client)
    assert session.login(dave, lan_slapd.passwords[dave]).status_code == 200
    ensure_server(session, dave)
    yield session, dave
    session.hub_api("DELETE", f"/users/{dave}/server")
    session.wait_until_stopped(dave)


def test_a_users_server_reaches_its_relay_and_not_the_hub_or_proxy(alices_server, multinode_stack):
    relay = f"{alices_server}-relay"
    found = probe_from(
        multinode_stack,
        alices_server,
        f"{relay}:8081",
        f"{relay}:8888",
        "hub:8081",
        "chp:8000",
        "chp:8001",
    )
    assert found == {
        f"{relay}:8081": "open",
        f"{relay}:8888": "open",
        "hub:8081": "unresolved",
        "chp:8000": "unresolved",
        "chp:8001": "unresolved",
    }


def test_the_relay_passes_the_hub_api_only(alices_server, multinode_stack):
    relay = f"http://{alices_server}-relay:8081"
    statuses = {
        path: multinode_stack.exec(
            alices_server, "python3", "-c", status_of(relay + path)
        ).stdout.strip()
        for path in ("/hub/api/", "/hub/login", "/hub/admin", "/hub/metrics", "/")
    }
    assert statuses == {
        "/hub/api/": "200",
        "/hub/login": "404",
        "/hub/admin": "404",
        "/hub/metrics": "404",
        "/": "404",
    }


def test_the_relay_runs_unprivileged_on_a_read_only_root(alices_server, multinode_stack):
    relay = f"{alices_server}-relay"
    status = multinode_stack.exec(relay, "cat", "/proc/1/status").stdout  # nginx's master
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    assert fields["Name"].strip() == "nginx"
    assert fields["Uid"].split() == ["65534"] * 4
    assert int(fields["CapEff"], 16) == int(fields["CapBnd"], 16) == 0
    # Even root (an exec) cannot write outside the tmpfs.
    written = multinode_stack.exec(
        relay, "sh", "-c", "touch /etc/relay-test; touch /tmp/relay-test && echo tmp", user="0"
    )
    assert "Read-only file system" in written.stderr
    assert written.stdout.strip() == "tmp"


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


def test_no_hub_port_is_reachable_by_address(alices_server, multinode_stack):
    ports = listening_ports(multinode_stack, "hub")
    assert 8081 in ports  # the hub API (the proxy is the chp service)
    targets = [f"{ip}:{port}" for ip in addresses(multinode_stack, "hub") for port in sorted(ports)]
    found = probe_from(multinode_stack, alices_server, *targets)
    assert all(state in ("refused", "timeout") for state in found.values()), found


def test_another_users_server_and_relay_are_unreachable(
    alices_server, daves_server, multinode_stack
):
    """On today's main every server shares the users' network: alice's code opens a connection to
    dave's server (which answers nothing without dave's token)."""
    _, dave = daves_server
    server = multinode_stack.resolve(f"jupyter-{dave}")  # jupyter-dave-<spawn id>
    names = [f"{server}:8888", f"{server}-relay:8888", f"{server}-relay:8081"]
    ips = addresses(multinode_stack, server) + addresses(multinode_stack, f"{server}-relay")
    found = probe_from(multinode_stack, alices_server, *names, *(f"{ip}:8888" for ip in ips))
    assert all(found[name] == "unresolved" for name in names), found
    assert all(state in ("timeout", "refused", "unresolved") for state in found.values()), found


def test_jupyterlab_and_a_kernel_work_through_the_relay(alice, alices_server):
    session, user = alice
    assert session.user_get(user, "/lab").status_code == 200
    assert session.run_code(user, "print(6 * 7)").strip() == "42"


def test_a_stopped_server_leaves_no_service_relay_or_network(daves_server, multinode_stack):
    session, dave = daves_server
    server = multinode_stack.resolve(f"jupyter-{dave}")  # jupyter-dave-<spawn id>
    names = (server, f"{server}-relay", f"{server}-net")
    assert leftovers(multinode_stack, names) == {"services": names[:2], "networks": names[2:]}
    assert session.hub_api("DELETE", f"/users/{dave}/server").status_code in (202, 204)
    session.wait_until_stopped(dave)
    deadline = time.monotonic() + 60
    while leftovers(multinode_stack, names) != {"services": (), "networks": ()}:
        assert time.monotonic() < deadline, leftovers(multinode_stack, names)
        time.sleep(1)


def leftovers(stack, names) -> dict[str, tuple[str, ...]]:
    """Which of the names exist as services and networks on the manager."""
    services = stack.manager.docker("service", "ls", "--format", "{{.Name}}").stdout.split()
    networks = stack.manager.docker("network", "ls", "--format", "{{.Name}}").stdout.split()
    return {
        "services": tuple(name for name in names if name in services),
        "networks": tuple(name for name in names if name in networks),
    }


def status_of(url: str) -> str:
    """Python that prints the HTTP status of a GET of the URL."""
    return (
        "import urllib.error, urllib.request\n"
        "try:\n"
        f"    print(urllib.request.urlopen({url!r}, timeout=5).status)\n"
        "except urllib.error.HTTPError as error:\n"
        "    print(error.code)\n"
    )
