"""platform/deploy: init makes every secret once, check validates offline, deploy needs a manager,
local runs a trial hub. Every command runs as an operator would run it, as a subprocess.
"""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from harness.hub_client import direct_session
from harness.ports import free_port, wait_for_http
from harness.processes import default_sigint, stop_pid, stop_process_group

DEPLOY = Path(__file__).resolve().parents[2] / "platform" / "deploy"
VENV_BIN = Path(sys.executable).parent


def deploy(tmp_path, *arguments, env=None):
    command = [sys.executable, str(DEPLOY), "--env-file", str(tmp_path / "platform.env"),
               "--secrets-dir", str(tmp_path / "secrets"), *arguments]  # fmt: skip
    full_env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env)


@pytest.fixture
def initialized(tmp_path):
    result = deploy(tmp_path, "init", "--server-name", "hub.example.org")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_init_generates_every_secret_privately(initialized):
    folder = initialized / "secrets"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = {"db_password", "cookie_secret", "proxy_token", "tls.crt", "tls.key", "ldap_ca.pem",
             "ldap_search_password"}  # fmt: skip
    assert {path.name for path in folder.iterdir()} == names
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    tokens = [
        (folder / name).read_text().strip()
        for name in ("db_password", "cookie_secret", "proxy_token")
    ]
    assert len(set(tokens)) == 3 and all(re.fullmatch(r"[0-9a-f]{64}", token) for token in tokens)
    show_names = ["openssl", "x509", "-in", folder / "tls.crt", "-noout", "-ext", "subjectAltName"]
    subject = subprocess.run(show_names, capture_output=True, text=True, check=True).stdout
    assert "DNS:hub.example.org" in subject
    assert (initialized / "platform.env").read_text().startswith("# Site settings")


def test_init_refuses_to_overwrite_secrets(initialized):
    before = {p.name: p.read_bytes() for p in (initialized / "secrets").iterdir()}
    result = deploy(initialized, "init")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("already holds secrets: refusing to overwrite them")
    assert {p.name: p.read_bytes() for p in (initialized / "secrets").iterdir()} == before


def test_init_with_a_missing_certificate_leaves_nothing(tmp_path):
    missing = str(tmp_path / "none.crt")
    result = deploy(tmp_path, "init", "--cert", missing, "--key", missing)
    assert result.returncode == 1
    assert result.stderr.strip() == f"deploy init: --cert {missing}: no such file"
    assert list(tmp_path.iterdir()) == []


def test_check_validates_the_stack_dockerfiles_nginx_and_hub_config(initialized):
    result = deploy(initialized, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("check: ok") for line in lines), result.stdout
    assert lines[1] == "check: ok   every image names its registry (6 images)"
    assert "SwarmSpawner" in lines[4] and "LDAPAuthenticator" in lines[4]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "HUB_IMAGE=mlops/jupyterhub:0.1.0",
            "image names without a registry host: mlops/jupyterhub",
        ),
        (
            'NOTEBOOK_IMAGES={"Base": "jupyter/base-notebook:1"}',
            "without a registry host: jupyter/",
        ),
        ("NOTEBOOK_IMAGES=", "NOTEBOOK_IMAGES is not set: name your registry's notebook images"),
    ],
)
def test_check_refuses_image_names_without_a_registry(initialized, setting, message):
    with (initialized / "platform.env").open("a") as env_file:
        env_file.write(setting + "\n")
    result = deploy(initialized, "check")
    assert result.returncode == 1
    assert "check: FAIL " in result.stdout and message in result.stdout, result.stdout


def test_check_reports_a_bad_setting_and_fails(initialized):
    env_file = initialized / "platform.env"
    env_file.write_text(
        env_file.read_text().replace("LDAP_ALLOWED_GROUPS=cn=", "# LDAP_ALLOWED_GROUPS=cn=")
    )
    result = deploy(initialized, "check")
    assert result.returncode == 1
    assert (
        "check: FAIL docker stack config:" in result.stdout
        and "LDAP_ALLOWED_GROUPS" in result.stdout
    )
    assert result.stderr.strip() == "deploy check: 2 check(s) failed"


def lookup_settings(folder: Path) -> None:
    """Switch platform.env to search-then-bind logins with a service account."""
    with (folder / "platform.env").open("a") as env_file:
        env_file.write(
            "LDAP_LOOKUP_DN=true\nLDAP_USER_SEARCH_BASE=ou=people,dc=example,dc=org\n"
            "LDAP_SEARCH_USER=cn=hub-search,ou=services,dc=example,dc=org\n"
        )


def test_the_ldap_search_password_is_a_secret_given_to_init(tmp_path):
    password_file = tmp_path / "search-password"
    password_file.write_text("s3arch-Pass\n")
    result = deploy(tmp_path, "init", "--ldap-search-password-file", str(password_file))
    assert result.returncode == 0, result.stderr
    secret = tmp_path / "secrets" / "ldap_search_password"
    assert secret.read_text() == "s3arch-Pass\n" and stat.S_IMODE(secret.stat().st_mode) == 0o600
    lookup_settings(tmp_path)
    result = deploy(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_refuses_a_search_user_without_its_password(initialized):
    assert (initialized / "secrets" / "ldap_search_password").read_text() == "\n"
    lookup_settings(initialized)
    result = deploy(initialized, "check")
    assert result.returncode == 1
    assert "check: FAIL hub config: jupyterhub_config: LDAP_SEARCH_PASSWORD_FILE:" in result.stdout
    assert "ldap_search_password is empty" in result.stdout


def test_check_needs_init_first(tmp_path):
    result = deploy(tmp_path, "check")
    assert result.returncode == 1
    assert "platform.env not found: run `platform/deploy init`" in result.stderr


def test_deploy_needs_a_swarm_manager(initialized):
    result = deploy(
        initialized, "deploy", env={"DOCKER_HOST": f"unix://{initialized}/no-docker.sock"}
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "deploy deploy: cannot reach a Docker Swarm manager (docker info): run this on a manager"
    )


@pytest.mark.e2e
def test_local_runs_a_trial_hub(tmp_path):
    port = free_port()
    trial = tmp_path / "trial"
    log = tmp_path / "local.log"
    process = subprocess.Popen(
        [sys.executable, str(DEPLOY), "local", "--port", str(port), "--trial-dir", str(trial)],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
        env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"},
        preexec_fn=default_sigint, process_group=0,
    )  # fmt: skip
    try:
        wait_for_http(f"http://127.0.0.1:{port}/hub/login", process, what="platform/deploy local")
        password = (trial / "trial_password").read_text().strip()
        url = f"http://127.0.0.1:{port}/hub"
        session = direct_session()
        form = session.get(f"{url}/login", timeout=10)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        login = {"username": "trial-user", "_xsrf": xsrf}
        wrong = session.post(f"{url}/login", data={**login, "password": "nope-nope"},
                             allow_redirects=False, timeout=30)  # fmt: skip
        assert wrong.status_code == 403
        right = session.post(f"{url}/login", data={**login, "password": password},
                             allow_redirects=False, timeout=30)  # fmt: skip
        assert right.status_code == 302
        assert session.get(f"{url}/api/user", timeout=10).json()["name"] == "trial-user"
    finally:
        stop_process_group(process)
        proxy_pid = trial / "jupyterhub-proxy.pid"
        if proxy_pid.exists():
            stop_pid(int(proxy_pid.read_text()))
        print(log.read_text()[-3000:])
