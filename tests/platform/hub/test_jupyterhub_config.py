"""jupyterhub_config.py loads into a real JupyterHub in each mode and refuses bad settings."""

import asyncio
import os

import pytest
from dockerspawner import SwarmSpawner
from jupyterhub import crypto
from jupyterhub.app import JupyterHub
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner
from ldapauthenticator import LDAPAuthenticator
from ldapauthenticator.ldapauthenticator import TlsStrategy

from harness.hub_env import (
    HUB_CONFIG,
    load_hub_config,
    secret_env,
    set_hub_env,
    write_secret,
)

LDAP_ENV = {
    "HUB_AUTHENTICATOR": "ldap",
    "LDAP_SERVER": "ldap.example.org",
    "LDAP_BIND_DN_TEMPLATE": "uid={username},ou=people,dc=example,dc=org",
    "LDAP_ALLOWED_GROUPS": "cn=data-science,ou=groups,dc=example,dc=org",
    "LDAP_ADMIN_GROUPS": "cn=hub-admins,ou=groups,dc=example,dc=org",
}


def initialized_hub(monkeypatch, env) -> JupyterHub:
    """Run JupyterHub.initialize(): database, roles, services, authenticator, spawner class."""
    set_hub_env(monkeypatch, env)
    app = JupyterHub(config_file=str(HUB_CONFIG))
    asyncio.run(app.initialize([]))
    return app


def test_swarm_ldap_mode_initializes(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **LDAP_ENV,
        "HUB_SPAWNER": "swarm",
        "HUB_DB_URL": f"sqlite:///{tmp_path}/hub.sqlite",
        "HOME_ROOT": str(tmp_path / "homes"),
        "LDAP_PORT": "1389",
    }
    app = initialized_hub(monkeypatch, env)
    assert isinstance(app.authenticator, LDAPAuthenticator)
    assert app.authenticator.tls_strategy == TlsStrategy.before_bind
    assert app.authenticator.server_port == 1389
    # ssl.CERT_REQUIRED: the LDAP certificate is verified.
    assert app.authenticator.tls_kwargs["validate"] == 2
    assert app.authenticator.allowed_groups == [
        "cn=data-science,ou=groups,dc=example,dc=org",
        "cn=hub-admins,ou=groups,dc=example,dc=org",
    ]
    assert not app.authenticator.allow_all
    assert app.spawner_class.__module__ == "swarm_spawner"
    assert app.spawner_class.__name__ == "PlatformSwarmSpawner"
    assert issubclass(app.spawner_class, SwarmSpawner)
    assert app.cleanup_servers is False
    assert "idle-culler" in app._service_map
    # configurable-http-proxy is the stack's `chp` service: the hub only talks to its API, and
    # checks the routes every minute (they come back soon after CHP restarts).
    assert app.proxy.should_start is False
    assert app.last_activity_interval == 60


def test_with_a_crypt_key_the_hub_keeps_each_users_ldap_uid_number(tmp_path, monkeypatch):
    """The encrypted auth state carries LDAP's uidNumber from the login to the user's spawn."""
    monkeypatch.delenv("JUPYTERHUB_CRYPT_KEY", raising=False)
    key = "ab" * 32
    env = {
        **secret_env(tmp_path),
        **LDAP_ENV,
        "HUB_DB_URL": f"sqlite:///{tmp_path}/hub.sqlite",
        "HOME_ROOT": str(tmp_path / "homes"),
        "HUB_CRYPT_KEY_FILE": write_secret(tmp_path / "crypt_key", key),
    }
    app = initialized_hub(monkeypatch, env)
    assert app.authenticator.enable_auth_state is True
    assert app.authenticator.auth_state_attributes == ["uidNumber"]
    # JupyterHub's encryption (a singleton made without the config) uses the secret's key, which
    # stays out of the environment that configurable-http-proxy inherits.
    assert crypto.CryptKeeper.instance().keys == [bytes.fromhex(key)]
    assert "JUPYTERHUB_CRYPT_KEY" not in os.environ


def test_ldaps_uses_port_636_unless_told_otherwise(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **LDAP_ENV,
        "HUB_DB_URL": "sqlite://",
        "LDAP_TLS_STRATEGY": "on_connect",
        "LDAP_PORT": "",
    }
    app = load_hub_config(monkeypatch, env)
    auth = app.config.JupyterHub.authenticator_class(config=app.config)
    assert (auth.tls_strategy, auth.server_port) == (TlsStrategy.on_connect, 636)


def test_local_dummy_mode_initializes(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        "HUB_SPAWNER": "local",
        "HUB_AUTHENTICATOR": "dummy",
        "HUB_DUMMY_PASSWORD_FILE": write_secret(tmp_path / "trial_password", "try-me-please"),
        "HUB_DB_URL": f"sqlite:///{tmp_path}/hub.sqlite",
        "HOME_ROOT": str(tmp_path / "homes"),
    }
    app = initialized_hub(monkeypatch, env)
    assert isinstance(app.authenticator, SharedPasswordAuthenticator)
    assert app.authenticator.user_password == "try-me-please"
    assert app.authenticator.allow_all
    assert app.spawner_class is SimpleLocalProcessSpawner
    assert app.hub_bind_url == "http://127.0.0.1:8081/hub/"
    assert app.proxy.should_start is True  # a trial: the hub starts its own proxy


def test_spawner_class_can_be_replaced(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **LDAP_ENV,
        "HUB_DB_URL": "sqlite://",
        "HUB_SPAWNER_CLASS": "jupyterhub.spawner.LocalProcessSpawner",
    }
    app = load_hub_config(monkeypatch, env)
    assert app.config.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    # Still configured: a subclass inherits it.
    assert app.config.SwarmSpawner.network_name == "jupyterhub"


def test_database_password_comes_from_its_secret_file(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **LDAP_ENV,
        "HUB_DB_URL": "postgresql+psycopg://jupyterhub@db:5432/jupyterhub",
        "HUB_DB_PASSWORD_FILE": write_secret(tmp_path / "db_password", "p@ss:w/rd"),
    }
    app = load_hub_config(monkeypatch, env)
    assert (
        app.config.JupyterHub.db_url
        == "postgresql+psycopg://jupyterhub:p%40ss%3Aw%2Frd@db:5432/jupyterhub"
    )


def test_the_culler_has_only_the_scopes_it_needs(tmp_path, monkeypatch):
    env = {**secret_env(tmp_path), **LDAP_ENV, "HUB_DB_URL": "sqlite://", "CULL_TIMEOUT": "600"}
    app = load_hub_config(monkeypatch, env)
    (role,) = app.config.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"]
    assert set(role["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }
    (service,) = app.config.JupyterHub.services
    assert "--timeout=600" in service["command"]
    assert "--cull-every=300" in service["command"]


@pytest.mark.parametrize(
    "admin_password", ["too-short-for-an-admin", "the-trial-password-is-also-32-chars"]
)
def test_the_trials_admin_password_is_long_and_not_the_users(tmp_path, monkeypatch, admin_password):
    env = {
        **secret_env(tmp_path),
        "HUB_SPAWNER": "local",
        "HUB_AUTHENTICATOR": "dummy",
        "HUB_DB_URL": "sqlite://",
        "HUB_DUMMY_PASSWORD_FILE": write_secret(
            tmp_path / "trial", "the-trial-password-is-also-32-chars"
        ),
        "HUB_DUMMY_ADMIN_PASSWORD_FILE": write_secret(tmp_path / "admin", admin_password),
    }
    with pytest.raises(SystemExit, match="admin password needs 32 characters or more, and not"):
        load_hub_config(monkeypatch, env)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"HUB_SPAWNER": "kubernetes"}, "HUB_SPAWNER='kubernetes' is not one of swarm, local"),
        ({"HUB_AUTHENTICATOR": "pam"}, "HUB_AUTHENTICATOR='pam' is not one of ldap, dummy"),
        ({"LDAP_ALLOWED_GROUPS": ""}, "LDAP_ALLOWED_GROUPS is not set"),
        ({"LDAP_SERVER": ""}, "LDAP_SERVER is not set"),
        ({"LDAP_BIND_DN_TEMPLATE": ""}, "set LDAP_BIND_DN_TEMPLATE"),
        ({"LDAP_TLS_STRATEGY": "starttls"}, "LDAP_TLS_STRATEGY='starttls' is not one of"),
        (
            {"LDAP_CA_FILE": "/nonexistent/ca.pem"},
            "LDAP_CA_FILE='/nonexistent/ca.pem' is not a file",
        ),
        ({"HUB_DB_URL": ""}, "HUB_DB_URL is not set"),
        (
            {"HUB_DB_PASSWORD_FILE": "/nonexistent/db"},
            "HUB_DB_PASSWORD_FILE: cannot read /nonexistent/db",
        ),
        ({"HUB_COOKIE_SECRET_FILE": ""}, "HUB_COOKIE_SECRET_FILE is not set"),
        ({"NOTEBOOK_IMAGES": "base=img"}, "NOTEBOOK_IMAGES is not JSON"),
        ({"NOTEBOOK_IMAGES": '["img:1"]'}, "NOTEBOOK_IMAGES must be a JSON object"),
        ({"CULL_TIMEOUT": "soon"}, "CULL_TIMEOUT='soon' is not a number"),
        ({"LDAP_TIMEOUT": "0"}, "LDAP_TIMEOUT='0' must be greater than 0"),
        (
            {
                "LDAP_LOOKUP_DN": "true",
                "LDAP_USER_SEARCH_BASE": "ou=people,dc=example,dc=org",
                "LDAP_SEARCH_USER": "cn=search,dc=example,dc=org",
            },
            "LDAP_SEARCH_PASSWORD_FILE is not set",
        ),
        ({"MEM_LIMIT": "lots"}, "MEM_LIMIT='lots' is not a size"),
        ({"MEM_LIMIT": "1G", "MEM_RESERVATION": "2G"}, "MEM_RESERVATION is greater than MEM_LIMIT"),
        ({"CPU_LIMIT": "1", "CPU_RESERVATION": "1.5"}, "CPU_RESERVATION is greater than CPU_LIMIT"),
        ({"PIDS_LIMIT": "-1"}, "PIDS_LIMIT='-1' must be greater than 0"),
        ({"NFS_SERVER": "10.0.0.5"}, "NFS_SERVER is set but NFS_EXPORT"),
        ({"HUB_SPAWNER": "swarm", "LOG_MAX_SIZE": "10MB"}, "LOG_MAX_SIZE='10MB' is not a log size"),
        ({"HUB_SPAWNER": "swarm", "LOG_MAX_FILES": "0"}, "LOG_MAX_FILES='0' must be greater"),
        ({"HUB_CRYPT_KEY_FILE": "/nonexistent/key"}, "HUB_CRYPT_KEY_FILE: cannot read"),
        ({"HUB_CRYPT_KEY_FILE": "short-key"}, "HUB_CRYPT_KEY_FILE must hold 64 hex digits"),
    ],
)
def test_bad_settings_stop_the_hub_with_one_line(tmp_path, monkeypatch, change, message):
    if change.get("HUB_CRYPT_KEY_FILE") == "short-key":
        change = {"HUB_CRYPT_KEY_FILE": write_secret(tmp_path / "crypt_key", "0123")}
    env = {**secret_env(tmp_path), **LDAP_ENV, "HUB_DB_URL": "sqlite://", **change}
    with pytest.raises(SystemExit) as stopped:
        load_hub_config(monkeypatch, env)
    text = str(stopped.value)
    assert text.startswith("jupyterhub_config: ")
    assert message in text
    assert "\n" not in text
