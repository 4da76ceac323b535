"""Load platform/hub/jupyterhub_config.py the way JupyterHub does, with a chosen environment."""

import os
from pathlib import Path

from jupyterhub.app import JupyterHub

REPO_ROOT = Path(__file__).resolve().parents[1]
HUB_CONFIG = REPO_ROOT / "platform" / "hub" / "jupyterhub_config.py"

# Every prefix of a variable the hub config reads: cleared before each load so the machine's
# environment cannot leak in.
CONFIG_PREFIXES = (
    "HUB_",
    "LDAP_",
    "NFS_",
    "NOTEBOOK_",
    "SWARM_",
    "HOME_ROOT",
    "SHARED_DIR",
    "CPU_LIMIT",
    "MEM_LIMIT",
    "CULL_",
    "SPAWN_TIMEOUT",
    "LOG_MAX_",
)


def write_secret(path: Path, content: str) -> str:
    path.write_text(content + "\n")
    path.chmod(0o600)
    return str(path)


def secret_env(folder: Path) -> dict:
    """Cookie secret and proxy token files, as Docker secrets would provide them."""
    return {
        "HUB_COOKIE_SECRET_FILE": write_secret(folder / "cookie_secret", os.urandom(32).hex()),
        "HUB_PROXY_TOKEN_FILE": write_secret(folder / "proxy_token", os.urandom(32).hex()),
        "HUB_DATA_DIR": str(folder),
    }


def set_hub_env(monkeypatch, env: dict) -> None:
    for name in list(os.environ):
        if name.startswith(CONFIG_PREFIXES):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def load_hub_config(monkeypatch, env: dict) -> JupyterHub:
    """A real JupyterHub application object with the config file loaded (not initialized)."""
    set_hub_env(monkeypatch, env)
    app = JupyterHub()
    app.load_config_file(str(HUB_CONFIG))
    return app
