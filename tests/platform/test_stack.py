"""platform/stack.yml renders with `docker stack config` (no daemon needed) as intended."""

import re

import pytest
import yaml

from harness.stack_config import PLATFORM, SITE, stack_config


@pytest.fixture(scope="module")
def stack():
    result = stack_config(SITE)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_services_images_are_pinned_and_name_their_registry(stack):
    assert set(stack["services"]) == {"db", "hub", "chp", "proxy"}
    for name, service in stack["services"].items():
        image = service["image"]
        assert ":" in image.rsplit("/", 1)[-1], name
        assert not image.endswith(":latest"), name
        assert "." in image.split("/")[0], name  # docker.io/library/..., registry.example.org/...


def test_the_hub_image_has_no_default():
    """A default like `mlops/jupyterhub` would come from Docker Hub, a namespace we do not own."""
    result = stack_config({name: value for name, value in SITE.items() if name != "HUB_IMAGE"})
    assert result.returncode != 0
    assert "set HUB_IMAGE in platform.env" in result.stderr


def test_every_service_has_healthcheck_restart_policy_and_limits(stack):
    for name, service in stack["services"].items():
        assert service["healthcheck"]["test"], name
        assert service["deploy"]["restart_policy"]["condition"] == "any", name
        assert service["deploy"]["resources"]["limits"]["memory"], name


def test_secrets_are_docker_secrets_readable_only_by_their_reader(stack):
    assert set(stack["secrets"]) == {
        "db_password",
        "cookie_secret",
        "proxy_token",
        "crypt_key",
        "metrics_token",
        "ldap_ca",
        "ldap_search_password",
    }
    hub_secrets = {s["source"]: s for s in stack["services"]["hub"]["secrets"]}
    for name in (
        "db_password",
        "cookie_secret",
        "proxy_token",
        "crypt_key",
        "ldap_search_password",
    ):
        assert hub_secrets[name]["mode"] == 0o400, name
    db_secret = stack["services"]["db"]["secrets"][0]
    assert (db_secret["uid"], db_secret["mode"]) == ("999", 0o400)
    chp_secret = stack["services"]["chp"]["secrets"][0]  # the official CHP image runs as nobody
    assert (chp_secret["source"], chp_secret["uid"], chp_secret["mode"]) == (
        "proxy_token",
        "65534",
        0o400,
    )
    hub_env = stack["services"]["hub"]["environment"]
    assert hub_env["HUB_COOKIE_SECRET_FILE"] == "/run/secrets/cookie_secret"
    assert hub_env["LDAP_SEARCH_PASSWORD_FILE"] == "/run/secrets/ldap_search_password"
    assert "password" not in hub_env["HUB_DB_URL"].split("@")[0].split("//")[1]


def test_hub_runs_on_a_manager_with_the_docker_socket_and_its_config(stack):
    hub = stack["services"]["hub"]
    assert "node.role == manager" in hub["deploy"]["placement"]["constraints"]
    sources = {volume.get("source"): volume["target"] for volume in hub["volumes"]}
    assert sources["/var/run/docker.sock"] == "/var/run/docker.sock"
    assert hub["configs"][0]["target"] == "/srv/jupyterhub/jupyterhub_config.py"
    assert stack["configs"]["jupyterhub_config"]["name"] == "jupyterhub_config_1"


def test_each_config_and_secret_has_its_own_version_variable(stack):
    """A new hub config must not rename (and restart) another service's objects: every object's
    name ends with its own variable, which `platform/deploy` sets to its file's hash.
    """
    raw = yaml.safe_load((PLATFORM / "stack.yml").read_text())
    names = {
        name: spec["name"] for kind in ("configs", "secrets") for name, spec in raw[kind].items()
    }
    pattern = r"jupyterhub_\w+_\$\{([A-Z_]+)_VERSION:-1\}"
    variables = [re.fullmatch(pattern, name) for name in names.values()]
    assert all(variables), names
    assert len({match.group(1) for match in variables}) == len(names), names


def test_nginx_reads_the_certificate_from_a_folder_of_its_node(stack):
    """Not a Docker config or secret (fixed for a task's life): a new certificate is a reload of
    the running nginx (`platform/deploy renew-cert`), not a new task that drops every connection.
    """
    proxy = stack["services"]["proxy"]
    assert "secrets" not in proxy
    assert [config["source"] for config in proxy["configs"]] == ["nginx_template"]
    assert proxy["volumes"] == [
        {
            "type": "bind",
            "source": "/etc/jupyterhub/tls",
            "target": "/etc/nginx/tls",
            "read_only": True,
        }
    ]
    assert proxy["environment"]["TLS_CERT"] == "/etc/nginx/tls/current/tls.crt"
    assert proxy["environment"]["TLS_KEY"] == "/etc/nginx/tls/current/tls.key"
    # deploy writes TLS_DIR on the node it runs on, and checks that it carries the label.
    assert proxy["deploy"]["placement"]["constraints"] == ["node.labels.jupyterhub.proxy == true"]


def test_networks_are_encrypted_overlays_and_only_users_can_attach(stack):
    networks = stack["networks"]
    assert set(networks) == {"jupyterhub", "web", "database"}
    for name, network in networks.items():
        assert network["driver"] == "overlay", name
        assert network["driver_opts"] == {"encrypted": "true"}, name  # IPsec between nodes
        assert network.get("attachable", False) == (name == "jupyterhub"), name
    assert networks["jupyterhub"]["name"] == "jupyterhub"  # SWARM_NETWORK: users' services join it
    assert networks["database"]["internal"] is True


def test_users_network_holds_only_the_hub_and_the_database_only_the_hub(stack):
    """Users' services join `jupyterhub` (SWARM_NETWORK): the database and nginx are not on it."""
    on = {name: set(service["networks"]) for name, service in stack["services"].items()}
    assert on == {
        "db": {"database"},
        "hub": {"jupyterhub", "database"},
        "chp": {"jupyterhub", "web"},
        "proxy": {"web"},
    }


def test_chp_is_its_own_service_and_the_hub_uses_its_api(stack):
    """Users' routes live in CHP, not in the hub's container: they survive hub restarts."""
    hub_env = stack["services"]["hub"]["environment"]
    assert hub_env["HUB_PROXY_API_URL"] == "http://chp:8001"
    chp = stack["services"]["chp"]
    assert chp["environment"]["CHP_HUB_URL"] == "http://hub:8081"
    assert "configurable-http-proxy" in chp["entrypoint"][-1]
    assert "/run/secrets/proxy_token" in chp["entrypoint"][-1]
    assert stack["services"]["proxy"]["environment"]["HUB_UPSTREAM"] == "chp:8000"


def test_homes_are_an_nfs_volume_of_the_local_driver(stack):
    homes = stack["volumes"]["homes"]
    assert homes["driver"] == "local"
    assert homes["driver_opts"] == {
        "type": "nfs",
        "o": "addr=10.0.0.5,rw,nfsvers=4.1",
        "device": ":/export/jupyter/homes",
    }


def test_proxy_publishes_http_and_https(stack):
    ports = {port["target"]: port["published"] for port in stack["services"]["proxy"]["ports"]}
    assert ports == {80: "80", 443: "443"} or ports == {80: 80, 443: 443}


def test_a_missing_site_setting_is_named_in_one_line():
    result = stack_config({name: value for name, value in SITE.items() if name != "NFS_SERVER"})
    assert result.returncode != 0
    assert "NFS_SERVER" in result.stderr
    assert "set NFS_SERVER in platform.env" in result.stderr


def test_the_ldap_port_is_not_forced_to_389():
    """Empty unless set: the hub then picks 389, or 636 for LDAPS (LDAP_TLS_STRATEGY=on_connect)."""
    rendered = stack_config(SITE)
    assert yaml.safe_load(rendered.stdout)["services"]["hub"]["environment"]["LDAP_PORT"] == ""
    ldaps = stack_config({**SITE, "LDAP_PORT": "636", "LDAP_TLS_STRATEGY": "on_connect"})
    hub_env = yaml.safe_load(ldaps.stdout)["services"]["hub"]["environment"]
    assert (hub_env["LDAP_PORT"], hub_env["LDAP_TLS_STRATEGY"]) == ("636", "on_connect")


def test_the_hub_and_nginx_know_the_public_https_address(stack):
    """The hub marks cookies Secure from it; nginx redirects port 80 there, port included."""
    hub_env = stack["services"]["hub"]["environment"]
    assert hub_env["HUB_PUBLIC_URL"] == "https://hub.example.org:443/"
    proxy = stack["services"]["proxy"]
    assert proxy["environment"]["PUBLIC_URL"] == "https://hub.example.org:443"
    # The healthcheck reaches the hub through nginx and CHP, with the site's name (nginx refuses
    # unknown Host names), not nginx's own redirect.
    probe = " ".join(proxy["healthcheck"]["test"])
    assert "/hub/health" in probe
    assert '--resolve "$SERVER_NAME:$port:127.0.0.1"' in probe
    assert "https://$SERVER_NAME:$port/" in probe


def test_the_hub_runs_read_only_with_only_the_capabilities_for_users_folders(stack):
    hub = stack["services"]["hub"]
    assert hub["read_only"] is True
    assert hub["cap_drop"] == ["ALL"]
    assert sorted(hub["cap_add"]) == ["CHOWN", "DAC_OVERRIDE", "FOWNER"]
    writable = {volume["target"] for volume in hub["volumes"]}
    assert {"/tmp", "/srv/jupyterhub/data", "/srv/jupyterhub/homes"} <= writable


def test_every_services_logs_rotate_on_its_node(stack):
    for name, service in stack["services"].items():
        assert service["logging"] == {
            "driver": "json-file",
            "options": {"max-size": "10m", "max-file": "3"},
        }, name
    hub_env = stack["services"]["hub"]["environment"]  # users' servers: the same, set by the hub
    assert (hub_env["LOG_MAX_SIZE"], hub_env["LOG_MAX_FILES"]) == ("10m", "3")


def test_a_failed_update_rolls_back_by_itself(stack):
    for name, service in stack["services"].items():
        update = service["deploy"]["update_config"]
        assert update["failure_action"] == "rollback", name
        assert update["order"] == "stop-first", name  # never two hubs on one database
        assert update["monitor"] == "1m30s", name  # longer than the hub's healthcheck needs
        assert service["deploy"]["rollback_config"]["failure_action"] == "pause", name
