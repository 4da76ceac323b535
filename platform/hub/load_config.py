"""Load jupyterhub_config.py into a JupyterHub object with the environment a stack gives the hub,
as the hub does when it starts. `platform/deploy check` runs it with a python that has JupyterHub:

    python platform/hub/load_config.py CONFIG < the stack rendered by `docker stack config`

SECRETS_DIR (environment) is the folder of the stack's secrets. Prints the spawner and
authenticator classes; exits 1 with the configuration's one-line error, or 3 (NOT_INSTALLED) when
JupyterHub, dockerspawner, ldapauthenticator or PyYAML is not installed here. Not part of the hub
image.
"""

import os
import sys
from pathlib import Path

NOT_INSTALLED = 3  # platform/deploy reports the check as skipped

# The variables that name the stack's Docker secrets, and their files in the secrets folder.
SECRET_FILES = {
    "HUB_DB_PASSWORD_FILE": "db_password",
    "HUB_COOKIE_SECRET_FILE": "cookie_secret",
    "HUB_PROXY_TOKEN_FILE": "proxy_token",
    "HUB_CRYPT_KEY_FILE": "crypt_key",
    "HUB_METRICS_TOKEN_FILE": "metrics_token",
    "LDAP_CA_FILE": "ldap_ca.pem",
    "LDAP_SEARCH_PASSWORD_FILE": "ldap_search_password",
}


def main(argv: list[str]) -> int:
    try:
        import dockerspawner  # noqa: F401  (the swarm spawner's base)
        import ldapauthenticator  # noqa: F401
        import yaml
        from jupyterhub.app import JupyterHub
    except ImportError as error:
        print(f"load_config: {error.name} is not installed here", file=sys.stderr)
        return NOT_INSTALLED
    hub_env = yaml.safe_load(sys.stdin)["services"]["hub"]["environment"]
    os.environ.update({name: str(value) for name, value in hub_env.items()})
    secrets = Path(os.environ["SECRETS_DIR"])
    os.environ.update({name: str(secrets / file) for name, file in SECRET_FILES.items()})
    app = JupyterHub()
    app.load_config_file(argv[0])
    print(app.config.JupyterHub.spawner_class, app.config.JupyterHub.authenticator_class)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
