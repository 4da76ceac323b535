"""The pre_spawn_hook: crafted usernames get distinct folders inside HOME_ROOT and the right mounts.

The spawner is a real SwarmSpawner configured by the real config file; only `user` is a stand-in
(a real hub User needs a database and a running hub, and the hook reads nothing but its name).
Nothing here talks to Docker: the forged form is refused before the spawner contacts the engine.
"""

import asyncio
import itertools
import os
import stat
import time
import types

import pytest
from dockerspawner import SwarmSpawner
from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.utils import maybe_future
from tornado.web import HTTPError

from harness.hub_env import load_hub_config, secret_env

CRAFTED_NAMES = [
    "../x",
    "a/b",
    "..",
    ".",
    "/etc",
    "élodie",
    "名前",
    "Alice",
    "alice",
    "a-2f",
    "a" * 300,
    "a" * 299 + "b",
    "x" * 60,
]


# What every hub below shares: LDAP login (no server is contacted) and an in-memory database.
SWARM_HUB_ENV = {
    "HUB_AUTHENTICATOR": "ldap",
    "LDAP_SERVER": "ldap.example.org",
    "LDAP_BIND_DN_TEMPLATE": "uid={username},ou=people,dc=example,dc=org",
    "LDAP_ALLOWED_GROUPS": "cn=ds,ou=groups,dc=example,dc=org",
    "HUB_DB_URL": "sqlite://",
}


def run_hook(spawner):
    """Run the pre_spawn_hook as the hub does (it is a coroutine: its file I/O runs in a thread)."""

    async def hook():
        return await maybe_future(spawner.run_pre_spawn_hook())

    return asyncio.run(hook())


def swarm_spawner(app, username, auth_state=None):
    """`auth_state`: what the user's last login stored (None: nothing, e.g. auth state is off)."""

    async def get_auth_state():
        return auth_state

    user = types.SimpleNamespace(
        name=username,
        id=1,
        url=f"/user/{username}/",
        orm_user=None,
        settings={},
        get_auth_state=get_auth_state,
    )
    return SwarmSpawner(config=app.config, user=user)


@pytest.fixture
def swarm_hub(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **SWARM_HUB_ENV,
        "HUB_SPAWNER": "swarm",
        "HOME_ROOT": str(tmp_path / "homes"),
        "SHARED_DIR": "/srv/shared",
        "NOTEBOOK_UID_BASE": "1233",
        "NOTEBOOK_GID": "100",
    }
    return load_hub_config(monkeypatch, env), tmp_path / "homes"


def test_crafted_usernames_get_distinct_private_folders_inside_home_root(swarm_hub):
    app, home_root = swarm_hub
    folders = {}
    for name in CRAFTED_NAMES:
        spawner = swarm_spawner(app, name)
        run_hook(spawner)
        (home_mount, _shared) = spawner.extra_container_spec["mounts"]
        folder = home_mount["Source"]
        assert os.path.dirname(folder) == str(home_root), name
        info = os.lstat(folder)
        assert stat.S_ISDIR(info.st_mode), name
        assert stat.S_IMODE(info.st_mode) == 0o700, name
        assert (info.st_uid, info.st_gid) == (1234, 100), name
        assert len(os.path.basename(folder)) <= 48, name
        folders[name] = folder
    assert len(set(folders.values())) == len(CRAFTED_NAMES)
    assert sorted(os.listdir(home_root)) == sorted(os.path.basename(f) for f in folders.values())


def test_service_names_are_valid_dns_labels(swarm_hub):
    app, _ = swarm_hub
    names = {swarm_spawner(app, name).object_name for name in CRAFTED_NAMES}
    assert len(names) == len(CRAFTED_NAMES)
    for name in names:
        assert name.startswith("jupyter-")
        assert len(name) <= 63
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_a_symlink_planted_as_a_home_is_refused(swarm_hub, tmp_path):
    app, home_root = swarm_hub
    home_root.mkdir()
    (home_root / "mallory").symlink_to("/etc")
    spawner = swarm_spawner(app, "mallory")
    with pytest.raises(ValueError, match="is a symlink"):
        run_hook(spawner)
    assert "mounts" not in spawner.extra_container_spec


def test_bind_mounts_home_and_shared_folder(swarm_hub):
    app, home_root = swarm_hub
    spawner = swarm_spawner(app, "alice")
    run_hook(spawner)
    home, shared = spawner.extra_container_spec["mounts"]
    assert dict(home) == {
        "Target": "/home/jovyan",
        "Source": f"{home_root}/alice",
        "Type": "bind",
        "ReadOnly": False,
    }
    assert dict(shared) == {
        "Target": "/home/jovyan/shared",
        "Source": "/srv/shared",
        "Type": "bind",
        "ReadOnly": False,
    }


def test_nfs_mounts_are_local_driver_volumes(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **SWARM_HUB_ENV,
        "HOME_ROOT": str(tmp_path / "homes"),
        "NFS_SERVER": "10.0.0.5",
        "NFS_EXPORT": "/export/jupyter/homes/",
        "NFS_SHARED_EXPORT": "/export/jupyter/shared",
    }
    app = load_hub_config(monkeypatch, env)
    spawner = swarm_spawner(app, "Bob/../x")
    run_hook(spawner)
    home, shared = spawner.extra_container_spec["mounts"]
    escaped = "-42ob-2f-2e-2e-2fx"
    assert (tmp_path / "homes" / escaped).is_dir()
    assert home["Type"] == "volume"
    assert home["Target"] == "/home/jovyan"
    assert home["Source"] == f"jupyterhub-home-{escaped}"
    assert home["VolumeOptions"]["NoCopy"] is True
    assert home["VolumeOptions"]["DriverConfig"] == {
        "Name": "local",
        "Options": {
            "type": "nfs",
            "o": "addr=10.0.0.5,rw,nfsvers=4.1",
            "device": f":/export/jupyter/homes/{escaped}",
        },
    }
    assert shared["Target"] == "/home/jovyan/shared"
    assert shared["VolumeOptions"]["DriverConfig"]["Options"]["device"] == ":/export/jupyter/shared"


def test_only_menu_images_can_be_started(swarm_hub):
    app, _ = swarm_hub
    spawner = swarm_spawner(app, "alice")
    assert 'name="image"' in spawner.options_form
    assert "SciPy" in spawner.options_form
    chosen = spawner.options_from_form(
        {"image": ["SciPy: + numpy, pandas, scikit-learn, matplotlib"]}
    )
    assert asyncio.run(spawner.check_allowed(chosen["image"])) == "mlops/notebook-scipy:0.1.0"

    forged = spawner.options_from_form({"image": ["attacker/cryptominer:latest"]})
    spawner.user_options = forged
    with pytest.raises(HTTPError) as refused:
        asyncio.run(spawner.start())
    assert refused.value.status_code == 400
    assert spawner.image == "mlops/notebook-base:0.1.0"


def test_local_mode_uses_the_escaped_folder_and_links_the_shared_one(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    env = {
        **secret_env(tmp_path),
        "HUB_SPAWNER": "local",
        "HUB_AUTHENTICATOR": "dummy",
        "HUB_DUMMY_PASSWORD_FILE": str(tmp_path / "cookie_secret"),
        "HUB_DB_URL": "sqlite://",
        "HOME_ROOT": str(tmp_path / "homes"),
        "SHARED_DIR": str(shared),
    }
    app = load_hub_config(monkeypatch, env)
    user = types.SimpleNamespace(name="../eve", id=1, url="/user/eve/", orm_user=None, settings={})
    spawner = SimpleLocalProcessSpawner(config=app.config, user=user)
    run_hook(spawner)
    home = tmp_path / "homes" / "-2e-2e-2feve"
    assert spawner.home_dir == str(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert (home / "shared").resolve() == shared


def test_a_hanging_home_folder_does_not_block_the_event_loop(swarm_hub, monkeypatch):
    """A hard NFS mount that stops answering blocks every file operation on it. No NFS server can
    run here, so `os.chown` stands in for it: it blocks for 3 s, as the hung mount would. The hub's
    event loop (here: a ticker every 50 ms, as /hub/health would be served) must keep running.
    """
    app, _ = swarm_hub
    real_chown = os.chown

    def hung_chown(*args, **kwargs):
        time.sleep(3)
        return real_chown(*args, **kwargs)

    monkeypatch.setattr(os, "chown", hung_chown)
    spawner = swarm_spawner(app, "alice")

    async def hook_and_ticker():
        ticks = []

        async def ticker():
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.05)

        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        started = time.monotonic()
        await maybe_future(spawner.run_pre_spawn_hook())  # as jupyterhub.user does
        took = time.monotonic() - started
        await asyncio.sleep(0.1)  # one more tick after the hook
        ticking.cancel()
        return took, ticks

    took, ticks = asyncio.run(hook_and_ticker())
    assert took >= 3  # the hook did wait for the file system
    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    assert longest_gap < 1, f"the event loop stalled for {longest_gap:.1f}s"
    assert "mounts" in spawner.extra_container_spec


def test_a_memory_limit_in_lowercase_is_taken_as_docker_takes_it(tmp_path, monkeypatch):
    env = {
        **secret_env(tmp_path),
        **SWARM_HUB_ENV,
        "HUB_SPAWNER": "swarm",
        "MEM_LIMIT": "4g",
        "MEM_RESERVATION": "512m",
        "HOME_ROOT": str(tmp_path / "homes"),
    }
    spawner = swarm_spawner(load_hub_config(monkeypatch, env), "alice")
    run_hook(spawner)
    resources = spawner.extra_task_spec["resources"]
    assert resources["Limits"]["MemoryBytes"] == 4 * 2**30
    assert resources["Reservations"]["MemoryBytes"] == 512 * 2**20


def test_users_containers_are_unprivileged_and_limited(swarm_hub):
    """What the hook hands to SwarmSpawner (the Swarm tests check the service the engine runs)."""
    app, _ = swarm_hub
    spawner = swarm_spawner(app, "alice")
    run_hook(spawner)
    assert spawner.extra_container_spec["cap_drop"] == ["ALL"]
    resources = spawner.extra_task_spec["resources"]
    assert resources["Limits"] == {"NanoCPUs": 2 * 10**9, "MemoryBytes": 4 * 2**30, "Pids": 1024}
    assert resources["Reservations"] == {"NanoCPUs": 5 * 10**8, "MemoryBytes": 2**30}
    log_driver = {"Name": "json-file", "Options": {"max-size": "10m", "max-file": "3"}}
    assert spawner.extra_task_spec["log_driver"] == log_driver  # kept next to the resources
    assert spawner.disable_user_config is True


def test_each_user_runs_as_their_own_uid_and_an_old_home_is_handed_over(swarm_hub):
    """uid = NOTEBOOK_UID_BASE (1233 here) + the user's id (1). A home from before per-user uids
    (owned by uid 1000) is given to the user's uid with its content; a symlink in it is changed
    itself, its target (outside the home) is not.
    """
    app, home_root = swarm_hub
    old_home = home_root / "alice"
    (old_home / "notes").mkdir(parents=True)
    (old_home / "notes" / "a.txt").write_text("mine")
    target = home_root.parent / "outside.txt"
    target.write_text("not alice's")
    (old_home / "link").symlink_to(target)
    for path in (old_home, old_home / "notes", old_home / "notes" / "a.txt"):
        os.chown(path, 1000, 100)
    spawner = swarm_spawner(app, "alice")
    run_hook(spawner)
    assert spawner.extra_container_spec["user"] == "1234:100"
    for path in (old_home, old_home / "notes", old_home / "notes" / "a.txt", old_home / "link"):
        assert (os.lstat(path).st_uid, os.lstat(path).st_gid) == (1234, 100), path
    assert os.stat(target).st_uid == os.getuid()


def test_a_user_with_an_ldap_uid_number_runs_as_it_and_owns_their_home(swarm_hub):
    """The uidNumber LDAPAuthenticator stored in the auth state at login wins over the mapping."""
    app, home_root = swarm_hub
    spawner = swarm_spawner(app, "alice", {"user_attributes": {"uidNumber": [5001]}})
    run_hook(spawner)
    assert spawner.extra_container_spec["user"] == "5001:100"
    home = (home_root / "alice").stat()
    assert (home.st_uid, home.st_gid, stat.S_IMODE(home.st_mode)) == (5001, 100, 0o700)
    # Without a uidNumber (not a posixAccount): NOTEBOOK_UID_BASE + the hub id.
    other = swarm_spawner(app, "bob", {"user_attributes": {}, "ldap_groups": []})
    run_hook(other)
    assert other.extra_container_spec["user"] == "1234:100"


@pytest.mark.parametrize("uid_number", [0, 999, 1000])
def test_a_system_uid_number_from_ldap_is_refused(swarm_hub, uid_number):
    app, home_root = swarm_hub
    spawner = swarm_spawner(app, "mallory", {"user_attributes": {"uidNumber": [uid_number]}})
    with pytest.raises(ValueError, match=f"uidNumber {uid_number}, a system account's uid"):
        run_hook(spawner)
    assert not (home_root / "mallory").exists()
    assert "user" not in spawner.extra_container_spec
