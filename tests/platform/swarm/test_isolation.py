"""Users are isolated from each other on the Swarm: separate containers and folders, private folder
modes, escaped names that cannot leave the home root, and only images from the menu.
"""

import json

import pytest

from harness.hub_client import HubSession
from harness.stack import BASE_CHOICE, logged_in_with_server

pytestmark = pytest.mark.swarm


@pytest.fixture(scope="module")
def alice(platform_stack, slapd):
    return logged_in_with_server(platform_stack, slapd.member, slapd.passwords[slapd.member])


@pytest.fixture(scope="module")
def carol(platform_stack, slapd):
    """carol is in the admin group: a hub admin, who may also log in."""
    return logged_in_with_server(platform_stack, slapd.admin, slapd.passwords[slapd.admin])


def test_each_user_has_a_private_folder_owned_by_their_own_uid(alice, carol, platform_stack, slapd):
    """alice is a posixAccount: her server runs as her LDAP uidNumber. carol has none: hers runs as
    NOTEBOOK_UID_BASE (100000) + her hub id."""
    uids = {user: platform_stack.user_uid(user) for user in (alice.user, carol.user)}
    assert uids[alice.user] == slapd.uid_numbers[alice.user]
    assert carol.user not in slapd.uid_numbers
    assert uids[carol.user] > 100000
    for user, uid in uids.items():
        folder = platform_stack.homes / user
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
        assert (folder.stat().st_uid, folder.stat().st_gid) == (uid, 100)


@pytest.mark.parametrize("path", ["/homes/{other}", "/homes/{me}/../{other}", "/homes/./{other}/"])
def test_with_the_whole_export_mounted_a_users_uid_reads_no_other_home(
    alice, carol, platform_stack, path
):
    """What anyone holding NFS access as alice's uid would see: the whole homes export mounted, in
    a container of the notebook image running as alice's uid. carol's home stays closed, whatever
    the path.
    """
    assert carol.user_put_file(carol.user, "carol-secret.txt", "private").status_code in (200, 201)
    uid = platform_stack.user_uid(alice.user)
    crafted = path.format(me=alice.user, other=carol.user)
    probe = platform_stack.docker(
        "run",
        "--rm",
        "--network",
        "none",
        "--user",
        f"{uid}:100",
        "-v",
        f"{platform_stack.homes}:/homes",
        "mlops/notebook-base:0.1.0",
        "sh",
        "-c",
        f"ls {crafted} ; cat {crafted}/carol-secret.txt",
        check=False,
    )
    assert "Permission denied" in probe.stderr, probe.stderr
    assert "private" not in probe.stdout
    assert "carol-secret" not in probe.stdout


def test_files_written_to_the_shared_folder_carry_their_writers_uid(alice, carol, platform_stack):
    for session in (alice, carol):
        name = f"from-{session.user}.txt"
        platform_stack.exec(f"jupyter-{session.user}", "touch", f"/home/jovyan/shared/{name}")
        written = (platform_stack.shared / name).stat()
        assert (written.st_uid, written.st_gid) == (platform_stack.user_uid(session.user), 100)


def test_a_container_mounts_only_its_user_folder_and_the_shared_one(alice, carol, platform_stack):
    for session in (alice, carol):
        container = platform_stack.container_id(f"jupyter-{session.user}")
        mounts = json.loads(
            platform_stack.docker("inspect", "--format", "{{json .Mounts}}", container).stdout
        )
        assert {(m["Source"], m["Destination"]) for m in mounts} == {
            (str(platform_stack.homes / session.user), "/home/jovyan"),
            (str(platform_stack.shared), "/home/jovyan/shared"),
        }


def test_alice_cannot_see_carols_files(alice, carol, platform_stack):
    assert carol.user_put_file(carol.user, "carol-only.txt", "private").status_code in (200, 201)
    listing = platform_stack.exec(
        f"jupyter-{alice.user}", "ls", "-A", "/home/jovyan"
    ).stdout.split()
    assert "carol-only.txt" not in listing
    search = platform_stack.exec(
        f"jupyter-{alice.user}", "sh", "-c", "find / -xdev -name carol-only.txt 2>/dev/null; true"
    )
    assert search.stdout.strip() == ""
    # Nor through the hub: alice's cookie does not open carol's server.
    other = alice.user_get(carol.user, "/api/contents/carol-only.txt", allow_redirects=True)
    assert other.status_code in (403, 404) or "carol-only" not in other.text


@pytest.mark.parametrize("name", ["../carol", "alice/../carol", "..", "carol/"])
def test_a_crafted_username_cannot_log_in(platform_stack, slapd, name):
    before = sorted(platform_stack.homes.parent.rglob("*"))
    session = HubSession(platform_stack.https_url, platform_stack.ca_file)
    response = session.login(name, slapd.passwords[slapd.admin])
    assert response.url.endswith("/hub/login")
    assert "Invalid username or password" in response.text
    assert session.hub_api("GET", "/user").status_code == 403
    assert sorted(platform_stack.homes.parent.rglob("*")) == before


def test_a_crafted_username_stays_inside_the_home_root(carol, platform_stack):
    """An admin can start servers for users that only exist in the hub: the name is escaped
    before it becomes a folder or a service; names the authenticator refuses cannot be created.
    """
    refused = carol.hub_api("POST", "/users", json={"usernames": ["../escape"]})
    assert refused.status_code == 400, refused.text
    created = carol.hub_api("POST", "/users/dot.user")
    assert created.status_code == 201, created.text
    started = carol.hub_api("POST", "/users/dot.user/server", json={"image": BASE_CHOICE})
    assert started.status_code in (201, 202), started.text
    assert carol.wait_for_server("dot.user").ready
    escaped = "dot-2euser"
    assert (platform_stack.homes / escaped).is_dir()
    assert platform_stack.container_id(f"jupyter-{escaped}")
    assert not any(platform_stack.homes.parent.glob("escape*"))
    assert carol.hub_api("DELETE", "/users/dot.user/server").status_code in (202, 204)


def test_an_image_outside_the_menu_is_refused(alice, platform_stack):
    stopped = alice.hub_api("DELETE", f"/users/{alice.user}/server")
    assert stopped.status_code in (202, 204)
    alice.wait_until_stopped(alice.user)
    forged = alice.request_spawn(alice.user, "busybox:latest")
    assert forged.status_code == 400 or "not in allowed list" in forged.text, forged.text[:300]
    assert "busybox" not in platform_stack.docker("service", "ls", "--format", "{{.Image}}").stdout
    assert not alice.server_ready(alice.user)
