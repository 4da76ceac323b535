"""Secrets: no keys or credentials in git, and `.gitignore` keeps them out."""

from __future__ import annotations

import re

from ..project import Project
from ._base import Check, listing

FAMILY = "mlops-secrets"
# File names that hold secrets. `.env.example` and friends are templates without values, so they are
# allowed.
SECRET_FILE_PATTERNS = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "credentials.json",
    "service-account*.json",
    "*-credentials.json",
    ".netrc",
    ".pypirc",
    "credentials",
)
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


def _name_pattern(pattern: str) -> str:
    """A file-name glob (only `*` is used) as a regular expression for one line of paths."""
    return "[^/\\n]*".join(re.escape(part) for part in pattern.split("*"))


# All the name patterns in one regular expression, run once over all the paths (one per line):
# one pass in C instead of a match per file and pattern.
SECRET_PATHS = re.compile(
    rf"^(?:[^\n]*/)?(?:{'|'.join(map(_name_pattern, SECRET_FILE_PATTERNS))})$", re.MULTILINE
)
# Fixed strings every match of SECRET_CONTENT contains: `git grep` finds the candidate files.
CONTENT_MARKERS = ("PRIVATE KEY-----", "AKIA")


def secret_names(paths: list[str]) -> list[str]:
    """The paths whose file name is a secrets file's (templates such as `.env.example` aside, and
    placeholders in a cookiecutter/copier template folder such as `{{ cookiecutter.name }}/`)."""
    matches = [
        m.group(0) for m in SECRET_PATHS.finditer("\n".join(p for p in paths if "\n" not in p))
    ]
    return [path for path in matches if not path.endswith(TEMPLATE_SUFFIXES) and "{{" not in path]


# Up to this many given files (`--files`, a commit's) are read here; more are left to `git grep`.
READ_HERE = 50


def _candidates(project: Project) -> list[str]:
    """Files that may hold a key: the few files of a commit themselves, else one multi-threaded
    `git grep` over the files to judge, instead of reading every file here."""
    if project.only_files is not None and len(project.scan_files) <= READ_HERE:
        return project.scan_files
    markers = [arg for marker in CONTENT_MARKERS for arg in ("-e", marker)]
    pathspec = ["--", *project.scan_files] if project.only_files is not None else []
    result = project.git("grep", "-l", "-z", "-F", "--no-color", *markers, *pathspec)
    return [path for path in result.stdout.split("\0") if path]


def _has_secret_content(project: Project, path: str) -> bool:
    file = project.path(path)
    if not file.is_file() or file.is_symlink():
        return False
    with file.open("rb") as handle:
        return bool(SECRET_CONTENT.search(handle.read(CONTENT_SCAN_LIMIT)))


class MH060(Check):
    "No private keys or credentials files are committed"

    family = FAMILY
    requires = frozenset({"MH001"})
    what = (
        "no file in git (committed or staged) is a secrets file by name (`.env`, `.env.*` "
        "except `.example`/`.sample`/ `.template`, `*.pem`, `*.key`, `*.p12`, `id_rsa`..., "
        "`credentials.json`, `.netrc`, `.pypirc`; not in a project template's `{{ ... }}` "
        "folder, where they are placeholders) or contains a private key block or an AWS access "
        "key id."
    )
    why = "a secret in git history is leaked for good."
    fix = "`git rm --cached FILE`, rotate the credential, load secrets from the environment."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        found = secret_names(hygiene_project.scan_files)
        named = set(found)
        found += [
            f"{path} (contains a key)"
            for path in _candidates(hygiene_project)
            if path not in named and _has_secret_content(hygiene_project, path)
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


class MH061(Check):
    "`.gitignore` ignores secret files (`.env`, `*.pem`, `*.key`, ...)"

    family = FAMILY
    triggers = (".gitignore",)

    @classmethod
    def concerns(cls, hygiene_project: Project) -> bool:
        """Also when there is no `.gitignore`: no file of a commit can show that."""
        return super().concerns(hygiene_project) or not hygiene_project.is_file(".gitignore")

    requires = frozenset({"MH001"})
    what = (
        "`.gitignore` ignores `.env`, `.env.*`, `*.pem`, `*.key`, `id_rsa*` and "
        "`credentials.json` (tested with `git check-ignore`)."
    )
    why = "so that a secret file cannot be committed by accident."
    fix = "add the entries (`mlops-hygiene fix` appends the missing ones)."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        missing = _missing_entries(hygiene_project)
        if not missing:
            return True
        missing_text = listing(missing)
        return f"`.gitignore` does not ignore {missing_text}: add them (`mlops-hygiene fix` does)."

    @staticmethod
    def autofix(hygiene_project: Project) -> list[str]:
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
