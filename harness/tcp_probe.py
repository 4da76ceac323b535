"""Which addresses answer a TCP connection on a port, from where this runs (e.g. a namespace).

Usage: python harness/tcp_probe.py '{"name": "address", ...}' PORT
prints {"name": "open" | "blocked", ...} as JSON.
"""

import json
import socket
import sys


def probe(targets: dict[str, str], port: int, timeout: float = 1.5) -> dict[str, str]:
    results = {}
    for name, address in targets.items():
        try:
            socket.create_connection((address, port), timeout=timeout).close()
            results[name] = "open"
        except OSError:
            results[name] = "blocked"
    return results


if __name__ == "__main__":
    print(json.dumps(probe(json.loads(sys.argv[1]), int(sys.argv[2]))))
