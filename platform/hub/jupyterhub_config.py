# JupyterHub configuration for the platform, driven only by environment variables (12-factor).
# Every variable it reads is documented in platform/README.md ("Hub configuration reference").
# Spawners: `swarm` (production: one Docker Swarm service per user) or `local` (one local process
# per user: a trial on one machine, the tests). Authenticators: `ldap` or `dummy` (trials only).
import asyncio
import hashlib
import html
import json
import os
import re
import ssl
import sys
from pathlib import Path

import escapism

c = get_config()  # noqa: F821  (injected by JupyterHub when it loads this file)

# The platform's spawner (swarm_spawner.py) ships next to this file, in the hub image and here.
sys.path.insert(0, str(Path(__file__).resolve().parent))


class ConfigError(SystemExit):
    """A bad environment variable: the hub stops with this one-line message, having done nothing."""

    def __init__(self, message):
        super().__init__(f"jupyterhub_config: {message}")


def env(name, default=""):
    """The variable's value; unset and empty alike give the default (stack.yml passes an empty
    value for a setting the site left out)."""
    return os.environ.get(name, "").strip() or default


def env_choice(name, choices, default):
    value = env(name, default)
    if value not in choices:
        raise ConfigError(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def env_number(name, default, kind=int):
    value = env(name, str(default))
    try:
        number = kind(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number") from None
    if number <= 0:
        raise ConfigError(f"{name}={value!r} must be greater than 0")
    return number


def env_size(name, default):
    """A memory size as Docker takes it: 512M, 4G, 4g, 1.5G, or bytes. Returned with an uppercase
    unit, the only way JupyterHub reads it."""
    value = env(name, default)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?[KMGTkmgt]?", value):
        raise ConfigError(f"{name}={value!r} is not a size (e.g. 512M, 4G)")
    return value.upper()


def size_in_bytes(size):
    """Bytes of a size written as env_size accepts it (K, M, G, T are powers of 1024)."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    if size[-1] in units:
        return int(float(size[:-1]) * units[size[-1]])
    return int(float(size))


def env_list(name):
    """A `;`-separated list (LDAP DNs contain commas, so commas cannot separate them)."""
    return [item.strip() for item in env(name).split(";") if item.strip()]


def env_bool(name, default="false"):
    return env_choice(name, ["true", "false"], default) == "true"


def read_secret(variable):
    """The stripped content of the file named by `variable` (a Docker secret)."""
    path = env(variable)
    if not path:
        raise ConfigError(f"{variable} is not set")
    try:
        content = Path(path).read_text().strip()
    except OSError as error:
        raise ConfigError(f"{variable}: cannot read {path}: {error.strerror}") from None
    if not content:
        raise ConfigError(f"{variable}: {path} is empty")
    return content


# --------------------------------------------------------------------------------------------------
# Usernames become folder names and Swarm service names: escape them once, the same way everywhere.
# "jupyter-" + 48 characters stays under the 63-character limit of a service name (a DNS label).
MAX_SAFE_NAME = 48


def safe_name(username):
    """A lowercase [a-z0-9-] name that is distinct for distinct usernames and never a path trick.

    escapism encodes every other character as `-XX` (hex), so `-` is always followed by two hex
    digits and `--` cannot occur in an escaped name: it separates the hash suffix of a shortened
    long name.
    """
    escaped = escapism.escape(
        username, safe=set("abcdefghijklmnopqrstuvwxyz0123456789"), escape_char="-"
    )
    escaped = escaped.lower()
    if len(escaped) > MAX_SAFE_NAME:
        digest = hashlib.sha256(username.encode()).hexdigest()[:12]
        escaped = f"{escaped[: MAX_SAFE_NAME - 14]}--{digest}"
    return escaped


HOME_ROOT = Path(env("HOME_ROOT", "/srv/jupyterhub/homes"))
SHARED_DIR = env("SHARED_DIR")
NFS_SERVER = env("NFS_SERVER")
NFS_EXPORT = env("NFS_EXPORT")
NFS_SHARED_EXPORT = env("NFS_SHARED_EXPORT")
NFS_OPTIONS = env("NFS_OPTIONS", "rw,nfsvers=4.1")
# Each user's server runs as its own uid: LDAP's uidNumber when the directory has one for the user
# (the uid the site's other machines know them by), otherwise NOTEBOOK_UID_BASE + the user's id in
# the hub database (stable: PostgreSQL never reuses an id). So one user's files are not another's,
# even for someone who gets NFS access. All share the group NOTEBOOK_GID (the shared folder is
# group-writable).
NOTEBOOK_UID_BASE = env_number("NOTEBOOK_UID_BASE", 100000)
NOTEBOOK_GID = env_number("NOTEBOOK_GID", 100)
NOTEBOOK_HOME = "/home/jovyan"  # the notebook images' user home (quay.io/jupyter images)
SHARED_MOUNT = f"{NOTEBOOK_HOME}/shared"

if NFS_SERVER and not NFS_EXPORT:
    raise ConfigError("NFS_SERVER is set but NFS_EXPORT (the export holding the user homes) is not")


def user_home(username):
    """HOME_ROOT/<safe name>: always a direct child of HOME_ROOT."""
    home = HOME_ROOT / safe_name(username)
    if home.parent != HOME_ROOT or home.name in ("", ".", ".."):
        raise ValueError(f"unsafe home folder for user {username!r}")
    return home


def hand_over(folder, uid, gid):
    """Give a folder that belonged to another uid (a home from before per-user uids) and everything
    in it to uid:gid. Symlinks are changed themselves, never followed.
    """
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            os.chown(os.path.join(parent, name), uid, gid, follow_symlinks=False)


def create_home(username, uid, gid):
    """Create the user's folder (mode 0700, owner uid:gid) if missing; refuse a planted symlink."""
    home = user_home(username)
    HOME_ROOT.mkdir(parents=True, exist_ok=True)
    if home.is_symlink():
        raise ValueError(f"{home} is a symlink; refusing to use it as a home folder")
    created = not home.exists()
    home.mkdir(mode=0o700, exist_ok=True)
    try:
        if not created and home.stat().st_uid != uid:
            hand_over(home, uid, gid)
        os.chown(home, uid, gid)
        home.chmod(0o700)
    except OSError:
        if created:  # e.g. an NFS export squashing root: leave no root-owned folder behind
            home.rmdir()
        raise
    return home


# Below this a uidNumber is a system account's (Debian: root, daemons, the image's jovyan is 1000).
MIN_LDAP_UID = 1001


async def notebook_uid(user):
    """LDAP's uidNumber of the user (kept in the encrypted auth state since their last login), or
    NOTEBOOK_UID_BASE + the user's hub id for users the directory gives none."""
    auth_state = await user.get_auth_state() or {}
    numbers = (auth_state.get("user_attributes") or {}).get("uidNumber") or []
    if not numbers:
        return NOTEBOOK_UID_BASE + user.id
    uid = int(numbers[0])
    if uid < MIN_LDAP_UID:
        raise ValueError(
            f"LDAP gives {user.name} uidNumber {uid}, a system account's uid (below "
            f"{MIN_LDAP_UID}): refusing to run their server as it"
        )
    return uid


def notebook_mounts(username):
    """The docker.types.Mount objects of a user's service: home folder and shared folder.

    With NFS_SERVER set they are volumes of the `local` driver with `type: nfs` options, created on
    whichever node runs the service; otherwise bind mounts of HOME_ROOT/<safe name> and SHARED_DIR,
    which must exist on that node.
    """
    from docker.types import DriverConfig, Mount

    name = safe_name(username)
    if NFS_SERVER:

        def nfs_volume(volume_name, export, target):
            options = {
                "type": "nfs",
                "o": f"addr={NFS_SERVER},{NFS_OPTIONS}",
                "device": f":{export}",
            }
            return Mount(
                target=target,
                source=volume_name,
                type="volume",
                no_copy=True,
                driver_config=DriverConfig("local", options),
            )

        mounts = [
            nfs_volume(f"jupyterhub-home-{name}", f"{NFS_EXPORT.rstrip('/')}/{name}", NOTEBOOK_HOME)
        ]
        if NFS_SHARED_EXPORT:
            mounts.append(nfs_volume("jupyterhub-shared", NFS_SHARED_EXPORT, SHARED_MOUNT))
        return mounts
    mounts = [Mount(target=NOTEBOOK_HOME, source=str(user_home(username)), type="bind")]
    if SHARED_DIR:
        mounts.append(Mount(target=SHARED_MOUNT, source=SHARED_DIR, type="bind"))
    return mounts


def hardened_container_spec():
    """What a user's container may do beyond running JupyterLab as its unprivileged user: nothing.

    JupyterLab runs as the user's own uid and needs no capability: all are dropped (the bounding set
    too, so no setuid binary or file capability can give one back). `no-new-privileges` cannot be
    set per Swarm service through the API the engines speak (1.41): the nodes set it for every
    container (`"no-new-privileges": true` in daemon.json, see README).
    """
    return {"cap_drop": ["ALL"]}


def rotated_logs():
    """Users' servers log to json-file with rotation, like the stack's services: a notebook that
    prints without end cannot fill its node's disk."""
    from docker.types import DriverConfig

    size = env("LOG_MAX_SIZE", "10m")
    if not re.fullmatch(r"[0-9]+[kmg]", size):
        raise ConfigError(f"LOG_MAX_SIZE={size!r} is not a log size (e.g. 10m, 500k, 1g)")
    files = env_number("LOG_MAX_FILES", 3)
    return DriverConfig("json-file", {"max-size": size, "max-file": str(files)})


def user_resources(spawner):
    """The service's CPU/memory limits and reservations, plus a limit on processes (a fork bomb
    stops there, not at the node's). SwarmSpawner builds the same without the pids limit.
    """
    from docker.types import Resources

    resources = Resources(
        cpu_limit=int(spawner.cpu_limit * 1e9),
        mem_limit=spawner.mem_limit,
        cpu_reservation=int(spawner.cpu_guarantee * 1e9),
        mem_reservation=spawner.mem_guarantee,
    )
    resources["Limits"]["Pids"] = PIDS_LIMIT
    return resources


async def swarm_pre_spawn_hook(spawner):
    """Create the user's folder under HOME_ROOT (the hub's view of the homes) and mount it.

    File operations run in a thread: on a hung NFS mount they block, and must not block the hub.
    """
    uid = await notebook_uid(spawner.user)
    await asyncio.to_thread(create_home, spawner.user.name, uid, NOTEBOOK_GID)
    spawner.extra_container_spec = {
        **spawner.extra_container_spec,
        "mounts": notebook_mounts(spawner.user.name),
        "user": f"{uid}:{NOTEBOOK_GID}",
    }
    spawner.extra_task_spec = {**spawner.extra_task_spec, "resources": user_resources(spawner)}


def link_shared_folder(home):
    link = home / "shared"
    if not link.is_symlink() and not link.exists():
        link.symlink_to(SHARED_DIR, target_is_directory=True)


async def local_pre_spawn_hook(spawner):
    """Local processes run as the hub's user, who owns the folder; SHARED_DIR is linked in."""
    home = await asyncio.to_thread(create_home, spawner.user.name, os.getuid(), os.getgid())
    # SimpleLocalProcessSpawner formats {username} unescaped into its template: give it the path.
    spawner.home_dir_template = str(home).replace("{", "{{").replace("}", "}}")
    if SHARED_DIR:
        await asyncio.to_thread(link_shared_folder, home)


# --------------------------------------------------------------------------------------------------
# Notebook images: a menu, display name -> image. Only these can start (a forged form is refused).
DEFAULT_IMAGES = {
    "Base: Python, JupyterLab, Git, DVC": "mlops/notebook-base:0.1.0",
    "SciPy: + numpy, pandas, scikit-learn, matplotlib": "mlops/notebook-scipy:0.1.0",
    "Data science: + R and Julia": "mlops/notebook-datascience:0.1.0",
}


def notebook_images():
    raw = env("NOTEBOOK_IMAGES")
    if not raw:
        return DEFAULT_IMAGES
    try:
        images = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ConfigError(f"NOTEBOOK_IMAGES is not JSON ({error.msg})") from None
    if (
        not isinstance(images, dict)
        or not images
        or not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in images.items())
    ):
        raise ConfigError(
            'NOTEBOOK_IMAGES must be a JSON object {"display name": "image:tag", ...}'
        )
    return images


def image_menu_form(images):
    """The spawn form: a select of display names (dockerspawner maps a name back to its image)."""
    options = []
    for index, name in enumerate(images):
        selected = " selected" if index == 0 else ""
        options.append(
            f'<option value="{html.escape(name)}"{selected}>{html.escape(name)}</option>'
        )
    select = '<select class="form-control" id="image" name="image" required autofocus>'
    label = '<label for="image">Notebook image</label>'
    return f"{label}\n{select}\n" + "\n".join(options) + "\n</select>"


# --------------------------------------------------------------------------------------------------
# The hub: addresses, state, secrets.
SPAWNER = env_choice("HUB_SPAWNER", ["swarm", "local"], "swarm")
AUTHENTICATOR = env_choice("HUB_AUTHENTICATOR", ["ldap", "dummy"], "ldap")
DATA_DIR = Path(env("HUB_DATA_DIR", "/srv/jupyterhub"))

c.JupyterHub.bind_url = env("HUB_BIND_URL", "http://0.0.0.0:8000")
# Command-line options of every user's jupyterhub-singleuser.
SINGLEUSER_ARGS = []
if env("HUB_PUBLIC_URL"):
    # The address users open, behind nginx. With it the hub marks its cookies Secure: the requests
    # it sees come over plain HTTP from configurable-http-proxy, whatever the browser used.
    c.JupyterHub.public_url = env("HUB_PUBLIC_URL")
    if c.JupyterHub.public_url.startswith("https://"):
        # The _xsrf cookies of the hub and of users' servers do not look at public_url.
        c.JupyterHub.tornado_settings = {"xsrf_cookie_kwargs": {"secure": True}}
        SINGLEUSER_ARGS.append(
            "--ServerApp.tornado_settings={'xsrf_cookie_kwargs': {'secure': True}}"
        )
c.JupyterHub.hub_bind_url = env(
    "HUB_API_BIND_URL", "http://0.0.0.0:8081" if SPAWNER == "swarm" else "http://127.0.0.1:8081"
)
if env("HUB_CONNECT_URL") or SPAWNER == "swarm":
    # How single-user servers reach the hub: the `hub` service name on the overlay network.
    c.JupyterHub.hub_connect_url = env("HUB_CONNECT_URL", "http://hub:8081")
c.ConfigurableHTTPProxy.api_url = env("HUB_PROXY_API_URL", "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.auth_token = read_secret("HUB_PROXY_TOKEN_FILE")
if SPAWNER == "swarm":
    # configurable-http-proxy is the stack's `chp` service, not a child of the hub: users' routes
    # (and their open connections) live on while the hub restarts. The hub checks the routes at
    # start and every minute, which also puts them back after CHP itself restarts.
    c.ConfigurableHTTPProxy.should_start = False
    c.JupyterHub.last_activity_interval = 60
c.ConfigurableHTTPProxy.pid_file = str(DATA_DIR / "jupyterhub-proxy.pid")
c.JupyterHub.pid_file = str(DATA_DIR / "jupyterhub.pid")
if not env("HUB_COOKIE_SECRET_FILE"):
    raise ConfigError("HUB_COOKIE_SECRET_FILE is not set")
c.JupyterHub.cookie_secret_file = env("HUB_COOKIE_SECRET_FILE")

db_url = env("HUB_DB_URL")
if not db_url:
    raise ConfigError(
        "HUB_DB_URL is not set (e.g. postgresql+psycopg://jupyterhub@db:5432/jupyterhub)"
    )
if env("HUB_DB_PASSWORD_FILE"):
    from sqlalchemy.engine import make_url

    try:
        parsed_db_url = make_url(db_url)
    except Exception:
        raise ConfigError(f"HUB_DB_URL={db_url!r} is not a database URL") from None
    db_url = parsed_db_url.set(password=read_secret("HUB_DB_PASSWORD_FILE")).render_as_string(
        hide_password=False
    )
c.JupyterHub.db_url = db_url


def wait_for_database(url, timeout=120):
    """Wait while the database (re)starts: a deploy that changes both (a new database password)
    restarts them at once, and a hub that exits because the database is not up yet would count as
    a failed update and be rolled back. A refused password is not waited for."""
    import time

    import sqlalchemy
    from sqlalchemy.exc import OperationalError

    engine = sqlalchemy.create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect():
                    return
            except OperationalError as error:
                if "password authentication failed" in str(error):
                    return  # JupyterHub reports it
                if time.monotonic() > deadline:
                    return
                print("jupyterhub_config: waiting for the database", file=sys.stderr)
                time.sleep(2)
    finally:
        engine.dispose()


# Only when the hub itself starts (not when `platform/deploy check` loads this file).
if Path(sys.argv[0]).name == "jupyterhub" and db_url.startswith("postgresql"):
    wait_for_database(db_url)
# Upgrades in one deploy: a new hub version migrates an older schema at start (nothing happens when
# it is current), as Zero to JupyterHub does. Back up before upgrading (README, "Upgrades").
c.JupyterHub.upgrade_db = env_bool("HUB_UPGRADE_DB", "true")

# Users' servers keep running while the hub restarts or is upgraded; it finds them in its database.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.log_datefmt = "%Y-%m-%dT%H:%M:%S"

# --------------------------------------------------------------------------------------------------
# Spawner.
c.Spawner.default_url = "/lab"
# Users' servers ignore configuration in the user's home (~/.jupyter): a user cannot turn off the
# hub's settings (e.g. to run extensions that would serve other origins).
c.Spawner.disable_user_config = True
c.Spawner.start_timeout = env_number("SPAWN_TIMEOUT", 300)
c.Spawner.http_timeout = env_number("SPAWN_TIMEOUT", 300)

if SPAWNER == "swarm":
    c.JupyterHub.spawner_class = env("HUB_SPAWNER_CLASS") or "swarm_spawner.PlatformSwarmSpawner"
    images = notebook_images()
    c.SwarmSpawner.allowed_images = images
    c.SwarmSpawner.image = next(iter(images.values()))
    c.SwarmSpawner.options_form = image_menu_form(images)
    c.SwarmSpawner.network_name = env("SWARM_NETWORK", "jupyterhub")
    # Each server on a network of its own behind a relay (swarm_spawner.py): needs overlay networks.
    c.PlatformSwarmSpawner.isolate_network = env_bool("NOTEBOOK_NETWORK_ISOLATION", "true")
    c.PlatformSwarmSpawner.relay_image = env(
        "NOTEBOOK_RELAY_IMAGE", "docker.io/library/nginx:1.28.0-bookworm"
    )
    # The hub reaches users' services by name on the overlay network.
    c.SwarmSpawner.use_internal_hostname = True
    c.SwarmSpawner.escape = safe_name
    c.SwarmSpawner.name_template = "jupyter-{username}"
    # A stopped server's service is always removed (SwarmSpawner.remove is a constant, not an
    # option); its files live on in the home folder.
    c.SwarmSpawner.cpu_limit = env_number("CPU_LIMIT", 2.0, float)
    c.SwarmSpawner.mem_limit = env_size("MEM_LIMIT", "4G")
    # Reservations: the scheduler places a server only where this much is free.
    c.SwarmSpawner.cpu_guarantee = env_number("CPU_RESERVATION", 0.5, float)
    c.SwarmSpawner.mem_guarantee = env_size("MEM_RESERVATION", "1G")
    if c.SwarmSpawner.cpu_guarantee > c.SwarmSpawner.cpu_limit:
        raise ConfigError("CPU_RESERVATION is greater than CPU_LIMIT")
    if size_in_bytes(c.SwarmSpawner.mem_guarantee) > size_in_bytes(c.SwarmSpawner.mem_limit):
        raise ConfigError("MEM_RESERVATION is greater than MEM_LIMIT")
    PIDS_LIMIT = env_number("PIDS_LIMIT", 1024)
    c.SwarmSpawner.extra_container_spec = hardened_container_spec()
    c.SwarmSpawner.extra_task_spec = {"log_driver": rotated_logs()}
    constraints = env_list("NOTEBOOK_PLACEMENT") or ["node.platform.os == linux"]
    c.SwarmSpawner.extra_placement_spec = {"constraints": constraints}
    c.Spawner.pre_spawn_hook = swarm_pre_spawn_hook
else:
    c.JupyterHub.spawner_class = (
        env("HUB_SPAWNER_CLASS") or "jupyterhub.spawner.SimpleLocalProcessSpawner"
    )
    c.Spawner.pre_spawn_hook = local_pre_spawn_hook
    c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    if os.getuid() == 0:  # a trial or CI hub running as root: jupyter-server refuses root otherwise
        SINGLEUSER_ARGS.append("--allow-root")
c.Spawner.args = SINGLEUSER_ARGS


# --------------------------------------------------------------------------------------------------
# Authenticator.
ADMIN_USERS = set(env_list("HUB_ADMIN_USERS"))
c.Authenticator.admin_users = ADMIN_USERS
# Seconds an LDAP server may take to accept a connection and to answer each request.
LDAP_TIMEOUT = env_number("LDAP_TIMEOUT", 10)


def ldap_authenticator_class():
    """LDAPAuthenticator whose blocking LDAP calls run in worker threads, with timeouts.

    ldapauthenticator talks to LDAP with blocking ldap3 calls inside the hub's event loop and
    without timeouts: one LDAP server that accepts connections and never answers would freeze the
    whole hub (every page, /hub/health, SIGTERM). Here each login runs in a thread of a small pool,
    and every connection has a connect and a receive timeout, so a hung login fails after
    LDAP_TIMEOUT seconds with a clear message and frees its thread.
    """
    from concurrent.futures import ThreadPoolExecutor

    import ldap3
    from ldap3.core.exceptions import LDAPBindError, LDAPCommunicationError, LDAPStartTLSError
    from ldapauthenticator import LDAPAuthenticator
    from ldapauthenticator.ldapauthenticator import TlsStrategy
    from tornado import web

    threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ldap-login")

    class TimeoutLDAPAuthenticator(LDAPAuthenticator):
        async def authenticate(self, handler, data):
            login = LDAPAuthenticator.authenticate(self, handler, data)  # a coroutine that blocks
            try:
                return await asyncio.get_running_loop().run_in_executor(threads, asyncio.run, login)
            except (LDAPCommunicationError, LDAPStartTLSError, OSError) as error:
                where = f"{self.server_address}:{self.server_port}"
                self.log.error("LDAP server %s unreachable or silent: %s", where, error)
                raise web.HTTPError(
                    503,
                    "The login service (LDAP) is unreachable or did not answer within "
                    f"{LDAP_TIMEOUT} seconds. Please try again later.",
                ) from None

        def get_connection(self, userdn, password):
            """A bound connection, None if the password is wrong; raises on network errors."""
            server = ldap3.Server(
                self.server_address,
                port=self.server_port,
                use_ssl=self.tls_strategy == TlsStrategy.on_connect,
                tls=ldap3.Tls(**self.tls_kwargs),
                connect_timeout=LDAP_TIMEOUT,
            )
            if self.tls_strategy == TlsStrategy.before_bind:
                auto_bind = ldap3.AUTO_BIND_TLS_BEFORE_BIND
            else:
                auto_bind = ldap3.AUTO_BIND_NO_TLS
            try:
                return ldap3.Connection(
                    server,
                    user=userdn,
                    password=password,
                    auto_bind=auto_bind,
                    receive_timeout=LDAP_TIMEOUT,
                )
            except LDAPBindError:
                self.log.debug("Failed to bind %s", userdn)
                return None

    return TimeoutLDAPAuthenticator


def enable_auth_state(key):
    """Keep each user's LDAP attributes (uidNumber) in the hub database, encrypted with `key`.

    JupyterHub's CryptKeeper is a singleton made without this configuration (it reads
    JUPYTERHUB_CRYPT_KEY): the key is given to the instance itself, not to the environment, which
    configurable-http-proxy would inherit.
    """
    from jupyterhub.crypto import CryptKeeper

    if not re.fullmatch(r"[0-9a-f]{64}", key):
        raise ConfigError("HUB_CRYPT_KEY_FILE must hold 64 hex digits (openssl rand -hex 32)")
    CryptKeeper.instance().keys = [key]
    c.Authenticator.enable_auth_state = True


if AUTHENTICATOR == "ldap":
    c.JupyterHub.authenticator_class = ldap_authenticator_class()
    ldap = c.LDAPAuthenticator
    if env("HUB_CRYPT_KEY_FILE"):
        enable_auth_state(read_secret("HUB_CRYPT_KEY_FILE"))
        # Read at every login, as the user: the server's uid (see notebook_uid).
        ldap.auth_state_attributes = ["uidNumber"]
    ldap.server_address = env("LDAP_SERVER")
    if not ldap.server_address:
        raise ConfigError("LDAP_SERVER is not set")
    ldap.tls_strategy = env_choice(
        "LDAP_TLS_STRATEGY", ["before_bind", "on_connect", "insecure"], "before_bind"
    )
    if env("LDAP_PORT"):  # otherwise ldapauthenticator's default: 636 with on_connect, else 389
        ldap.server_port = env_number("LDAP_PORT", 389)
    if ldap.tls_strategy != "insecure":
        tls = {"validate": ssl.CERT_REQUIRED}
        if env("LDAP_CA_FILE"):
            if not Path(env("LDAP_CA_FILE")).is_file():
                raise ConfigError(f"LDAP_CA_FILE={env('LDAP_CA_FILE')!r} is not a file")
            tls["ca_certs_file"] = env("LDAP_CA_FILE")
        ldap.tls_kwargs = tls
    if env_bool("LDAP_LOOKUP_DN"):
        ldap.lookup_dn = True
        ldap.user_search_base = env("LDAP_USER_SEARCH_BASE")
        ldap.user_attribute = env("LDAP_USER_ATTRIBUTE", "uid")
        # The found entry's attribute that names the user (ldapauthenticator has no default).
        ldap.lookup_dn_user_dn_attribute = ldap.user_attribute
        ldap.lookup_dn_search_user = env("LDAP_SEARCH_USER")
        if not ldap.user_search_base:
            raise ConfigError("LDAP_LOOKUP_DN=true needs LDAP_USER_SEARCH_BASE")
        if ldap.lookup_dn_search_user:
            # The Swarm stack always mounts the secret; it holds a blank line when lookups are
            # anonymous, so the password is required only with a search user.
            ldap.lookup_dn_search_password = read_secret("LDAP_SEARCH_PASSWORD_FILE")
    else:
        ldap.bind_dn_template = env_list("LDAP_BIND_DN_TEMPLATE")
        if not ldap.bind_dn_template:
            raise ConfigError(
                "set LDAP_BIND_DN_TEMPLATE (e.g. uid={username},ou=people,dc=example,dc=org)"
            )
    allowed_groups = env_list("LDAP_ALLOWED_GROUPS")
    admin_groups = env_list("LDAP_ADMIN_GROUPS")
    if not allowed_groups:
        # Since JupyterHub 5 nobody logs in without an allow rule; never allow_all with LDAP.
        raise ConfigError(
            "LDAP_ALLOWED_GROUPS is not set: list the group DN(s) whose members may log in"
        )
    # Admin groups are searched too: their members may log in, and are made admins below.
    ldap.allowed_groups = allowed_groups + [
        group for group in admin_groups if group not in allowed_groups
    ]
else:
    admin_groups = []
    # TRIAL ONLY: anyone knowing the shared password logs in under any name. Never in production.
    c.JupyterHub.authenticator_class = "shared-password"
    trial_password = read_secret("HUB_DUMMY_PASSWORD_FILE")
    if len(trial_password) < 8:
        raise ConfigError("HUB_DUMMY_PASSWORD_FILE: the trial password needs at least 8 characters")
    c.SharedPasswordAuthenticator.user_password = trial_password
    if env("HUB_DUMMY_ADMIN_PASSWORD_FILE"):
        # The users of HUB_ADMIN_USERS log in with this one (and only they, as admins).
        admin_password = read_secret("HUB_DUMMY_ADMIN_PASSWORD_FILE")
        if len(admin_password) < 32 or admin_password == trial_password:
            raise ConfigError(
                "HUB_DUMMY_ADMIN_PASSWORD_FILE: the admin password needs 32 characters or more, "
                "and not the trial password"
            )
        c.SharedPasswordAuthenticator.admin_password = admin_password
    c.Authenticator.allow_all = True


def admin_rights_from_settings(authenticator, handler, authentication):
    """Admin rights follow HUB_ADMIN_USERS and LDAP_ADMIN_GROUPS at every login, both ways.

    JupyterHub changes a user's admin flag only when the login says True or False (None keeps it):
    saying False explicitly is what takes the rights away from a user removed from both.
    """
    groups = (authentication.get("auth_state") or {}).get("ldap_groups", [])
    authentication["admin"] = authentication["name"] in ADMIN_USERS or any(
        group in admin_groups for group in groups
    )
    return authentication


c.Authenticator.post_auth_hook = admin_rights_from_settings

# --------------------------------------------------------------------------------------------------
# Idle culler: a managed service allowed to do exactly what it needs, nothing more.
CULL_TIMEOUT = env_number("CULL_TIMEOUT", 3600)
CULL_EVERY = env_number("CULL_EVERY", max(1, min(300, CULL_TIMEOUT // 2)))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={CULL_EVERY}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "description": "Stop idle servers",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# Monitoring: a Prometheus server scrapes /hub/metrics with this token, which may read the metrics
# and nothing else (no user, server or token of the hub).
if env("HUB_METRICS_TOKEN_FILE"):
    c.JupyterHub.services.append(
        {"name": "prometheus", "api_token": read_secret("HUB_METRICS_TOKEN_FILE")}
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "metrics",
            "description": "Read the hub's Prometheus metrics",
            "scopes": ["read:metrics"],
            "services": ["prometheus"],
        }
    )
