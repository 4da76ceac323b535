"""`docker stack config` (no daemon needed) over platform/stack.yml and its overlays, with the
settings of an example site."""

import subprocess
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[1] / "platform"

SITE = {
    "SERVER_NAME": "hub.example.org",
    "HUB_IMAGE": "registry.example.org/mlops/jupyterhub:0.1.0",
    "LDAP_SERVER": "ldap.example.org",
    "LDAP_ALLOWED_GROUPS": "cn=data-science,ou=groups,dc=example,dc=org",
    "NFS_SERVER": "10.0.0.5",
    "NFS_EXPORT": "/export/jupyter/homes",
}


def stack_config(env: dict, files: tuple[str, ...] = ("stack.yml",)) -> subprocess.CompletedProcess:
    command = ["docker", "stack", "config"]
    for name in files:
        command += ["-c", name]
    clean = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", **env}
    return subprocess.run(command, cwd=PLATFORM, env=clean, capture_output=True, text=True)
