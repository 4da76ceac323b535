"""platform/deploy: init makes every secret once, check validates offline, deploy needs a manager,
local runs a trial hub. Every command runs as an operator would run it, as a subprocess.
"""

import datetime
import os
import re
import signal
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.hub_client import direct_session
from harness.ports import free_port, wait_for_http
from harness.processes import stop_pid, stop_process_group
from harness.stack import deploy_tool_module

DEPLOY = Path(__file__).resolve().parents[2] / "platform" / "deploy"
VENV_BIN = Path(sys.executable).parent


def deploy(tmp_path, *arguments, env=None):
    command = [
        sys.executable,
        str(DEPLOY),
        "--env-file",
        str(tmp_path / "platform.env"),
        "--secrets-dir",
        str(tmp_path / "secrets"),
        *arguments,
    ]
    full_env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env)


# A site's own values in place of platform.env.example's (check refuses the example's).
SITE_VALUES = {
    "hub.example.org": "hub.site.test",
    "registry.example.org": "registry.site.test",
    "ldap.example.org": "ldap.site.test",
    "dc=example,dc=org": "dc=site,dc=test",
    "NFS_SERVER=10.0.0.5": "NFS_SERVER=10.9.8.7",
}


def edit_settings(folder: Path, replacements: dict) -> None:
    env_file = folder / "platform.env"
    text = env_file.read_text()
    for old, new in replacements.items():
        text = text.replace(old, new)
    env_file.write_text(text)


def add_settings(folder: Path, *lines: str) -> None:
    with (folder / "platform.env").open("a") as env_file:
        env_file.write("".join(line + "\n" for line in lines))


@pytest.fixture
def initialized(tmp_path):
    """init for hub.site.test, platform.env edited as a site would."""
    result = deploy(tmp_path, "init", "--server-name", "hub.site.test")
    assert result.returncode == 0, result.stderr
    edit_settings(tmp_path, SITE_VALUES)
    return tmp_path


def test_init_generates_every_secret_privately(initialized):
    folder = initialized / "secrets"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = {
        "db_password",
        "cookie_secret",
        "proxy_token",
        "crypt_key",
        "metrics_token",
        "tls.crt",
        "tls.key",
        "ldap_ca.pem",
        "ldap_search_password",
    }
    assert {path.name for path in folder.iterdir()} == names
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    tokens = [
        (folder / name).read_text().strip()
        for name in ("db_password", "cookie_secret", "proxy_token", "crypt_key", "metrics_token")
    ]
    assert len(set(tokens)) == 5
    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token in tokens)
    show_names = ["openssl", "x509", "-in", folder / "tls.crt", "-noout", "-ext", "subjectAltName"]
    subject = subprocess.run(show_names, capture_output=True, text=True, check=True).stdout
    assert "DNS:hub.site.test" in subject
    assert (initialized / "platform.env").read_text().startswith("# Site settings")


def test_init_never_overwrites_a_secret(initialized):
    before = {p.name: p.read_bytes() for p in (initialized / "secrets").iterdir()}
    again = deploy(initialized, "init")
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout, again.stdout
    certificate = str(initialized / "secrets" / "tls.crt")
    refused = deploy(initialized, "init", "--cert", certificate, "--key", certificate)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"deploy init: --cert: {certificate} exists and init never overwrites a secret "
        "(delete it first to replace it)"
    )
    assert {p.name: p.read_bytes() for p in (initialized / "secrets").iterdir()} == before


def test_init_adds_a_missing_secret_to_an_existing_folder_and_keeps_the_others(initialized):
    """A secrets folder from an older release lacks a secret a newer stack needs (crypt_key)."""
    folder = initialized / "secrets"
    (folder / "crypt_key").unlink()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    check = deploy(initialized, "check")
    assert check.returncode == 1
    assert f"missing in {folder}: crypt_key (run `platform/deploy init`" in check.stderr
    result = deploy(initialized, "init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"init: wrote crypt_key to {folder}")
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert {name: after[name] for name in before} == before
    assert re.fullmatch(rb"[0-9a-f]{64}\n", after["crypt_key"])
    assert stat.S_IMODE((folder / "crypt_key").stat().st_mode) == 0o600
    assert not [p for p in initialized.iterdir() if p.name.startswith(".secrets-")]


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
    assert len(lines) == 6, result.stdout
    assert all(line.startswith("check: ok") for line in lines), result.stdout
    assert lines[2] == "check: ok   every image names its registry (7 images)"
    assert "SwarmSpawner" in lines[5]
    assert "LDAPAuthenticator" in lines[5]


def test_check_reports_the_examples_unedited_values(tmp_path):
    assert deploy(tmp_path, "init", "--server-name", "hub.example.org").returncode == 0
    result = deploy(tmp_path, "check")
    assert result.returncode == 1
    for value in (
        "SERVER_NAME=hub.example.org",
        "LDAP_SERVER=ldap.example.org",
        "NFS_SERVER=10.0.0.5",
        "HUB_IMAGE=registry.example.org",
    ):
        assert f"check: FAIL {value}" in result.stdout, result.stdout
    assert "still the example's value, set your site's" in result.stdout


# Wrong values `check` refuses, one line each; each group in one run of `check` (one value per
# variable in a group).
WRONG_VALUES = [
    [
        ("CPU_LIMT=4", "CPU_LIMT: not a setting of stack.yml (a typo? see platform.env.example)"),
        ("LDAP_SERVER=ldaps://ldap.site.test", "LDAP_SERVER='ldaps://ldap.site.test' is not a"),
        ("HTTPS_PORT=70000", "HTTPS_PORT='70000' is not a port (1-65535)"),
        ("LDAP_PORT=65536", "LDAP_PORT='65536' is not a port (1-65535)"),
        (
            'NOTEBOOK_IMAGES={"A": "registry.site.test/a:1", "B": "registry.site.test/a:1"}',
            "NOTEBOOK_IMAGES: 'registry.site.test/a:1' is listed twice",
        ),
        (
            "NOTEBOOK_PLACEMENT=node.role = worker",
            "NOTEBOOK_PLACEMENT: 'node.role = worker' is not a placement constraint",
        ),
        ("SERVER_NAME=other.site.test", "tls.crt does not cover SERVER_NAME=other.site.test"),
    ],
    [
        ("LDAP_SERVER=ldap.site.test:636", "LDAP_SERVER='ldap.site.test:636' is not a host name"),
        (
            'NOTEBOOK_IMAGES={"A": "registry.site.test/a:1", "A": "registry.site.test/b:1"}',
            "NOTEBOOK_IMAGES: 'A' is listed twice",
        ),
    ],
    [
        (
            'NOTEBOOK_IMAGES={"A": "registry.site.test/A B:1"}',
            "NOTEBOOK_IMAGES: 'A': 'registry.site.test/A B:1' is not an image reference",
        ),
    ],
]


@pytest.mark.parametrize("wrong", WRONG_VALUES, ids=["many", "host-port", "image"])
def test_check_refuses_each_wrong_value_in_one_line(initialized, wrong):
    add_settings(initialized, *(setting for setting, _ in wrong))
    result = deploy(initialized, "check")
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("check: FAIL")]
    assert len(failures) == len(wrong), result.stdout
    for _, message in wrong:
        assert len([line for line in failures if message in line]) == 1, (message, result.stdout)
    assert result.stderr.strip() == f"deploy check: {len(wrong)} check(s) failed"


def test_check_refuses_secrets_that_are_not_64_hex_digits(initialized):
    for name in ("cookie_secret", "crypt_key"):
        (initialized / "secrets" / name).write_text("not-hex\n")
    result = deploy(initialized, "check")
    assert result.returncode == 1
    for name in ("cookie_secret", "crypt_key"):
        assert f"check: FAIL {initialized / 'secrets' / name}: not 64 hex digits" in result.stdout


def test_check_accepts_a_memory_limit_as_docker_writes_it(initialized):
    add_settings(initialized, "MEM_LIMIT=4g", "MEM_RESERVATION=512m")
    result = deploy(initialized, "check")
    assert result.returncode == 0, result.stdout + result.stderr


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
    assert "check: FAIL " in result.stdout, result.stdout
    assert message in result.stdout, result.stdout


def test_check_reports_a_bad_setting_and_fails(initialized):
    env_file = initialized / "platform.env"
    env_file.write_text(
        env_file.read_text().replace("LDAP_ALLOWED_GROUPS=cn=", "# LDAP_ALLOWED_GROUPS=cn=")
    )
    result = deploy(initialized, "check")
    assert result.returncode == 1
    assert "check: FAIL docker stack config:" in result.stdout
    assert "LDAP_ALLOWED_GROUPS" in result.stdout
    # One missing setting, one failure: what needs the rendered stack is skipped, not failed.
    assert "check: --   hub config: skipped (stack.yml does not render)" in result.stdout
    assert result.stderr.strip() == "deploy check: 1 check(s) failed"


def lookup_settings(folder: Path) -> None:
    """Switch platform.env to search-then-bind logins with a service account."""
    add_settings(
        folder,
        "LDAP_LOOKUP_DN=true",
        "LDAP_USER_SEARCH_BASE=ou=people,dc=site,dc=test",
        "LDAP_SEARCH_USER=cn=hub-search,ou=services,dc=site,dc=test",
    )


def test_the_ldap_search_password_is_a_secret_given_to_init(tmp_path):
    password_file = tmp_path / "search-password"
    password_file.write_text("s3arch-Pass\n")
    result = deploy(
        tmp_path,
        "init",
        "--ldap-search-password-file",
        str(password_file),
        "--server-name",
        "hub.site.test",
    )
    assert result.returncode == 0, result.stderr
    edit_settings(tmp_path, SITE_VALUES)
    secret = tmp_path / "secrets" / "ldap_search_password"
    assert secret.read_text() == "s3arch-Pass\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
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


NO_DOCKER = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}


def test_backup_without_the_db_container_stops_in_one_line_and_writes_nothing(initialized):
    output = initialized / "backups"
    output.mkdir()
    result = deploy(initialized, "backup", "--output", str(output), env=NO_DOCKER)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("deploy backup: docker ps: ")
    assert list(output.iterdir()) == []


def test_rotate_without_a_swarm_manager_changes_no_secret(initialized):
    cookie_secret = (initialized / "secrets" / "cookie_secret").read_text()
    result = deploy(initialized, "rotate", "cookie_secret", env=NO_DOCKER)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "deploy rotate: cannot reach a Docker Swarm manager (docker info): run this on a manager"
    )
    assert (initialized / "secrets" / "cookie_secret").read_text() == cookie_secret


def test_rotating_the_database_password_without_the_database_changes_nothing(initialized):
    password = (initialized / "secrets" / "db_password").read_text()
    result = deploy(initialized, "rotate", "db_password", "--no-deploy", env=NO_DOCKER)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "rotate: db_password is unchanged"
    assert lines[1].startswith("deploy rotate: docker ps: ")
    assert (initialized / "secrets" / "db_password").read_text() == password
    assert (
        sorted(path.name for path in (initialized / "secrets").iterdir() if "new" in path.name)
        == []
    )


def test_rotate_offers_only_the_generated_secrets(initialized):
    result = deploy(initialized, "rotate", "tls.key")
    assert result.returncode == 2
    assert "invalid choice: 'tls.key'" in result.stderr


def test_rollback_needs_a_swarm_manager(initialized):
    result = deploy(initialized, "rollback", env=NO_DOCKER)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "deploy rollback: cannot reach a Docker Swarm manager (docker info): run this on a manager"
    )


def test_restore_refuses_a_file_that_is_not_a_backup(initialized):
    before = {path.name: path.read_bytes() for path in (initialized / "secrets").iterdir()}
    result = deploy(initialized, "restore", str(initialized / "platform.env"), env=NO_DOCKER)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"deploy restore: {initialized / 'platform.env'}: not a backup of platform/deploy "
        "(not a tar file)"
    )
    after = {path.name: path.read_bytes() for path in (initialized / "secrets").iterdir()}
    assert after == before


def test_restore_on_a_new_machine_writes_the_backups_secrets_then_asks_for_the_stack(
    initialized, tmp_path_factory
):
    """The backup's tar is made here as backup makes it (the Swarm test makes a real one)."""
    backup = initialized / "jupyterhub-backup-20260101T000000Z.tar"
    with tarfile.open(backup, "w") as archive:
        dump = initialized / "jupyterhub.dump"
        dump.write_bytes(b"PGDMP stand-in: never read, no database runs here")
        archive.add(dump, "jupyterhub.dump")
        for path in (initialized / "secrets").iterdir():
            archive.add(path, f"secrets/{path.name}")
    machine = tmp_path_factory.mktemp("new-machine")
    (machine / "platform.env").write_text((initialized / "platform.env").read_text())
    (machine / "secrets").mkdir(mode=0o700)
    (machine / "secrets" / "cookie_secret").write_text("f" * 64 + "\n")
    result = deploy(machine, "restore", str(backup), env=NO_DOCKER)
    assert result.returncode == 1
    assert (
        "deploy the stack (`platform/deploy deploy`) with the restored secrets, then run "
        "restore again" in result.stderr
    )
    assert f"restore: kept {machine / 'secrets' / 'cookie_secret'}, which differs" in result.stdout
    for path in (initialized / "secrets").iterdir():
        restored = machine / "secrets" / path.name
        if path.name != "cookie_secret":
            assert restored.read_bytes() == path.read_bytes(), path.name
            assert stat.S_IMODE(restored.stat().st_mode) == 0o600, path.name
    assert (machine / "secrets" / "cookie_secret").read_text() == "f" * 64 + "\n"


@pytest.mark.e2e
def test_local_without_configurable_http_proxy_stops_in_one_line(tmp_path):
    """Only the virtualenv on PATH: jupyterhub is there, configurable-http-proxy is not."""
    command = [sys.executable, str(DEPLOY), "local", "--trial-dir", str(tmp_path / "trial")]
    result = subprocess.run(command, capture_output=True, text=True, env={"PATH": str(VENV_BIN)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "deploy local: configurable-http-proxy not found: apt install "
        "node-configurable-http-proxy, or npm install -g configurable-http-proxy"
    )
    assert list(tmp_path.iterdir()) == []


def ignore_sigint() -> None:
    """preexec_fn: SIGINT ignored, as a shell script's `platform/deploy local &` starts it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_local_runs_a_trial_hub(tmp_path):
    port = free_port()
    trial = tmp_path / "trial"
    log = tmp_path / "local.log"
    process = subprocess.Popen(
        [sys.executable, str(DEPLOY), "local", "--port", str(port), "--trial-dir", str(trial)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"},
        preexec_fn=ignore_sigint,
        process_group=0,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/hub/login", process, what="platform/deploy local")
        password = (trial / "trial_password").read_text().strip()
        url = f"http://127.0.0.1:{port}/hub"
        session = direct_session()
        form = session.get(f"{url}/login", timeout=10)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        login = {"username": "trial-user", "_xsrf": xsrf}
        wrong = session.post(
            f"{url}/login",
            data={**login, "password": "nope-nope"},
            allow_redirects=False,
            timeout=30,
        )
        assert wrong.status_code == 403
        right = session.post(
            f"{url}/login", data={**login, "password": password}, allow_redirects=False, timeout=30
        )
        assert right.status_code == 302
        assert session.get(f"{url}/api/user", timeout=10).json()["name"] == "trial-user"
        assert not session.get(f"{url}/api/user", timeout=10).json()["admin"]
        admin = direct_session()
        form = admin.get(f"{url}/login", timeout=10)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        admin_password = (trial / "trial_admin_password").read_text().strip()
        assert f"user admin, password {admin_password}" in log.read_text()
        login = {"username": "admin", "_xsrf": xsrf}
        with_users_password = {**login, "password": password}
        refused = admin.post(f"{url}/login", data=with_users_password, allow_redirects=False)
        assert refused.status_code == 403
        login["password"] = admin_password
        assert admin.post(f"{url}/login", data=login, allow_redirects=False, timeout=30).ok
        assert admin.get(f"{url}/api/user", timeout=10).json()["admin"] is True
        # Ctrl-C: SIGINT to the process group (hub, proxy, culler). Started with SIGINT ignored (as
        # `&` in a script does), the culler used to ignore it and the hub waited ~30 s for it;
        # "a few seconds" is the goal, 10 s leaves room for a busy machine.
        os.killpg(process.pid, signal.SIGINT)
        stopped = time.monotonic()
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - stopped < 10
        assert "Leaving single-user servers running" in log.read_text()  # its own cleanup ran
    finally:
        stop_process_group(process)
        proxy_pid = trial / "jupyterhub-proxy.pid"
        if proxy_pid.exists():
            stop_pid(int(proxy_pid.read_text()))
        print(log.read_text()[-3000:])


def write_certificate(folder: Path, name: str, host: str, not_after_days: int = 30) -> tuple:
    """A self-signed certificate for `host` valid until `not_after_days` from now (negative:
    expired) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=60))
        .not_valid_after(now + datetime.timedelta(days=not_after_days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_renew_cert_refuses_a_bad_certificate_in_one_line_and_changes_nothing(initialized):
    secrets_dir = initialized / "secrets"
    tls_dir = initialized / "tls"
    add_settings(initialized, f"TLS_DIR={tls_dir}")
    good_cert, good_key = write_certificate(initialized, "good", "hub.site.test")
    _, other_key = write_certificate(initialized, "other", "hub.site.test")
    expired_cert, expired_key = write_certificate(initialized, "expired", "hub.site.test", -1)
    elsewhere_cert, elsewhere_key = write_certificate(initialized, "elsewhere", "other.site.test")
    unchanged = "; nothing changed"
    cases = [
        (good_cert, other_key, f"{other_key} is not the private key of {good_cert}{unchanged}"),
        (good_cert, good_cert, f"{good_cert} is not the private key of {good_cert}{unchanged}"),
        (expired_cert, expired_key, f"{expired_cert} has expired{unchanged}"),
        (
            elsewhere_cert,
            elsewhere_key,
            f"{elsewhere_cert} does not cover SERVER_NAME=hub.site.test{unchanged}",
        ),
        (good_key, good_key, f"{good_key} is not a PEM certificate{unchanged}"),
        (initialized / "none.crt", good_key, f"CERT {initialized / 'none.crt'}: no such file"),
    ]
    before = {name: (secrets_dir / name).read_bytes() for name in ("tls.crt", "tls.key")}
    for cert, key, message in cases:
        result = deploy(initialized, "renew-cert", str(cert), str(key), env=NO_DOCKER)
        assert result.returncode == 1, message
        assert result.stderr.splitlines() == [f"deploy renew-cert: {message}"]
    assert {name: (secrets_dir / name).read_bytes() for name in before} == before
    assert not tls_dir.exists()


def test_renew_cert_validates_before_it_needs_the_swarm(initialized):
    """A good certificate passes validation, then the tool needs the proxy's manager."""
    cert, key = write_certificate(initialized, "good", "hub.site.test")
    before = (initialized / "secrets" / "tls.crt").read_bytes()
    result = deploy(initialized, "renew-cert", str(cert), str(key), env=NO_DOCKER)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "deploy renew-cert: cannot reach a Docker Swarm manager (docker info): "
        "run this on a manager"
    )
    assert (initialized / "secrets" / "tls.crt").read_bytes() == before


def test_check_refuses_a_key_that_is_not_the_certificates(initialized):
    _, other_key = write_certificate(initialized, "other", "hub.site.test")
    (initialized / "secrets" / "tls.key").write_bytes(other_key.read_bytes())
    result = deploy(initialized, "check")
    assert result.returncode == 1
    secrets_dir = initialized / "secrets"
    assert (
        f"check: FAIL {secrets_dir / 'tls.key'} is not the private key of {secrets_dir / 'tls.crt'}"
    ) in result.stdout


def test_install_certificate_swaps_one_link_and_keeps_the_key_private(initialized, tmp_path):
    """What deploy and renew-cert leave in TLS_DIR for nginx: folder 0700, key 0600, `current` a
    relative link (the same inside nginx's container), the previous version kept, older ones
    removed."""
    tool = deploy_tool_module()
    secrets_dir, tls_dir = initialized / "secrets", tmp_path / "tls"
    versions = []
    for name in ("first", "second", "third"):
        cert, key = write_certificate(initialized, name, "hub.site.test")
        (secrets_dir / "tls.crt").write_bytes(cert.read_bytes())
        (secrets_dir / "tls.key").write_bytes(key.read_bytes())
        assert tool.install_certificate(secrets_dir, tls_dir) == (versions[-1] if versions else "")
        versions.append(os.readlink(tls_dir / "current"))
    assert tool.install_certificate(secrets_dir, tls_dir) is None  # unchanged: nothing to reload
    assert sorted(path.name for path in tls_dir.iterdir()) == sorted(["current", *versions[1:]])
    assert stat.S_IMODE(tls_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((tls_dir / "current" / "tls.key").stat().st_mode) == 0o600
    assert (tls_dir / "current" / "tls.key").read_bytes() == (secrets_dir / "tls.key").read_bytes()
