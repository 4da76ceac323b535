"""A user's browser-less session with the platform through nginx (HTTPS on 127.0.0.1): log in,
pick an image, wait for the server, talk to JupyterLab's REST API.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import requests


@dataclass
class SpawnResult:
    ready: bool
    failed: bool
    message: str
    seconds: float
    events: list = field(default_factory=list)


class HubSession:
    def __init__(self, base_url: str, ca_file: str):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.trust_env = (
            False  # else REQUESTS_CA_BUNDLE from the environment wins over `verify`
        )
        self.http.verify = str(ca_file)

    def url(self, path: str) -> str:
        return self.base + path

    def xsrf(self, path: str = "/hub/") -> dict:
        token = self.http.cookies.get("_xsrf", path=path) or self.http.cookies.get("_xsrf")
        return {"X-XSRFToken": token} if token else {}

    def login(self, username: str, password: str) -> requests.Response:
        """POST the login form; the last response (spawn form, or login page if refused)."""
        self.http.get(self.url("/hub/login"), timeout=30).raise_for_status()
        return self.http.post(
            self.url("/hub/login"),
            data={
                "username": username,
                "password": password,
                "_xsrf": self.http.cookies.get("_xsrf"),
            },
            timeout=60,
        )

    def spawn_form(self, username: str) -> str:
        response = self.http.get(self.url(f"/hub/spawn/{quote(username)}"), timeout=30)
        response.raise_for_status()
        return response.text

    def request_spawn(self, username: str, image_choice: str) -> requests.Response:
        return self.http.post(
            self.url(f"/hub/spawn/{quote(username)}"),
            data={"image": image_choice, "_xsrf": self.http.cookies.get("_xsrf", path="/hub/")},
            timeout=60,
            allow_redirects=False,
        )

    def wait_for_server(self, username: str, timeout: float = 120) -> SpawnResult:
        """Follow the hub's spawn progress stream until the server is ready or the spawn failed."""
        started = time.monotonic()
        events = []
        with self.http.get(
            self.url(f"/hub/api/users/{quote(username)}/server/progress"),
            headers=self.xsrf(),
            stream=True,
            timeout=timeout,
        ) as response:
            response.raise_for_status()
            for line in response.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                events.append(event)
                if event.get("ready") or event.get("failed"):
                    return SpawnResult(
                        bool(event.get("ready")),
                        bool(event.get("failed")),
                        event.get("message", ""),
                        time.monotonic() - started,
                        events,
                    )
        last = events[-1].get("message", "") if events else ""
        return SpawnResult(
            False, False, f"progress stream ended: {last}", time.monotonic() - started, events
        )

    def user_model(self, username: str) -> dict:
        response = self.hub_api("GET", f"/users/{quote(username)}")
        response.raise_for_status()
        return response.json()

    def server_ready(self, username: str) -> bool:
        server = self.user_model(username).get("servers", {}).get("")
        return bool(server and server.get("ready"))

    def wait_until_stopped(self, username: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.user_model(username).get("servers", {}).get(""):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{username}'s server did not stop within {timeout:.0f} s")
            time.sleep(1)

    def user_get(self, username: str, path: str, **kwargs) -> requests.Response:
        """GET below the user's server (the first call goes through the hub's OAuth redirects)."""
        return self.http.get(self.url(f"/user/{quote(username)}{path}"), timeout=60, **kwargs)

    def user_put_file(self, username: str, name: str, text: str) -> requests.Response:
        prefix = f"/user/{quote(username)}/"
        if not self.http.cookies.get("_xsrf", path=prefix):
            self.user_get(username, "/lab")  # jupyter-server sets its _xsrf cookie on page loads
        return self.http.put(
            self.url(f"{prefix}api/contents/{name}"),
            json={"type": "file", "format": "text", "content": text},
            headers=self.xsrf(prefix),
            timeout=60,
        )

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(
            method, self.url(f"/hub/api{path}"), headers=self.xsrf(), timeout=60, **kwargs
        )
