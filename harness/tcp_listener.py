"""A TCP server that accepts every connection and closes it at once: something to reach.

Usage: python harness/tcp_listener.py PORT (listens on every address until killed; prints
"listening" once it accepts connections, so a caller can wait for that line).
"""

import socket
import sys


def serve(port: int) -> None:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", port))
    server.listen(64)
    print("listening", flush=True)
    while True:
        connection, _ = server.accept()
        connection.close()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
