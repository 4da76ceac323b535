"""No outage for running users: what a user with an open kernel websocket and a loop of HTTP
requests (every 0.25 s, through nginx) sees while the platform changes under them:

  (a) a hub restart (`docker service update --force jupyterhub_hub`),
  (b) a certificate change (`platform/deploy renew-cert`: the running nginx reloads it),
  (c) a hub image upgrade (a new HUB_IMAGE tag, deployed: the hub alone restarts).

platform/stack.yml + stack.test.yml on a private single-node Swarm, as the Swarm tests deploy it.
Reports, per change, the seconds until the stack was healthy again, the requests made and failed,
whether the kernel websocket dropped, and the longest gap without an answer. Needs root, the
packages of .ci/apt-packages.txt, the Swarm address 127.0.0.1:2377 free, and about 15 minutes (the
images are built first; SWARM_TEST_DATA_ROOT=FOLDER keeps them between runs, as for the tests).

    .venv/bin/python -m bench.no_outage [--only certificate]

Copy the printed table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography import x509

from harness import slapd as slapd_module
from harness.engine import swarm_engine
from harness.images import build_platform_images
from harness.stack import (
    LOCAL_HUB_IMAGE,
    PORTS,
    STACK,
    Stack,
    ldap_variables,
    logged_in_with_server,
    new_stack,
    write_stack_secrets,
)
from harness.tls import make_test_ca
from harness.user_traffic import UserTraffic

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTLE = 5  # seconds of traffic after the stack is healthy again


def restart_hub(stack: Stack, ca) -> None:
    before = stack.container_id("hub")
    stack.update("hub", "--force")
    stack.wait_hub(previous_container=before)


def change_certificate(stack: Stack, ca) -> None:
    """`platform/deploy renew-cert` as an operator runs it, until nginx serves the new one."""
    cert, key = ca.issue(f"bench-renewed-{time.time_ns()}")
    secrets_dir = Path(stack.env["SECRETS_DIR"])
    env_file = secrets_dir.parent / "bench-platform.env"
    env_file.write_text(
        f"STACK_NAME={STACK}\nSERVER_NAME={stack.env['SERVER_NAME']}\n"
        f"TLS_DIR={stack.env['TLS_DIR']}\n"
    )
    command = [sys.executable, str(REPO_ROOT / "platform" / "deploy"), "--env-file", str(env_file)]
    command += ["--secrets-dir", str(secrets_dir), "renew-cert", str(cert), str(key)]
    subprocess.run(command, env=stack.engine.env(), check=True, capture_output=True)
    new_serial = x509.load_pem_x509_certificate(cert.read_bytes()).serial_number
    deadline = time.monotonic() + 30
    while served_serial() != new_serial:
        if time.monotonic() > deadline:
            raise TimeoutError("nginx does not serve the renewed certificate after 30 s")
        time.sleep(0.1)


def upgrade_hub_image(stack: Stack, ca) -> None:
    before = stack.container_id("hub")
    new_image = "mlops/jupyterhub:no-outage-bench"  # the same image under a new tag: a new spec
    stack.docker("tag", LOCAL_HUB_IMAGE, new_image)
    stack.env["HUB_IMAGE"] = new_image
    stack.deploy()
    stack.wait_hub(previous_container=before)


CHANGES = {
    "hub-restart": ("(a) hub restart", restart_hub),
    "certificate": ("(b) certificate change", change_certificate),
    "hub-upgrade": ("(c) hub image upgrade", upgrade_hub_image),
}


def served_serial() -> int:
    pem = ssl.get_server_certificate(("127.0.0.1", PORTS["SWARM_TEST_PORT_HTTPS"]))
    return x509.load_pem_x509_certificate(pem.encode()).serial_number


def measure(stack: Stack, ca, slapd, changes: list[str]) -> list[str]:
    rows = []
    for name, change in (CHANGES[key] for key in changes):
        session = logged_in_with_server(stack, slapd.member, slapd.passwords[slapd.member])
        traffic = UserTraffic(session, session.user)
        traffic.start()
        started = time.monotonic()
        try:
            change(stack, ca)
            seconds = time.monotonic() - started
            time.sleep(SETTLE)
        finally:
            report = traffic.stop()
        dropped = (
            f"yes ({report.websocket_dropped.split(':')[0]})" if report.websocket_dropped else "no"
        )
        row = (
            f"| {name} | {seconds:.0f} | {report.requests} | {len(report.failed_requests)} "
            f"| {dropped} | {report.longest_gap:.1f} |"
        )
        print(row, flush=True)
        for failure in report.failed_requests[:3]:
            print(f"    failed: {failure}", flush=True)
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", choices=sorted(CHANGES), action="append", help="measure only this change"
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("needs root (it starts dockerd and slapd)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-no-outage-") as folder:
        work = Path(folder)
        ca = make_test_ca(work / "ca")
        slapd_gen = slapd_module.run_slapd(ca)
        slapd = next(slapd_gen)
        try:
            # Keeps the engine's images between runs with SWARM_TEST_DATA_ROOT, as the Swarm tests.
            with swarm_engine("the no-outage benchmark") as engine:
                print("  building the images (platform/build-images --local) ...", flush=True)
                build_platform_images(engine, REPO_ROOT, work / "build-images.log")
                secrets_dir = write_stack_secrets(work / "secrets", ca, slapd.search_password)
                stack = new_stack(
                    engine, REPO_ROOT / "platform", secrets_dir, ldap_variables(slapd), ca.cert
                )
                try:
                    stack.deploy()
                    stack.wait_healthy()
                    rows = measure(stack, ca, slapd, args.only or list(CHANGES))
                finally:
                    stack.remove()
        finally:
            slapd_gen.close()
    print("\n| change | s until healthy | requests | failed | websocket dropped | longest gap s |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
