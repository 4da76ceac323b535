"""nginx with a private prefix, serving platform/nginx/jupyterhub.conf.template on 127.0.0.1."""

import importlib.util
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.ports import free_port, wait_for_port
from harness.processes import stop_process

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = REPO_ROOT / "platform" / "nginx" / "jupyterhub.conf.template"


def _render_module():
    spec = importlib.util.spec_from_file_location(
        "nginx_render", REPO_ROOT / "platform" / "nginx" / "render.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_site(values: dict) -> str:
    return _render_module().render(TEMPLATE.read_text(), values)


def write_nginx_prefix(prefix: Path, site: str) -> Path:
    """A complete nginx.conf in `prefix` (pid, logs, temp folders inside it) including the site."""
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "logs").mkdir(exist_ok=True)
    (prefix / "site.conf").write_text(site)
    conf = prefix / "nginx.conf"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"""daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/logs/access.log;
    # What Debian's nginx.conf (the Swarm tests' stand-in image) sets at http level: the site must
    # override these in its servers, not repeat them at http level (nginx refuses a duplicate).
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
{temp}
    include {prefix}/site.conf;
}}
"""
    )
    return conf


def nginx_test(prefix: Path, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["nginx", "-t", "-e", "stderr", "-p", str(prefix), "-c", str(conf)],
        capture_output=True,
        text=True,
    )


def start_nginx(prefix: Path, conf: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ["nginx", "-e", "stderr", "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=open(prefix / "logs" / "stderr.log", "w"),
    )


# The host name nginx serves in the tests: the address they open (it refuses any other Host).
SERVER_NAME = "127.0.0.1"


@dataclass(frozen=True)
class ProxyPorts:
    http: int
    https: int

    @classmethod
    def free(cls) -> "ProxyPorts":
        return cls(free_port(), free_port())

    @property
    def https_url(self) -> str:
        return f"https://{SERVER_NAME}:{self.https}"


@dataclass(frozen=True)
class Proxy:
    https_url: str
    http_url: str
    ca_file: Path
    https_port: int
    http_port: int


def run_nginx(ca, upstream: str, ports: ProxyPorts | None = None):
    """Fixture generator: nginx on two 127.0.0.1 ports (free ones by default) before `upstream`."""
    ports = ports or ProxyPorts.free()
    prefix = Path(tempfile.mkdtemp(prefix="platform-nginx-"))
    prefix.chmod(0o755)  # nginx's workers (user nobody) keep request bodies in its temp folders
    process = None
    try:
        cert, key = ca.issue("nginx")
        site = render_site(
            {
                "SERVER_NAME": SERVER_NAME,
                "PUBLIC_URL": ports.https_url,
                "HTTP_PORT": f"127.0.0.1:{ports.http}",
                "HTTPS_PORT": f"127.0.0.1:{ports.https}",
                "HUB_UPSTREAM": upstream,
                "TLS_CERT": str(cert),
                "TLS_KEY": str(key),
            }
        )
        conf = write_nginx_prefix(prefix, site)
        checked = nginx_test(prefix, conf)
        assert checked.returncode == 0, checked.stderr
        process = start_nginx(prefix, conf)
        wait_for_port(ports.https, process, what="nginx")
        yield Proxy(ports.https_url, f"http://{SERVER_NAME}:{ports.http}", ca.cert, ports.https,
                    ports.http)  # fmt: skip
    finally:
        if process is not None:
            stop_process(process)
        shutil.rmtree(prefix, ignore_errors=True)
