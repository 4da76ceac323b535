"""Run cookiecutter and copier through their command lines, as a user does."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.template.option_matrix import derived_names

BIN = Path(sys.executable).parent
TEMPLATE_PARTS = ("cookiecutter.json", "copier.yml", "hooks", "{{cookiecutter.project_slug}}")
COPIER_ANSWERS_FILE = ".copier-answers.yml"


def copy_template(repo_root: Path, destination: Path) -> Path:
    """The template's files alone (no .git, no caches), so tests see exactly what ships."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in TEMPLATE_PARTS:
        source = repo_root / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, destination / part)
    return destination


def _cookiecutter_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _copier_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def run_cookiecutter(
    template: Path | str, output_dir: Path, answers: dict, env: dict | None = None
):
    """`cookiecutter --no-input`; the project lands in output_dir/<project_slug>."""
    args = [str(BIN / "cookiecutter"), "--no-input", str(template), "-o", str(output_dir)]
    args += [f"{key}={_cookiecutter_value(value)}" for key, value in answers.items()]
    return subprocess.run(args, capture_output=True, text=True, env=env)


def run_copier(template: Path | str, destination: Path, answers: dict, env: dict | None = None):
    """`copier copy --defaults` with every answer given as --data."""
    args = [str(BIN / "copier"), "copy", "--defaults", "--quiet"]
    for key, value in answers.items():
        args += ["--data", f"{key}={_copier_value(value)}"]
    args += [str(template), str(destination)]
    return subprocess.run(args, capture_output=True, text=True, env=env)


def generate(
    engine: str, template: Path | str, output_dir: Path, answers: dict, env: dict | None = None
) -> Path:
    """Generate with one engine and return the project folder; fail with the engine's output."""
    slug, _ = derived_names({"project_name": "My ML Project", **answers})
    if engine == "cookiecutter":
        result = run_cookiecutter(template, output_dir, answers, env)
    else:
        result = run_copier(template, output_dir / slug, answers, env)
    assert result.returncode == 0, f"{engine} failed:\n{result.stdout}\n{result.stderr}"
    return output_dir / slug


def project_files(project: Path) -> set[str]:
    """Every file in a generated project, as POSIX paths relative to it (no .git)."""
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }
