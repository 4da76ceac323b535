"""A private PostgreSQL (Debian's binaries) on 127.0.0.1, free port, as the `postgres` user."""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.ports import free_port, wait_for_port
from harness.processes import stop_process

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    socket_dir: Path
    superuser: str = "postgres"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [PG_BIN / "psql", "-h", self.socket_dir, "-p", str(self.port), "-U", self.superuser,
             "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return result.stdout.strip()

    def create_database(self, name: str, owner: str, password: str) -> str:
        """A role and its database; returns the URL without the password (like HUB_DB_URL)."""
        self.psql(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}'")
        self.psql(f"CREATE DATABASE {name} OWNER {owner}")
        return f"postgresql+psycopg://{owner}@{self.host}:{self.port}/{name}"


def run_postgres():
    """Fixture generator: initdb in a new folder, start, yield, stop by PID, remove."""
    folder = Path(tempfile.mkdtemp(prefix="platform-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    shutil.chown(folder, "postgres", "postgres")
    shutil.chown(sockets, "postgres", "postgres")
    process = None
    try:
        subprocess.run(
            [PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth-local=trust",
             "--auth-host=scram-sha-256", "-E", "UTF8"],
            user="postgres", check=True, capture_output=True,
        )  # fmt: skip
        port = free_port()
        log = open(folder / "postgres.log", "w")
        process = subprocess.Popen(
            [PG_BIN / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port), "-k", sockets],
            user="postgres", stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for_port(port, process, what="postgres")
        server = PostgresServer("127.0.0.1", port, sockets)
        server.psql("SELECT 1")
        yield server
    finally:
        if process is not None:
            stop_process(process)
        shutil.rmtree(folder, ignore_errors=True)
