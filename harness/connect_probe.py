"""Whether TCP connections to HOST:PORT targets succeed, from where this runs (e.g. inside a
user's container, fed to its python3 on standard input).

Usage: python connect_probe.py HOST:PORT ... prints {"HOST:PORT": "open" | "refused" | "timeout" |
"unresolved"} as JSON; "unresolved": the name does not exist on this container's networks.
Standard library only: the container has none of this repository's packages.
"""

import json
import socket
import sys


def probe(target: str) -> str:
    host, port = target.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return "open"
    except socket.gaierror:
        return "unresolved"
    except TimeoutError:
        return "timeout"
    except OSError:
        return "refused"


if __name__ == "__main__":
    print(json.dumps({target: probe(target) for target in sys.argv[1:]}))
