"""A TCP relay on 127.0.0.1 in front of a real server that can play dead: while `stalling` is set,
it accepts new connections and never answers them (an LDAP server that hangs), otherwise it passes
bytes both ways.
"""

import contextlib
import socket
import threading
import time


class StallingRelay:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.stalling = False
        self.stalled: list[socket.socket] = []  # accepted, never answered
        self._sockets: list[socket.socket] = []
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
                if self.stalling:
                    self.stalled.append(client)
                    continue
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
                self._sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def wait_for_stalled(self, count: int = 1, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.stalled) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no connection reached the stalled relay within {timeout}s")
            time.sleep(0.05)

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self._acceptor.join(5)
        with self._lock:
            for sock in self._sockets:
                sock.close()


def run_stalling_relay(target_port: int):
    """Fixture generator: a relay to 127.0.0.1:target_port, closed (every socket) at the end."""
    relay = StallingRelay(target_port)
    try:
        yield relay
    finally:
        relay.close()
