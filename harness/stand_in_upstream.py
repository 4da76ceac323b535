"""A stand-in for the hub behind nginx: answers every request with 200 and counts them."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandInUpstream:
    def __init__(self):
        self.requests: list[str] = []  # "Host path" of every request that reached it
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                upstream.requests.append(f"{self.headers.get('Host')} {self.path}")
                body = b"hub stand-in\n"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def run_stand_in_upstream():
    upstream = StandInUpstream()
    try:
        yield upstream
    finally:
        upstream.close()
