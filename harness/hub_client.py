"""A user's browser-less session with the hub, straight or through nginx: log in, pick an image,
wait for the server, talk to JupyterLab's REST API and run code on a kernel over wss://.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import requests
import websocket

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colours, cursor moves, bracketed paste


def direct_session(ca_file=None) -> requests.Session:
    """A session that talks straight to 127.0.0.1: no proxy from the environment, and our CA (the
    environment's REQUESTS_CA_BUNDLE would otherwise win over `verify`).
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = str(ca_file) if ca_file else True
    return session


@dataclass
class SpawnResult:
    ready: bool
    failed: bool
    message: str
    seconds: float
    events: list = field(default_factory=list)


class HubSession:
    """One user's cookies; `http` is the underlying requests.Session for any other request."""

    def __init__(self, base_url: str, ca_file=None):
        self.base = base_url.rstrip("/")
        self.ca_file = ca_file
        self.http = direct_session(ca_file)

    def url(self, path: str) -> str:
        return self.base + path

    def xsrf(self, path: str = "/hub/") -> dict:
        token = self.http.cookies.get("_xsrf", path=path) or self.http.cookies.get("_xsrf")
        return {"X-XSRFToken": token} if token else {}

    def login(
        self, username: str, password: str, follow: bool = True, timeout: float = 60
    ) -> requests.Response:
        """Post the hub's login form like a browser; the last response (the spawn page, or the
        login page again when refused). follow=False stops at the answer to the form (302 when the
        login worked): a browser would go on to the spawn page and start the user's server.
        """
        form = self.http.get(self.url("/hub/login"), timeout=30)
        form.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        return self.http.post(
            self.url("/hub/login"),
            data={"username": username, "password": password, "_xsrf": xsrf},
            timeout=timeout,
            allow_redirects=follow,
        )

    def own_model(self) -> dict:
        """The logged-in user's model from the hub API (403 raises)."""
        response = self.http.get(self.url("/hub/api/user"), timeout=30)
        response.raise_for_status()
        return response.json()

    def wait_until_ready(self, timeout: float = 90.0) -> dict:
        """Poll the hub API until the user's default server is ready; the user's model."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.own_model()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return model
            time.sleep(0.5)
        raise TimeoutError(f"the server was not ready within {timeout:.0f}s")

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

    def user_xsrf(self, username: str) -> dict:
        """jupyter-server wants its _xsrf cookie echoed in a header for cookie-authenticated
        writes; it sets that cookie on page loads.
        """
        prefix = f"/user/{quote(username)}/"
        if not self.http.cookies.get("_xsrf", path=prefix):
            self.user_get(username, "/lab")
        return self.xsrf(prefix)

    def user_put_file(self, username: str, name: str, text: str) -> requests.Response:
        return self.http.put(
            self.url(f"/user/{quote(username)}/api/contents/{name}"),
            json={"type": "file", "format": "text", "content": text},
            headers=self.user_xsrf(username),
            timeout=120,
        )

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(
            method, self.url(f"/hub/api{path}"), headers=self.xsrf(), timeout=60, **kwargs
        )

    def _user_websocket(self, username: str, path: str):
        """A wss:// connection below the user's server, authenticated by the session's cookies."""
        url = self.url(f"/user/{quote(username)}{path}")
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        return websocket.create_connection(
            "ws" + url[len("http") :],  # https -> wss
            sslopt={"ca_certs": str(self.ca_file)},
            header=[f"Cookie: {cookies}"],
            origin=self.base,
            timeout=60,
        )

    def run_in_terminal(
        self, username: str, command: str, timeout: float = 300, terminal: str | None = None
    ) -> tuple[int, str]:
        """Type `command` in a JupyterLab terminal as a user would; return its exit status and what
        the terminal showed meanwhile (without colours and other escape sequences). `terminal`: the
        name of an open terminal (one a browser shows, which then shows the command too), else a
        new terminal is made (REST API) and closed afterwards."""
        api = self.url(f"/user/{quote(username)}/api")
        headers = self.user_xsrf(username)
        name = terminal
        if name is None:
            created = self.http.post(f"{api}/terminals", headers=headers, timeout=60)
            created.raise_for_status()
            name = created.json()["name"]
        connection = self._user_websocket(username, f"/terminals/websocket/{name}")
        # The typed line shows `"__END_x""__$?`; only the shell's echo prints `__END_x__<status>`.
        # x is new for each command: a terminal replays its earlier output to a new connection.
        marker = f"__END_{uuid.uuid4().hex[:12]}"
        try:
            connection.send(json.dumps(["stdin", f'{command}; echo "{marker}""__$?"\r']))
            shown = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    message = json.loads(connection.recv())
                except websocket.WebSocketTimeoutException:  # a quiet minute: keep waiting
                    continue
                if message[0] == "stdout":
                    shown.append(message[1])
                    text = "".join(shown)
                    ended = re.search(rf"{marker}__(\d+)", text)
                    if ended:
                        # From the line where the command was typed (echoed): not the replay.
                        typed = text.rfind("\n", 0, text.find(marker)) + 1
                        return int(ended.group(1)), ANSI_ESCAPE.sub("", text[typed:])
                elif message[0] == "disconnect":
                    break
            raise TimeoutError(f"{command!r} did not end within {timeout:.0f} s:\n{''.join(shown)}")
        finally:
            connection.close()
            if terminal is None:
                self.http.delete(f"{api}/terminals/{name}", headers=headers, timeout=30)

    def terminal_names(self, username: str) -> list[str]:
        """The user's open JupyterLab terminals."""
        response = self.http.get(self.url(f"/user/{quote(username)}/api/terminals"), timeout=30)
        response.raise_for_status()
        return [terminal["name"] for terminal in response.json()]

    def run_code(self, username: str, code: str) -> str:
        """Start a kernel through the REST API, execute `code` over wss://, return what it
        printed; the kernel is deleted afterwards.
        """
        api = self.url(f"/user/{quote(username)}/api")
        headers = self.user_xsrf(username)
        kernel = self.http.post(
            f"{api}/kernels", json={"name": "python3"}, headers=headers, timeout=60
        )
        kernel.raise_for_status()
        kernel_id = kernel.json()["id"]
        ws_url = "ws" + f"{api}/kernels/{kernel_id}/channels"[len("http") :]  # https -> wss
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        connection = websocket.create_connection(
            ws_url,
            sslopt={"ca_certs": str(self.ca_file)},
            header=[f"Cookie: {cookies}"],
            origin=self.base,
            timeout=60,
        )
        try:
            msg_id = uuid.uuid4().hex
            connection.send(json.dumps(execute_request(msg_id, username, code)))
            printed = []
            while True:
                message = json.loads(connection.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "stream":
                    printed.append(message["content"]["text"])
                elif kind == "error":
                    raise AssertionError(f"kernel error: {message['content']['evalue']}")
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    return "".join(printed)
        finally:
            connection.close()
            self.http.delete(f"{api}/kernels/{kernel_id}", headers=headers, timeout=30)


def execute_request(msg_id: str, username: str, code: str) -> dict:
    """A Jupyter messaging protocol execute_request on the shell channel."""
    header = {
        "msg_id": msg_id,
        "username": username,
        "session": uuid.uuid4().hex,
        "msg_type": "execute_request",
        "version": "5.3",
    }
    content = {
        "code": code,
        "silent": False,
        "store_history": False,
        "user_expressions": {},
        "allow_stdin": False,
    }
    return {
        "header": header,
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }
