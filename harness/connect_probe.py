"""Whether TCP connections to HOST:PORT targets succeed, from where this runs (e.g. inside a
user's container, fed to its python3 on standard input).

Usage: python connect_probe.py HOST:PORT ... prints {"HOST:PORT": "open" | "refused" | "timeout" |
"unresolved"} as JSON; "unresolved": the name does not exist on this container's networks.
Standard library only: the container has none of this repository's packages. The targets are
probed at once: a name that does not resolve takes seconds (Docker's DNS asks upstream servers).
"""

import json
import socket
import sys
from concurrent.futures import ThreadPoolExecutor


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
    targets = sys.argv[1:]
    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        print(json.dumps(dict(zip(targets, pool.map(probe, targets), strict=True))))
