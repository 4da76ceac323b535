"""The templates users would pick instead, at pinned versions, in a cache folder
(`$XDG_CACHE_HOME/cookiecutter-mlops-bench`, else ~/.cache/...) that later runs reuse.

- cookiecutter-data-science: its `ccds` command from PyPI. The package does not ship the template
  (`ccds` clones it from GitHub on every run, and its sdist leaves it out too), so the template of
  the same tag is cloned once into the cache; where GitHub cannot be reached it is left out of the
  comparison unless a copy of that tag's tree is put at `ccds_template()`'s path;
- scientific-python/cookie: the template is in the sdist of sp-repo-review, built from the same
  repository; the sdist is downloaded (its metadata needs hatchling and two plugins) and unpacked.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CCDS_VERSION = "2.3.0"
CCDS_REPOSITORY = "https://github.com/drivendataorg/cookiecutter-data-science"
SP_REPO_REVIEW_VERSION = "2026.8.14"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cookiecutter-mlops-bench"
CCDS_TEMPLATE = CACHE / f"ccds-template-v{CCDS_VERSION}"


def _venv(folder: Path, *requirements: str) -> Path:
    marker = folder / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run(
            [str(folder / "bin/pip"), "install", "--quiet", *requirements],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.write_text("\n".join(requirements) + "\n")
    return folder / "bin"


def ccds_command() -> Path:
    """The `ccds` command of cookiecutter-data-science CCDS_VERSION."""
    bin_dir = _venv(CACHE / f"ccds-{CCDS_VERSION}", f"cookiecutter-data-science=={CCDS_VERSION}")
    return bin_dir / "ccds"


def copier_with_extensions() -> Path:
    """copier at the version of this repository's .venv, plus copier-templates-extensions, which
    scientific-python/cookie's copier.yml loads; both templates are run by this one."""
    version = importlib.metadata.version("copier")
    bin_dir = _venv(
        CACHE / f"copier-{version}", f"copier=={version}", "copier-templates-extensions"
    )
    return bin_dir / "copier"


def ccds_template() -> Path | None:
    """cookiecutter-data-science's template at the tag of CCDS_VERSION; None (the reason on stderr)
    where it cannot be cloned and no copy is in the cache."""
    if not (CCDS_TEMPLATE / "ccds.json").exists():
        clone = ["git", "clone", "--quiet", "--depth", "1", "--branch", f"v{CCDS_VERSION}"]
        if subprocess.run([*clone, CCDS_REPOSITORY, str(CCDS_TEMPLATE)], check=False).returncode:
            shutil.rmtree(CCDS_TEMPLATE, ignore_errors=True)
            print(ccds_missing(), file=sys.stderr)
            return None
    return CCDS_TEMPLATE


def ccds_missing() -> str:
    return (
        f"cookiecutter-data-science left out: its template is not on PyPI and {CCDS_REPOSITORY}"
        f" could not be cloned; put its tree at tag v{CCDS_VERSION} in {CCDS_TEMPLATE} to"
        " include it."
    )


def scientific_python_cookie() -> Path:
    """The folder of scientific-python/cookie as shipped in sp-repo-review's sdist."""
    unpacked = CACHE / f"sp_repo_review-{SP_REPO_REVIEW_VERSION}"
    if (unpacked / "cookiecutter.json").exists():
        return unpacked
    bin_dir = _venv(CACHE / "sdist-tools", "hatchling", "hatch-vcs", "hatch-fancy-pypi-readme")
    downloads = CACHE / "downloads"
    env = os.environ | {"SETUPTOOLS_SCM_PRETEND_VERSION": SP_REPO_REVIEW_VERSION}
    subprocess.run(
        [
            str(bin_dir / "pip"),
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--no-build-isolation",
            "--dest",
            str(downloads),
            f"sp-repo-review=={SP_REPO_REVIEW_VERSION}",
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    with tarfile.open(downloads / f"sp_repo_review-{SP_REPO_REVIEW_VERSION}.tar.gz") as archive:
        archive.extractall(CACHE, filter="data")
    return unpacked
