"""A user's side over HTTPS: log in through nginx, wait for JupyterLab, run code on a kernel."""

import json
import re
import time
import uuid

import requests
import websocket


def direct_session(ca_file=None) -> requests.Session:
    """A session that talks straight to 127.0.0.1: no proxy from the environment, and our CA (the
    environment's REQUESTS_CA_BUNDLE would otherwise win over `verify`).
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = str(ca_file) if ca_file else True
    return session


def login(
    base_url: str, username: str, password: str, ca_file, follow: bool = True, timeout: float = 60
) -> tuple[requests.Session, requests.Response]:
    """Post the hub's login form like a browser; returns the session and the last response.

    follow=False stops at the answer to the form (302 when the login worked): the browser would
    go on to the spawn page and start the user's server.
    """
    session = direct_session(ca_file)
    form = session.get(f"{base_url}/hub/login", timeout=30)
    form.raise_for_status()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
    response = session.post(
        f"{base_url}/hub/login",
        data={"username": username, "password": password, "_xsrf": xsrf},
        timeout=timeout,
        allow_redirects=follow,
    )
    return session, response


def wait_for_server(session: requests.Session, base_url: str, timeout: float = 90.0) -> dict:
    """Poll the hub API (with the login cookie) until the user's default server is ready."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        model = session.get(f"{base_url}/hub/api/user", timeout=30).json()
        server = model.get("servers", {}).get("")
        if server and server.get("ready"):
            return model
        time.sleep(0.5)
    raise TimeoutError(f"the server was not ready within {timeout:.0f}s")


def xsrf_headers(session: requests.Session, url: str) -> dict:
    """jupyter-server wants the _xsrf cookie echoed in a header for cookie-authenticated POSTs."""
    session.get(url, timeout=30)
    token = next(
        c.value for c in session.cookies if c.name == "_xsrf" and c.path.startswith("/user/")
    )
    return {"X-XSRFToken": token}


def run_code(session: requests.Session, base_url: str, user: str, code: str, ca_file) -> str:
    """Start a kernel through the REST API, execute `code` over wss://, return what it printed."""
    api = f"{base_url}/user/{user}/api"
    headers = xsrf_headers(session, f"{base_url}/user/{user}/lab")
    kernel = session.post(f"{api}/kernels", json={"name": "python3"}, headers=headers, timeout=60)
    kernel.raise_for_status()
    kernel_id = kernel.json()["id"]
    ws_url = f"{api}/kernels/{kernel_id}/channels".replace("https://", "wss://", 1)
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    connection = websocket.create_connection(
        ws_url,
        sslopt={"ca_certs": str(ca_file)},
        header=[f"Cookie: {cookies}"],
        origin=base_url,
        timeout=60,
    )
    try:
        msg_id = uuid.uuid4().hex
        connection.send(
            json.dumps(
                {
                    "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                               "msg_type": "execute_request", "version": "5.3"},
                    "parent_header": {},
                    "metadata": {},
                    "content": {"code": code, "silent": False, "store_history": False,
                                "user_expressions": {}, "allow_stdin": False},
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )  # fmt: skip
        printed = []
        while True:
            message = json.loads(connection.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                raise AssertionError(f"kernel error: {message['content']['evalue']}")
            elif (
                message["msg_type"] == "status" and message["content"]["execution_state"] == "idle"
            ):
                return "".join(printed)
    finally:
        connection.close()
        session.delete(f"{api}/kernels/{kernel_id}", headers=headers, timeout=30)
