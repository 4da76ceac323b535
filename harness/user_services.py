"""A user's server is a Swarm service named anew at each start (platform/hub/swarm_spawner.py:
`jupyter-<user>-<spawn id>`, its relay `...-relay`): the tests name it `jupyter-<user>` (or
`jupyter-<user>-relay`) and the stacks look up the service of the current spawn."""

from __future__ import annotations

import re

RELAY_SUFFIX = "-relay"
SPAWN_ID = "[a-z0-9]{5}"


def current_service(service: str, names: list[str]) -> str:
    """The name among `names` of the current spawn of `service` (`jupyter-<user>` or
    `jupyter-<user>-relay`); `service` itself when none runs (or it is named so)."""
    if service in names:
        return service
    relay = service.endswith(RELAY_SUFFIX)
    base = service.removesuffix(RELAY_SUFFIX) if relay else service
    pattern = re.compile(rf"{re.escape(base)}-{SPAWN_ID}{RELAY_SUFFIX if relay else ''}")
    found = [name for name in names if pattern.fullmatch(name)]
    return found[0] if found else service
