"""Free TCP ports on 127.0.0.1 (other test runs share this machine: never a fixed port)."""

import socket
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process=None, timeout: float = 30.0, what: str = "service") -> None:
    """Wait until something accepts connections on 127.0.0.1:port; fail early if `process` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode} before listening on {port}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f}s")


def wait_for_http(url: str, process=None, timeout: float = 60.0, what: str = "service") -> None:
    """Wait until GET `url` answers 200 (no proxy, no TLS check: a readiness probe only)."""
    from harness.hub_client import direct_session

    session = direct_session()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode} before answering {url}"
            )
        try:
            if session.get(url, timeout=5).status_code == 200:
                return
        except OSError:  # requests' errors are OSErrors
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not answer 200 at {url} within {timeout:.0f}s")
