"""platform/stack.multinode.yml changes only what a kernel without IPVS needs: stack.yml's
production networks and defaults stay as they are."""

import pytest
import yaml

from harness.stack_config import PLATFORM, SITE, stack_config


def render(*files: str, **env: str) -> dict:
    site = {**SITE, "SECRETS_DIR": str(PLATFORM / "nonexistent-secrets")}
    result = stack_config({**site, **env}, files)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def production():
    return render("stack.yml")


@pytest.fixture(scope="module")
def multinode():
    return render(
        "stack.yml",
        "stack.multinode.yml",
        MULTINODE_HOMES="/srv/homes",
        MULTINODE_SHARED="/srv/shared",
        PUBLISH_MODE="host",
    )


def test_every_service_resolves_by_dns_round_robin_only_with_the_overlay(production, multinode):
    for name in ("db", "hub", "chp", "proxy"):
        assert "endpoint_mode" not in production["services"][name]["deploy"], name
        assert multinode["services"][name]["deploy"]["endpoint_mode"] == "dnsrr", name
    hub = multinode["services"]["hub"]["environment"]
    assert hub["HUB_SPAWNER_CLASS"] == "dnsrr_swarm_spawner.DnsrrSwarmSpawner"
    assert "HUB_SPAWNER_CLASS" not in production["services"]["hub"]["environment"]


def test_the_services_stay_on_the_production_network(production, multinode):
    # Created beforehand as overlays (the tests' MultinodeStack.deploy), without IPsec.
    assert multinode["networks"] == {
        "jupyterhub": {"external": True, "name": "jupyterhub"},
        "web": {"external": True, "name": "jupyterhub-web"},
        "database": {"external": True, "name": "jupyterhub-database"},
    }
    assert {network["driver"] for network in production["networks"].values()} == {"overlay"}
    for name in ("db", "hub", "chp", "proxy"):
        assert multinode["services"][name]["networks"] == production["services"][name]["networks"]


def test_the_proxy_publishes_on_the_manager_only(multinode):
    proxy = multinode["services"]["proxy"]
    assert {port["mode"] for port in proxy["ports"]} == {"host"}
    # stack.yml's: the node labelled jupyterhub.proxy=true (the harness labels the manager).
    assert proxy["deploy"]["placement"]["constraints"] == ["node.labels.jupyterhub.proxy == true"]


def test_homes_are_the_shared_folder_not_nfs(multinode):
    assert multinode["volumes"]["homes"]["driver_opts"] == {
        "type": "none",
        "o": "bind",
        "device": "/srv/homes",
    }
    assert multinode["services"]["hub"]["environment"]["HOME_ROOT"] == "/srv/homes"
