"""A user's server pushed off its node (drained, or the node lost) and the time until the user's
next request works again. Used by test_failover.py and bench/multinode.py."""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.multinode.stack import MultinodeStack, Task

BASE = "Base: Python, JupyterLab, Git, DVC"


def ensure_server(session, user: str, timeout: float = 180) -> None:
    """Start the user's server from the image menu unless it is running."""
    if session.server_ready(user):
        return
    session.wait_until_stopped(user)
    assert session.request_spawn(user, BASE).status_code == 302
    result = session.wait_for_server(user, timeout=timeout)
    assert result.ready, result.message


def read_file(session, user: str, name: str) -> str | None:
    """The text of a file in the user's home through nginx and the user's server (None if the
    server does not answer). A page load first, so that a restarted server's OAuth redirects are
    followed as a browser would."""
    try:
        if session.user_get(user, "/lab").status_code != 200:
            return None
        response = session.user_get(user, f"/api/contents/{name}")
    except Exception:  # connection refused or reset while the server moves
        return None
    return response.json().get("content") if response.status_code == 200 else None


def gap_after(
    disrupt: Callable[[], None],
    stack: MultinodeStack,
    session,
    user: str,
    name: str,
    text: str,
    timeout: float = 180,
) -> tuple[float, Task]:
    """Call `disrupt`; return the seconds until the user reads `name` back from a server on
    another node, and that server's task."""
    service = f"jupyter-{user}"
    before = stack.running_task(service)
    started = time.monotonic()
    disrupt()
    task = stack.wait_running(service, not_on=before.node, healthy=False, timeout=timeout)
    while read_file(session, user, name) != text:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{user} could not read {name} within {timeout:.0f} s")
        time.sleep(0.25)
    return time.monotonic() - started, task
