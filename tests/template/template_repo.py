"""A git clone of this repository as it is in the working tree, as a user has one.

Generated projects take the template (and with it the mlops-hygiene toolkit) from such a clone, by
`file://` URL or by path. Uncommitted changes of the checkout are committed in the clone, so the
tests see the code under test.
"""

import os
import shutil
import subprocess
from pathlib import Path

from tests.template.project_commands import GIT_IDENTITY


def _git(args: list[str], cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=_git_env()
    )
    return result.stdout


def _git_env() -> dict:
    return {**os.environ, **GIT_IDENTITY}


def clone_working_tree(repo_root: Path, destination: Path) -> Path:
    """`git clone repo_root destination`, then the working tree's tracked and new files on top."""
    _git(["clone", "--quiet", "--no-hardlinks", str(repo_root), str(destination)], repo_root)
    listed = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repo_root)
    for name in filter(None, listed.split("\0")):
        source, target = repo_root / name, destination / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.is_file():  # deleted in the working tree
            target.unlink()
    _git(["add", "-A"], destination)
    if _git(["status", "--porcelain"], destination):
        _git(["commit", "--quiet", "--no-verify", "-m", "Working tree under test"], destination)
    return destination


def head_revision(repo: Path) -> str:
    return _git(["rev-parse", "HEAD"], repo).strip()
