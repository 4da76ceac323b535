"""Layout: the files and folders every project has, so people and tools know where to look."""

from __future__ import annotations

from ..project import Project
from ._base import docs_url, listing

FAMILY = "mlops-layout"
README_NAMES = ("README.md", "README.rst", "README.txt", "README")


class MH001:
    "The project is a git repository"

    family = FAMILY
    url = docs_url("MH001")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """Not a git repository: run `git init` (the checks of tracked files need git)."""
        return hygiene_project.is_git_repo


class MH002:
    "A README at the project root"

    family = FAMILY
    url = docs_url("MH002")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """No README: add `README.md` at the root saying what the project does and how to run it."""
        return any(hygiene_project.path(name).is_file() for name in README_NAMES)


class MH003:
    "A `.python-version` file names the Python version"

    family = FAMILY
    url = docs_url("MH003")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """`.python-version` is missing or empty: write the Python version in it, e.g. `3.11`."""
        return hygiene_project.python_version is not None


class MH004:
    "The dependencies are declared (requirements file, `pyproject.toml` or a lock file)"

    family = FAMILY
    url = docs_url("MH004")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """No dependency declaration: list the runtime dependencies in `pyproject.toml`
        (`[project] dependencies`, bounded) or in `requirements.txt` (pinned, `pandas==2.2.3`)."""
        from .requirements import declares_dependencies

        return declares_dependencies(hygiene_project)


class MH005:
    "A `tests/` folder"

    family = FAMILY
    url = docs_url("MH005")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """No `tests/` folder: add one with a first test (`mlops-hygiene fix` creates it)."""
        return hygiene_project.path("tests").is_dir()

    @staticmethod
    def fix(hygiene_project: Project) -> list[str]:
        return _create_folders(hygiene_project, ["tests"])


class MH006:
    "The standard folders exist (`data/`, `models/`, `notebooks/` by default)"

    family = FAMILY
    url = docs_url("MH006")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        missing = _missing_folders(hygiene_project)
        if not missing:
            return True
        return (
            f"Missing folder(s) {listing(missing)}: create them, each with a `.gitkeep` so git "
            "keeps them (`mlops-hygiene fix` does this)."
        )

    @staticmethod
    def fix(hygiene_project: Project) -> list[str]:
        return _create_folders(hygiene_project, _missing_folders(hygiene_project))


class MH007:
    "`pyproject.toml`, when present, parses and its `tool.mlops-hygiene` table is valid"

    family = FAMILY
    url = docs_url("MH007")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        from ..engine import unknown_selectors  # the engine imports the checks: import it late

        error = hygiene_project.config_error
        if error:
            return f"{error} (fix the file; the checks used their default settings)."
        config = hygiene_project.config
        unknown = unknown_selectors([*config.select, *config.ignore])
        if unknown:
            return (
                f"`[tool.mlops-hygiene]` select/ignore name unknown check(s) {listing(unknown)}: "
                "use ids (`MH030`), id prefixes (`MH03`) or families (`notebooks`)."
            )
        return True


def _missing_folders(project: Project) -> list[str]:
    return [name for name in project.config.required_folders if not project.path(name).is_dir()]


def _create_folders(project: Project, names: list[str]) -> list[str]:
    created = []
    for name in names:
        if project.path(name).exists():
            continue  # a file in the way is for a person to sort out
        project.path(name).mkdir(parents=True)
        (project.path(name) / ".gitkeep").touch()
        created.append(f"{name}/.gitkeep")
    return created


CHECKS = [MH001, MH002, MH003, MH004, MH005, MH006, MH007]
