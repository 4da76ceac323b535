"""A throw-away certificate authority (openssl CLI) for slapd's StartTLS and nginx's HTTPS."""

import subprocess
from dataclasses import dataclass
from pathlib import Path


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@dataclass(frozen=True)
class TestCA:
    folder: Path
    cert: Path
    key: Path

    def issue(self, name: str, dns: str = "localhost", ip: str = "127.0.0.1") -> tuple[Path, Path]:
        """A server certificate for `dns` and `ip`, signed by this CA: returns (cert, key) paths."""
        key, csr, cert = (self.folder / f"{name}.{ext}" for ext in ("key", "csr", "crt"))
        extensions = self.folder / f"{name}.ext"
        extensions.write_text(
            f"subjectAltName=DNS:{dns},IP:{ip}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
        )
        openssl(
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            csr,
            "-subj",
            f"/CN={dns}",
            cwd=self.folder,
        )
        openssl(
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            self.cert,
            "-CAkey",
            self.key,
            "-CAcreateserial",
            "-days",
            "2",
            "-sha256",
            "-extfile",
            extensions,
            "-out",
            cert,
            cwd=self.folder,
        )
        key.chmod(0o644)  # read by services running as other users (slapd as openldap)
        return cert, key


def make_test_ca(folder: Path) -> TestCA:
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "ca.crt", folder / "ca.key"
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "2",
        "-subj",
        "/CN=cookiecutter-mlops test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )
    folder.chmod(0o755)
    return TestCA(folder, cert, key)
