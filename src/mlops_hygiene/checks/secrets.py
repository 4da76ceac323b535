"""Secrets: no keys or credentials in git, and `.gitignore` keeps them out."""

from __future__ import annotations

import fnmatch
import re

from ..project import Project
from ._base import docs_url, listing

FAMILY = "mlops-secrets"
# File names that hold secrets. `.env.example` and friends are templates without values, so they are
# allowed.
SECRET_FILE_PATTERNS = (
    ".env", ".env.*", "*.pem", "*.key", "*.p12", "*.pfx",
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
    "credentials.json", "service-account*.json", "*-credentials.json",
    ".netrc", ".pypirc", "credentials",
)  # fmt: skip
TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist")
SECRET_CONTENT = re.compile(rb"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b")
CONTENT_SCAN_LIMIT = 256 * 1024
# What `.gitignore` must ignore, with one example path each that `git check-ignore` tests.
GITIGNORE_ENTRIES = {
    ".env": ".env",
    ".env.*": ".env.local",
    "*.pem": "secrets/server.pem",
    "*.key": "secrets/server.key",
    "id_rsa*": "id_rsa",
    "credentials.json": "config/credentials.json",
}


def _is_secret_name(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if name.endswith(TEMPLATE_SUFFIXES):
        return False
    return any(fnmatch.fnmatch(name, pattern) for pattern in SECRET_FILE_PATTERNS)


def _has_secret_content(project: Project, path: str) -> bool:
    file = project.path(path)
    if not file.is_file() or file.is_symlink():
        return False
    with file.open("rb") as handle:
        return bool(SECRET_CONTENT.search(handle.read(CONTENT_SCAN_LIMIT)))


class MH060:
    "No private keys or credentials files are committed"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH060")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        found = [path for path in hygiene_project.tracked_files if _is_secret_name(path)]
        found += [
            f"{path} (contains a key)"
            for path in hygiene_project.tracked_files
            if path not in found and _has_secret_content(hygiene_project, path)
        ]
        if not found:
            return True
        return (
            f"Secret(s) in git: {listing(found)}. Remove them (`git rm --cached FILE`), rotate the "
            "leaked "
            "credentials, and load secrets from the environment or a secrets manager."
        )


def _missing_entries(project: Project) -> list[str]:
    ignored = project.ignored(list(GITIGNORE_ENTRIES.values()))
    return [entry for entry, example in GITIGNORE_ENTRIES.items() if example not in ignored]


class MH061:
    "`.gitignore` ignores secret files (`.env`, `*.pem`, `*.key`, ...)"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH061")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        missing = _missing_entries(hygiene_project)
        if not missing:
            return True
        missing_text = listing(missing)
        return f"`.gitignore` does not ignore {missing_text}: add them (`mlops-hygiene fix` does)."

    @staticmethod
    def fix(hygiene_project: Project) -> list[str]:
        missing = _missing_entries(hygiene_project)
        if not missing:
            return []
        gitignore = hygiene_project.path(".gitignore")
        text = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        text += "# secrets (added by mlops-hygiene fix)\n" + "".join(
            f"{entry}\n" for entry in missing
        )
        gitignore.write_text(text, encoding="utf-8")
        return [".gitignore"]


CHECKS = [MH060, MH061]
