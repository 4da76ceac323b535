"""The directory of the multi-node tests: Debian's slapd in the cluster's lan namespace, the same
tree and StartTLS rule as harness/slapd.py, listening on the lan address where the
hub (on the manager) reaches it through its node's docker_gwbridge.
"""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from harness.multinode.cluster import Cluster, in_netns
from harness.processes import stop_process
from harness.slapd import PASSWORDS, LdapServer, slapd_conf, tree_ldif
from harness.tls import TestCA

LDAP_PORT = 389


def run_lan_slapd(ca: TestCA, cluster: Cluster, tree: str | None = None):
    """Fixture generator: build the tree, start slapd in the lan namespace, yield an LdapServer,
    stop it by PID. `tree`: another LDIF tree (the bench adds its users)."""
    folder = Path(tempfile.mkdtemp(prefix="multinode-slapd-"))
    process = None
    try:
        (folder / "data").mkdir()
        cert, key = ca.issue("multinode-slapd", ip=cluster.lan_address)
        conf = folder / "slapd.conf"
        conf.write_text(slapd_conf(folder, cert, key, ca.cert))
        (folder / "tree.ldif").write_text(tree or tree_ldif())
        subprocess.run(
            ["slapadd", "-f", conf, "-l", folder / "tree.ldif"], check=True, capture_output=True
        )
        log = open(folder / "slapd.log", "w")
        # `ip netns exec` execs slapd: the PID is slapd's. -d 0: foreground, no debug output.
        process = subprocess.Popen(
            ["ip", "netns", "exec", cluster.lan, "slapd", "-f", conf,
             "-h", f"ldap://{cluster.lan_address}:{LDAP_PORT}/", "-d", "0"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while in_netns(cluster.lan, "ss", "-Htln", f"sport = :{LDAP_PORT}").stdout.strip() == "":
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not start: {(folder / 'slapd.log').read_text()}")
            time.sleep(0.2)
        yield LdapServer(cluster.lan_address, LDAP_PORT, ca.cert, passwords=dict(PASSWORDS))
    finally:
        if process is not None:
            stop_process(process)
        shutil.rmtree(folder, ignore_errors=True)
