"""What the package mirror of the template tests holds: every requirement a generated project
installs (both env managers), read from the template itself, so the mirror follows the template."""

import re
from pathlib import Path

import tomllib

TEMPLATE_TREE = "{{cookiecutter.project_slug}}"


def template_requirements(repo_root: Path) -> list[str]:
    tree = repo_root / TEMPLATE_TREE
    wanted = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (tree / name).read_text().splitlines():
            line = re.sub(r"\{\{.*?\}\}", "", line).strip()  # dvc{{ extras }}==X: plain dvc
            if line and not line.startswith(("#", "-r", "{%", "mlops-hygiene")):
                wanted.append(line)
    # mlops-hygiene is built from this checkout and uploaded; its dependencies come from here.
    wanted += tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]["dependencies"]
    makefile = (tree / "Makefile").read_text()
    # uv: installed by `make setup` when missing (uv projects), and in .venv for `make lock` (venv).
    wanted.append("uv==" + re.search(r"^UV_VERSION := (\S+)$", makefile, re.M).group(1))
    # What pip and uv build sdists with (antlr4-python3-runtime, a dependency of dvc, has no wheel):
    # setuptools' legacy backend asks for wheel.
    wanted.append("wheel")
    # The project's own build backend (uv sync and `pip install -e .` build it in isolation).
    wanted += (
        re.search(r"^requires = \[(.*)\]$", (tree / "pyproject.toml").read_text(), re.M)[1]
        .replace('"', "")
        .split(", ")
    )
    return wanted
