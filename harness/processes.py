"""Start and stop the test services' processes by PID, never by name."""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def stop_process(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds; always reaps the process."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def stop_process_group(process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Stop a process started with `process_group=0`, then whatever it left in its group.

    JupyterHub stops its proxy and services itself, unless it dies early (e.g. SIGTERM during its
    start): then they would outlive it. The group's id is our child's PID.
    """
    try:
        stop_process(process, timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)


def stop_pid(pid: int, timeout: float = 10.0) -> None:
    """Stop a process that is not our child (e.g. a server left by the hub), by PID."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def default_sigint() -> None:
    """preexec_fn: SIGINT at its default even if our parent ignores it. A process started with `&`
    from a non-interactive shell ignores SIGINT, and its children inherit that: JupyterHub's
    managed services then take ~30 s to stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pids_where(matches: Callable[[Path], bool]) -> list[int]:
    """PIDs of the running processes whose /proc entry `matches`; processes that vanish while
    being read are passed over."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if matches(entry):
                    found.append(int(entry.name))
            except OSError:  # includes ProcessLookupError
                continue
    return found
