"""A user's server on the Swarm runs without privileges and within limits: the service spec the
hub created, and what a process inside the running container sees.
"""

import json

import pytest

from harness.stack import logged_in_with_server

pytestmark = pytest.mark.swarm


@pytest.fixture(scope="module")
def alice(platform_stack, slapd):
    return logged_in_with_server(platform_stack, slapd.member, slapd.passwords[slapd.member])


@pytest.fixture(scope="module")
def service_spec(alice, platform_stack):
    inspected = platform_stack.docker(
        "service",
        "inspect",
        "--format",
        "{{json .Spec}}",
        platform_stack.resolve(f"jupyter-{alice.user}"),
    )
    return json.loads(inspected.stdout)


def test_the_service_drops_every_capability_and_ignores_user_configuration(service_spec):
    container = service_spec["TaskTemplate"]["ContainerSpec"]
    assert container["CapabilityDrop"] == ["ALL"]
    assert not container.get("CapabilityAdd")
    assert "JUPYTERHUB_DISABLE_USER_CONFIG=1" in container["Env"]


def test_the_services_logs_rotate(service_spec):
    """A chatty notebook cannot fill its node's disk: json-file logs capped (LOG_MAX_SIZE/FILES)."""
    assert service_spec["TaskTemplate"]["LogDriver"] == {
        "Name": "json-file",
        "Options": {"max-size": "10m", "max-file": "3"},
    }


def test_the_service_has_limits_reservations_and_a_pids_limit(service_spec, platform_stack):
    resources = service_spec["TaskTemplate"]["Resources"]
    assert resources["Limits"] == {"NanoCPUs": 10**9, "MemoryBytes": 2**30, "Pids": 512}
    assert resources["Reservations"] == {"NanoCPUs": 10**8, "MemoryBytes": 256 * 2**20}


def test_inside_the_container_no_capability_is_left_and_processes_are_capped(alice, platform_stack):
    """PID 1 of the container (what the task started, not a `docker exec`) has no capability, and
    cannot gain privileges (the test engine runs with `--no-new-privileges`, as README asks of the
    nodes running users' servers).
    """
    service = f"jupyter-{alice.user}"
    status = dict(
        line.split(":\t", 1)
        for line in platform_stack.exec(service, "cat", "/proc/1/status").stdout.splitlines()
        if ":\t" in line
    )
    for capabilities in ("CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(status[capabilities], 16) == 0, (capabilities, status[capabilities])
    assert status["NoNewPrivs"].strip() == "1"
    assert int(status["Uid"].split()[0]) == platform_stack.user_uid(alice.user) > 1000
    pids_max = platform_stack.exec(
        service,
        "sh",
        "-c",
        "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
    )
    assert pids_max.stdout.strip() == "512"
