"""A private package mirror on 127.0.0.1, as an air-gapped site has one (Nexus, Artifactory, devpi).

pypiserver serves folders of wheels that `fill_wheelhouse` downloads once (`pip download`, from the
public index, before any test runs) with exactly what a set of requirements needs. While a test
runs, `airgapped_env` leaves the mirror as the only route: the machine's pip configuration and
PIP_*/UV_* variables are gone, and every proxy variable points at a closed port except for
127.0.0.1, so a request to any other index fails the test instead of quietly succeeding.

Set MIRROR_WHEELHOUSE_ROOT to a folder to keep the filled wheelhouses between runs; a wheelhouse is
filled again when its requirements change.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

from harness.ports import free_port, wait_for_http
from harness.processes import stop_process

TOOLS_BIN = Path(sys.executable).parent  # the harness's venv: pip, uv, pypi-server, twine
KEEP_WHEELHOUSE_ENV = "MIRROR_WHEELHOUSE_ROOT"
CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens there
MANIFEST = "requirements.txt"

# Where the wheels are used: CPython 3.11 on x86-64 Linux (this machine, the platform's images).
# The other environments only supply metadata: uv's universal lock reads every package of every
# fork (Windows, macOS, newer Pythons), so the mirror must hold one wheel of each.
TARGET = {"python_version": "3.11", "platform": "manylinux_2_28_x86_64"}
OTHER_TARGETS = [
    {"python_version": "3.12", "platform": "manylinux_2_28_x86_64"},
    {"python_version": "3.13", "platform": "manylinux_2_28_x86_64"},
    {"python_version": "3.11", "platform": "win_amd64"},
    {"python_version": "3.11", "platform": "macosx_11_0_arm64"},
]
PLATFORM_MARKERS = {
    "manylinux_2_28_x86_64": {"sys_platform": "linux", "platform_system": "Linux"},
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macosx_11_0_arm64": {"sys_platform": "darwin", "platform_system": "Darwin"},
}


def wheelhouse(name: str, requirements: list[str], scratch: Path, universal: bool = True) -> Path:
    """A folder holding the wheels `requirements` need, filled now or kept from an earlier run.
    `universal`: for every platform and Python (a uv lock); else for CPython 3.11 on Linux only."""
    root = Path(os.environ.get(KEEP_WHEELHOUSE_ENV) or scratch)
    folder = root / name
    wanted = "\n".join(sorted(requirements)) + ("\n" if universal else "\n# linux-only\n")
    if (folder / MANIFEST).is_file() and (folder / MANIFEST).read_text() == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    partial = root / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    fill_wheelhouse(partial, requirements, universal)
    (partial / MANIFEST).write_text(wanted)
    partial.rename(folder)
    return folder


def fill_wheelhouse(folder: Path, requirements: list[str], universal: bool = True) -> None:
    """Resolve `requirements` (for every platform and Python version, as `uv lock` does, when
    `universal`) and download one wheel (or sdist) of each pinned version into `folder`.
    """
    folder = folder.resolve()
    (folder / "in.txt").write_text("\n".join(requirements) + "\n")
    resolved = folder / "resolved.txt"
    _fill_command(
        [TOOLS_BIN / "uv", "pip", "compile", "--quiet", "--no-header", "--no-annotate"]
        + (["--universal"] if universal else ["--python-platform", "x86_64-manylinux_2_28"])
        + ["--python-version", TARGET["python_version"], "in.txt", "-o", resolved],
        folder,
    )
    pins = [line for line in resolved.read_text().splitlines() if line and line[0].isalnum()]
    by_target: dict[tuple, list[str]] = {}
    for pin in pins:
        requirement = Requirement(pin)
        target = next(
            (
                candidate
                for candidate in [TARGET, *OTHER_TARGETS]
                if requirement.marker is None or _applies(requirement.marker, candidate)
            ),
            None,
        )
        if target is None:
            raise RuntimeError(f"no target platform for {pin}")
        bare = f"{requirement.name}{requirement.specifier}"
        by_target.setdefault((target["python_version"], target["platform"]), []).append(bare)
    for (python_version, platform), bare_pins in by_target.items():
        listing = folder / f"pins-{python_version}-{platform}.txt"
        listing.write_text("\n".join(bare_pins) + "\n")
        if (python_version, platform) == (TARGET["python_version"], TARGET["platform"]):
            # This machine's own kind: wheels where there are, else the sdist (some have none).
            where = ["--prefer-binary"]
        else:
            where = ["--only-binary=:all:", "--python-version", python_version]
            where += ["--platform", platform]
        _fill_command(
            [
                TOOLS_BIN / "pip",
                "download",
                "--quiet",
                "--no-deps",
                *where,
                "--dest",
                folder,
                "-r",
                listing,
            ],
            folder,
        )
    for note in ["in.txt", *(p.name for p in folder.glob("pins-*.txt"))]:
        (folder / note).unlink()


def _applies(marker: Marker, target: dict) -> bool:
    version = target["python_version"]
    environment = {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_machine": "arm64" if "arm64" in target["platform"] else "x86_64",
        "os_name": "posix",
        **PLATFORM_MARKERS[target["platform"]],
    }
    return marker.evaluate(environment)


def _fill_command(args: list, folder: Path) -> None:
    """Run a step that prepares the mirror (before any test) against the public index, without the
    machine's pip configuration (its find-links and constraints would change what gets resolved)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "UV_"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["UV_NO_CONFIG"] = "1"
    cert = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    if cert:  # HTTPS is intercepted on these machines
        env.update(PIP_CERT=cert, SSL_CERT_FILE=cert)
    result = subprocess.run(
        [str(arg) for arg in args], cwd=folder, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"preparing the mirror failed: {' '.join(map(str, args))}\n"
            f"{result.stdout}{result.stderr}"
        )


@dataclass
class Mirror:
    """A running pypiserver: `url` is the index (pip's index-url, uv's index), `upload_url` takes
    `twine upload --repository-url`; uploads land in `uploads`."""

    url: str
    upload_url: str
    uploads: Path
    process: subprocess.Popen
    log: Path

    wheelhouses: list[Path]
    htpasswd: Path | None = None

    @property
    def port(self) -> int:
        return int(self.upload_url.rstrip("/").rsplit(":", 1)[1])

    def reopen_anonymously(self) -> None:
        """Go on at the same address without a login (as a site's read-only anonymous access)."""
        self.stop()
        again = start_mirror(self.uploads, self.wheelhouses, self.log, port=self.port)
        self.process = again.process
        self.htpasswd = None

    def stop(self) -> None:
        stop_process(self.process)

    def requests(self) -> str:
        """pypiserver's access log so far (which files were asked for)."""
        return self.log.read_text() if self.log.exists() else ""


def start_mirror(
    uploads: Path,
    wheelhouses: list[Path],
    log: Path,
    htpasswd: Path | None = None,
    port: int | None = None,
    netns: str | None = None,
    host: str = "127.0.0.1",
    run_in=None,
) -> Mirror:
    """pypiserver on 127.0.0.1 (a free port, or `port`) serving `uploads` (where uploads land) and
    the wheelhouses, read-only. Anonymous, or with `htpasswd` a login for everything (a private
    index as a Nexus with anonymous access off).

    `netns`: run it inside that network namespace of the tests, listening on `host` there;
    `run_in(fn, *args)` then calls fn from inside the namespace (its readiness probe)."""
    uploads.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    access = ["--authenticate", "download,list,update", "--passwords", str(htpasswd)]
    if htpasswd is None:
        access = ["--authenticate", ".", "--passwords", "."]
    inside = ["ip", "netns", "exec", netns] if netns else []  # execs pypi-server: same PID
    with open(log, "a") as out:
        process = subprocess.Popen(
            [
                *inside,
                TOOLS_BIN / "pypi-server",
                "run",
                "--host",
                host,
                "--port",
                str(port),
                *access,
                "--disable-fallback",
                "--verbose",
                "--backend",
                "simple-dir",
                str(uploads),
                *map(str, wheelhouses),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_PROXY": host},
        )
    mirror = Mirror(
        url=f"http://{host}:{port}/simple/",
        upload_url=f"http://{host}:{port}/",
        uploads=uploads,
        process=process,
        log=log,
        wheelhouses=wheelhouses,
        htpasswd=htpasswd,
    )
    try:
        (run_in or _here)(wait_for_http, mirror.upload_url + "health", process, what="pypiserver")
    except (RuntimeError, TimeoutError) as error:
        mirror.stop()
        raise RuntimeError(f"{error}; its log, {log}:\n{mirror.requests()}") from error
    return mirror


def _here(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def write_htpasswd(path: Path, user: str, password: str) -> Path:
    from passlib.apache import HtpasswdFile

    logins = HtpasswdFile(str(path), new=True)
    logins.set_password(user, password)
    logins.save()
    return path


def publish(mirror: Mirror, distributions: list[Path], login: tuple = ("ci", "-")) -> None:
    """Upload as a team publishes to its mirror: `twine upload --repository-url`."""
    result = subprocess.run(
        [TOOLS_BIN / "twine", "upload", "--non-interactive", "--disable-progress-bar"]
        + ["--repository-url", mirror.upload_url, "-u", login[0], "-p", login[1]]
        + [str(path) for path in distributions],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"twine upload failed:\n{result.stdout}{result.stderr}")


def build_toolkit_wheel(source: Path, out: Path) -> Path:
    """A wheel of mlops-hygiene from a checkout, as its README says: `pip wheel --no-deps`."""
    out.mkdir(parents=True, exist_ok=True)
    _fill_command(
        [TOOLS_BIN / "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, source], out
    )
    return next(out.glob("mlops_hygiene-*.whl"))


def airgapped_env(base: dict, scratch: Path) -> dict:
    """`base` with the mirror as the only route out: no PIP_*/UV_* settings, no pip or uv
    configuration from the machine (user and XDG folders are empty ones), every proxy variable
    at a closed port, except for 127.0.0.1."""
    env = {key: value for key, value in base.items() if not key.startswith(("PIP_", "UV_"))}
    for name in ("config-home", "config-dirs"):
        (scratch / name).mkdir(parents=True, exist_ok=True)
    env["XDG_CONFIG_HOME"] = str(scratch / "config-home")
    env["XDG_CONFIG_DIRS"] = str(scratch / "config-dirs")
    env["UV_CACHE_DIR"] = str(scratch / "uv-cache")
    env["PIP_NO_CACHE_DIR"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        env[name] = env[name.upper()] = CLOSED_PROXY
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def write_wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel `name` (one module printing nothing), as a team's own package
    that exists only on its mirror."""
    import base64
    import hashlib
    import zipfile

    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": f'"""{name}: published only to the package mirror."""\n',
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: harness\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    records = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        records.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join([*records, f"{info}/RECORD,,"]) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel
