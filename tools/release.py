"""The repository's one version, and releases.

The version is declared once, as `[project] version` in pyproject.toml. Every other place that
names it (the toolkit pin generated projects get, the platform's image tags, docs, tests) is a
mention: `check` fails when one disagrees, `bump` rewrites them all. A release is the annotated tag
`vX.Y.Z` on main, made by `tag` (see CONTRIBUTING.md).

    python -m tools.release check          # every mention agrees; a tag on HEAD names the version
    python -m tools.release bump 0.2.0     # new version everywhere, CHANGELOG section opened
    python -m tools.release tag            # tag HEAD of a clean main as v<version>
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
SEMVER = r"\d+\.\d+\.\d+"
# What names the version outside pyproject.toml. The images are the platform's own (mlops-local/
# images are stand-ins with upstream versions); notebook-missing is a test's image, never built.
MENTIONS = (
    re.compile(rf"(mlops-hygiene==)({SEMVER})"),
    re.compile(rf"(\bmlops/(?!notebook-missing)(?:jupyterhub|notebook-[a-z]+):)({SEMVER})"),
    re.compile(rf'(__version__ = ")({SEMVER})'),
)
# History keeps the versions it describes.
NOT_MENTIONS = {"CHANGELOG.md"}
VERSION_LINE = re.compile(rf'^(version = ")({SEMVER})(")$', re.M)
UNRELEASED = "## [Unreleased]\n"


class ReleaseError(Exception):
    """One line for the person releasing; nothing was changed."""


@dataclass(frozen=True)
class Mention:
    path: str
    line: int
    version: str


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def declared_version(root: Path = REPO_ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def tracked_text_files(root: Path) -> list[Path]:
    """The repository's files as git knows them (staged ones included), text only."""
    paths = []
    for name in git(root, "ls-files", "--cached").splitlines():
        path = root / name
        if name in NOT_MENTIONS or not path.is_file():
            continue
        try:
            path.read_text()
        except UnicodeDecodeError:
            continue
        paths.append(path)
    return paths


def mentions(root: Path = REPO_ROOT) -> list[Mention]:
    found = []
    for path in tracked_text_files(root):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for pattern in MENTIONS:
                for match in pattern.finditer(line):
                    found.append(Mention(str(path.relative_to(root)), number, match.group(2)))
    return found


def disagreements(root: Path = REPO_ROOT) -> list[str]:
    version = declared_version(root)
    return [
        f"{m.path}:{m.line}: {m.version} (pyproject.toml says {version})"
        for m in mentions(root)
        if m.version != version
    ]


def head_tags(root: Path) -> list[str]:
    return [tag for tag in git(root, "tag", "--points-at", "HEAD").splitlines() if tag]


def check(root: Path = REPO_ROOT) -> str:
    """The declared version when every mention agrees with it and a release tag on HEAD names it."""
    problems = disagreements(root)
    if problems:
        raise ReleaseError("version mentions disagree: " + "; ".join(problems))
    version = declared_version(root)
    for tag in head_tags(root):
        if re.fullmatch(rf"v{SEMVER}", tag) and tag != f"v{version}":
            raise ReleaseError(f"HEAD is tagged {tag} but pyproject.toml says {version}")
    return version


def bump(root: Path, new: str, today: datetime.date | None = None) -> list[str]:
    """Write `new` into pyproject.toml and every mention; open its CHANGELOG section. The files
    changed, relative to root.
    """
    if not re.fullmatch(SEMVER, new):
        raise ReleaseError(f"not a version X.Y.Z: {new!r}")
    old = check(root)
    changelog = root / "CHANGELOG.md"
    if f"## [{new}]" in changelog.read_text():
        raise ReleaseError(f"CHANGELOG.md already has a section for {new}")
    if UNRELEASED not in changelog.read_text():
        raise ReleaseError(f"CHANGELOG.md has no '{UNRELEASED.strip()}' section")
    edits = {}
    pyproject = root / "pyproject.toml"
    edits[pyproject] = VERSION_LINE.sub(rf"\g<1>{new}\g<3>", pyproject.read_text(), count=1)
    for mention in mentions(root):
        path = root / mention.path
        text = edits.get(path, path.read_text())
        for pattern in MENTIONS:
            text = pattern.sub(
                lambda m: m.group(1) + new if m.group(2) == old else m.group(0), text
            )
        edits[path] = text
    date = (today or datetime.date.today()).isoformat()
    edits[changelog] = changelog.read_text().replace(
        UNRELEASED, f"{UNRELEASED}\n## [{new}] - {date}\n", 1
    )
    for path, text in edits.items():  # everything was computed before anything is written
        path.write_text(text)
    return sorted(str(path.relative_to(root)) for path in edits)


def tag(root: Path = REPO_ROOT) -> str:
    """Tag HEAD of a clean main as the release of the declared version; the tag's name."""
    version = check(root)
    if git(root, "rev-parse", "--abbrev-ref", "HEAD") != "main":
        raise ReleaseError("releases are tagged on main")
    if git(root, "status", "--porcelain"):
        raise ReleaseError("the working tree has uncommitted changes")
    if f"## [{version}]" not in (root / "CHANGELOG.md").read_text():
        raise ReleaseError(f"CHANGELOG.md has no section for {version}: run bump first")
    name = f"v{version}"
    if git(root, "tag", "--list", name):
        raise ReleaseError(f"{name} exists already: bump the version first")
    git(root, "tag", "--annotate", name, "--message", f"cookiecutter-mlops {version}")
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.release", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="every mention agrees with pyproject.toml")
    bump_parser = commands.add_parser("bump", help="set a new version everywhere")
    bump_parser.add_argument("version")
    commands.add_parser("tag", help="tag HEAD of a clean main as v<version>")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "check":
            print(check())
        elif arguments.command == "bump":
            for name in bump(REPO_ROOT, arguments.version):
                print(f"changed {name}")
        else:
            print(f"tagged {tag()}")
    except ReleaseError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
