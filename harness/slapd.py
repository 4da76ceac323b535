"""A private OpenLDAP slapd (Debian's) on ldap://127.0.0.1:<free port>, StartTLS required."""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from harness.ports import free_port, wait_for_port
from harness.processes import stop_process
from harness.tls import TestCA

BASE_DN = "dc=mlops,dc=test"


@dataclass(frozen=True)
class LdapServer:
    """What a test needs to point an LDAP client at the private slapd.

    host, port, url: where it listens (plain LDAP; StartTLS is required before any bind or search).
    ca_file: the test CA that signed slapd's certificate (valid for 127.0.0.1 and localhost).
    base_dn: the tree's root; users are uid=<name>,ou=people,<base_dn>.
    bind_dn_template: `uid={username},ou=people,<base_dn>`, as LDAPAuthenticator wants it.
    passwords: username -> password, for every user in the tree.
    group_dn: the group allowed to log in (groupOfNames, `member` attributes).
    admin_group_dn: the group of hub admins.
    member: a user in group_dn; admin: a user in admin_group_dn only; outsider: a user in no group.
    spare_member: another user in group_dn, for tests that change group memberships (`modify`).
    newcomers: two more users in group_dn, the multi-node first-day test's.
    restarter: one more user in group_dn, the multi-node respawn test's.
    search_dn, search_password: a service account that may search the tree (anonymous may not).
    uid_numbers: username -> uidNumber, for the users that are posixAccounts (the member only).
    root_dn, root_password: the tree's administrator (`modify` binds as it).
    """

    host: str
    port: int
    ca_file: Path
    base_dn: str = BASE_DN
    passwords: dict = field(default_factory=dict)
    group_dn: str = f"cn=data-science,ou=groups,{BASE_DN}"
    admin_group_dn: str = f"cn=hub-admins,ou=groups,{BASE_DN}"
    member: str = "alice"
    admin: str = "carol"
    outsider: str = "bob"
    spare_member: str = "dave"
    # The first-day test's two data scientists: members no other test spawns a server for.
    newcomers: tuple = ("erin", "frank")
    # The respawn test's member: stopped and started again, by no other test.
    restarter: str = "grace"
    search_dn: str = f"cn=hub-search,ou=services,{BASE_DN}"
    search_password: str = "search-Secret-5"
    root_dn: str = f"cn=admin,{BASE_DN}"
    root_password: str = "admin-Secret-0"
    uid_numbers: dict = field(default_factory=lambda: dict(UID_NUMBERS))

    @property
    def url(self) -> str:
        return f"ldap://{self.host}:{self.port}"

    @property
    def bind_dn_template(self) -> str:
        return f"uid={{username}},ou=people,{self.base_dn}"

    def user_dn(self, username: str) -> str:
        return self.bind_dn_template.format(username=username)

    def modify(self, ldif: str) -> None:
        """Apply an LDIF change as the administrator (ldapmodify over StartTLS)."""
        subprocess.run(
            [
                "ldapmodify",
                "-ZZ",
                "-x",
                "-H",
                self.url,
                "-D",
                self.root_dn,
                "-w",
                self.root_password,
            ],
            input=ldif,
            text=True,
            check=True,
            capture_output=True,
            env={"LDAPTLS_CACERT": str(self.ca_file), "PATH": "/usr/bin:/bin"},
        )

    def set_group_member(self, group_dn: str, username: str, member: bool) -> None:
        change = "add" if member else "delete"
        self.modify(
            f"dn: {group_dn}\nchangetype: modify\n{change}: member\n"
            f"member: {self.user_dn(username)}\n"
        )


PASSWORDS = {
    "alice": "alice-Secret-1",
    "bob": "bob-Secret-2",
    "carol": "carol-Secret-3",
    "dave": "dave-Secret-4",
    "erin": "erin-Secret-6",
    "frank": "frank-Secret-7",
    "grace": "grace-Secret-8",
}


# Users that are posixAccounts too: their uidNumber is the uid their notebook server runs as.
UID_NUMBERS = {"alice": 5001}


def posix_account(name: str) -> str:
    if name not in UID_NUMBERS:
        return ""
    return (
        f"objectClass: posixAccount\nuidNumber: {UID_NUMBERS[name]}\ngidNumber: 100\n"
        f"homeDirectory: /home/{name}\n"
    )


def tree_ldif() -> str:
    people = "".join(
        f"""
dn: uid={name},ou=people,{BASE_DN}
objectClass: inetOrgPerson
{posix_account(name)}uid: {name}
cn: {name.title()}
sn: Test
userPassword: {password}
"""
        for name, password in PASSWORDS.items()
    )
    return f"""dn: {BASE_DN}
objectClass: dcObject
objectClass: organization
o: mlops test
dc: mlops

dn: ou=people,{BASE_DN}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{BASE_DN}
objectClass: organizationalUnit
ou: groups

dn: ou=services,{BASE_DN}
objectClass: organizationalUnit
ou: services

dn: cn=hub-search,ou=services,{BASE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: hub-search
userPassword: search-Secret-5
{people}
dn: cn=data-science,ou=groups,{BASE_DN}
objectClass: groupOfNames
cn: data-science
member: uid=alice,ou=people,{BASE_DN}
member: uid=dave,ou=people,{BASE_DN}
member: uid=erin,ou=people,{BASE_DN}
member: uid=frank,ou=people,{BASE_DN}
member: uid=grace,ou=people,{BASE_DN}

dn: cn=hub-admins,ou=groups,{BASE_DN}
objectClass: groupOfNames
cn: hub-admins
member: uid=carol,ou=people,{BASE_DN}
"""


def slapd_conf(folder: Path, cert: Path, key: Path, ca: Path) -> str:
    return f"""include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
# No operation (bind included) without TLS: a login that works proves StartTLS was used.
security tls=1
database mdb
suffix "{BASE_DN}"
rootdn "cn=admin,{BASE_DN}"
rootpw admin-Secret-0
directory {folder}/data
maxsize 10485760
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by * none
"""


def run_slapd(ca: TestCA):
    """Fixture generator: build the tree (slapadd), start slapd, yield LdapServer, stop by PID."""
    folder = Path(tempfile.mkdtemp(prefix="platform-slapd-"))
    process = None
    try:
        (folder / "data").mkdir()
        cert, key = ca.issue("slapd")
        conf = folder / "slapd.conf"
        conf.write_text(slapd_conf(folder, cert, key, ca.cert))
        (folder / "tree.ldif").write_text(tree_ldif())
        subprocess.run(
            ["slapadd", "-f", conf, "-l", folder / "tree.ldif"], check=True, capture_output=True
        )
        port = free_port()
        log = open(folder / "slapd.log", "w")
        # -d 0: stay in the foreground (so the PID is slapd's) without debug output.
        process = subprocess.Popen(
            ["slapd", "-f", conf, "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(port, process, what="slapd")
        yield LdapServer("127.0.0.1", port, ca.cert, passwords=dict(PASSWORDS))
    finally:
        if process is not None:
            stop_process(process)
        shutil.rmtree(folder, ignore_errors=True)
