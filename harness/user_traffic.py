"""A running user's traffic through nginx while the platform changes under it: one kernel
websocket kept open that executes a tiny cell every `period` seconds, and a loop of HTTP requests to
the user's server. Used by the no-outage Swarm tests and bench/no_outage.py.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import websocket

from harness.hub_client import HubSession, execute_request


@dataclass
class TrafficReport:
    requests: int = 0
    failed_requests: list[str] = field(default_factory=list)  # "t=12.3s: reason"
    executions: int = 0
    websocket_dropped: str = ""  # why the kernel websocket closed or stopped answering, or ""
    longest_gap: float = 0.0  # seconds without an answer on the HTTP loop or the websocket


class UserTraffic:
    """Start with start(), end with stop() (which returns the report and removes the kernel)."""

    def __init__(self, session: HubSession, username: str, period: float = 0.25):
        self.session = session
        self.username = username
        self.period = period
        self.api = session.url(f"/user/{quote(username)}/api")
        self.report = TrafficReport()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._started = 0.0
        self._kernel_id = ""
        self._connection = None

    def start(self) -> None:
        headers = self.session.user_xsrf(self.username)
        kernel = self.session.http.post(
            f"{self.api}/kernels", json={"name": "python3"}, headers=headers, timeout=60
        )
        kernel.raise_for_status()
        self._kernel_id = kernel.json()["id"]
        ws_url = "ws" + f"{self.api}/kernels/{self._kernel_id}/channels"[len("http") :]
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.http.cookies)
        self._connection = websocket.create_connection(
            ws_url,
            sslopt={"ca_certs": str(self.session.ca_file)},
            header=[f"Cookie: {cookies}"],
            origin=self.session.base,
            timeout=10,
        )
        self._execute()  # the kernel answers before the clock starts
        self._started = time.monotonic()
        for loop in (self._http_loop, self._websocket_loop):
            thread = threading.Thread(target=loop, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> TrafficReport:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=30)
        if self._connection:
            self._connection.close()
        headers = self.session.user_xsrf(self.username)
        kernel = f"{self.api}/kernels/{self._kernel_id}"
        self.session.http.delete(kernel, headers=headers, timeout=30)
        return self.report

    def _elapsed(self) -> float:
        return time.monotonic() - self._started

    def _gap(self, last_answer: float) -> float:
        now = time.monotonic()
        self.report.longest_gap = max(self.report.longest_gap, now - last_answer)
        return now

    def _http_loop(self) -> None:
        last_answer = time.monotonic()
        while not self._stopping.is_set():
            self.report.requests += 1
            try:
                response = self.session.http.get(
                    f"{self.api}/status", timeout=10, allow_redirects=False
                )
                if response.status_code == 200 and "kernels" in response.json():
                    last_answer = self._gap(last_answer)  # the user's server answered
                else:
                    self.report.failed_requests.append(
                        f"t={self._elapsed():.1f}s: HTTP {response.status_code}"
                    )
            except Exception as error:  # every failure is recorded, none stops the loop
                self.report.failed_requests.append(f"t={self._elapsed():.1f}s: {error!r}")
            self._stopping.wait(self.period)

    def _websocket_loop(self) -> None:
        last_answer = time.monotonic()
        while not self._stopping.is_set():
            try:
                self._execute()
            except Exception as error:  # a closed or silent websocket: the end
                self.report.websocket_dropped = f"t={self._elapsed():.1f}s: {error!r}"
                return
            self.report.executions += 1
            last_answer = self._gap(last_answer)
            self._stopping.wait(self.period)

    def _execute(self) -> None:
        """Run `pass` on the kernel; return when it is idle again (10 s per message at most)."""
        msg_id = uuid.uuid4().hex
        self._connection.send(json.dumps(execute_request(msg_id, self.username, "pass")))
        while True:
            message = json.loads(self._connection.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                return
