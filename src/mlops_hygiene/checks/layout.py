"""Layout: the files and folders every project has, so people and tools know where to look."""

from __future__ import annotations

from ..project import Project
from ._base import Check, listing
from .requirements import OTHER_DECLARATIONS, declares_dependencies

FAMILY = "mlops-layout"
README_NAMES = ("README.md", "README.rst", "README.txt", "README")


class MH001(Check):
    "The project is a git repository"

    family = FAMILY
    what = "the project is a git repository."
    why = (
        '"tracked" only means something in git; the checks of committed files (MH030, MH031, '
        "MH040, MH041, MH060, MH061) need it and are skipped without it."
    )
    fix = "`git init`."

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """Not a git repository: run `git init` (the checks of tracked files need git)."""
        return hygiene_project.is_git_repo


class MH002(Check):
    "A README at the project root"

    family = FAMILY
    what = "a README (`README.md`, `.rst`, `.txt` or plain) at the root."
    why = "it is where a newcomer starts: what the project does, how to set it up and run it."
    fix = "write `README.md`."

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """No README: add `README.md` at the root saying what the project does and how to run it."""
        return any(hygiene_project.path(name).is_file() for name in README_NAMES)


class MH003(Check):
    "A `.python-version` file names the Python version"

    family = FAMILY
    what = "a `.python-version` file naming the Python version."
    why = "pyenv, uv and CI read it, so every machine runs the same interpreter."
    fix = "`echo 3.11 > .python-version`."

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """`.python-version` is missing or empty: write the Python version in it, e.g. `3.11`."""
        return hygiene_project.python_version is not None


class MH004(Check):
    "The dependencies are declared (requirements file, `pyproject.toml` or a lock file)"

    family = FAMILY
    what = (
        "the project declares its dependencies: `requirements.txt` (or any tracked "
        "`requirements*.txt`, `requirements/*.txt`), `[project] dependencies` in "
        "`pyproject.toml` (a uv project), Poetry's table, a conda `environment.yml`, a "
        "`Pipfile`, `setup.py`/`setup.cfg` or a lock file (`uv.lock`, `requirements.lock`, "
        "`poetry.lock`, ...)."
    )
    why = (
        "one agreed place for the runtime dependencies that CI, images and colleagues install from."
    )
    fix = "declare them in `pyproject.toml` (bounded) or `requirements.txt` (pinned)."
    triggers = ("pyproject.toml", "*requirements*", *OTHER_DECLARATIONS)

    @classmethod
    def concerns(cls, hygiene_project: Project) -> bool:
        """Also when no file that could declare them exists: no file of a commit can show that."""
        candidates = ("pyproject.toml", "requirements.txt", *OTHER_DECLARATIONS)
        return super().concerns(hygiene_project) or not any(
            hygiene_project.is_file(name) for name in candidates
        )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        if declares_dependencies(hygiene_project):
            return True
        return (  # a message, not a docstring: a docstring's second line keeps its indentation
            "No dependency declaration: list the runtime dependencies in `pyproject.toml` "
            "(`[project] dependencies`, bounded) or in `requirements.txt` (pinned, "
            "`pandas==2.2.3`)."
        )


class MH005(Check):
    "A `tests/` folder"

    family = FAMILY
    what = "a `tests/` folder."
    why = "tests have one home that `pytest` and CI find without configuration."
    fix = "create it with a first test (`mlops-hygiene fix` creates the folder)."

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """No `tests/` folder: add one with a first test (`mlops-hygiene fix` creates it)."""
        return hygiene_project.path("tests").is_dir()

    @staticmethod
    def autofix(hygiene_project: Project) -> list[str]:
        return _create_folders(hygiene_project, ["tests"])


class MH006(Check):
    "The standard folders exist (`data/`, `models/`, `notebooks/` by default)"

    family = FAMILY
    what = (
        "the standard folders exist: `data/`, `models/`, `notebooks/` (setting `required-folders`)."
    )
    why = (
        "pipelines, scripts and people look for data, models and notebooks in the same places "
        "in every project."
    )
    fix = "create them with a `.gitkeep` (`mlops-hygiene fix` does)."

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
    def autofix(hygiene_project: Project) -> list[str]:
        return _create_folders(hygiene_project, _missing_folders(hygiene_project))


class MH007(Check):
    "`pyproject.toml`, when present, parses and its `tool.mlops-hygiene` table is valid"

    family = FAMILY
    what = (
        "`pyproject.toml`, when present, parses, and its `[tool.mlops-hygiene]` table has only "
        "known keys with valid values (`select`/`ignore` naming existing checks)."
    )
    why = (
        "a broken file breaks every tool that reads it; a wrong setting would silently fall "
        "back to defaults."
    )
    fix = "correct the file at the line the message names."
    triggers = ("pyproject.toml",)

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        from ..engine import unknown_selectors  # the engine imports the checks: import it late

        error = hygiene_project.config_error or hygiene_project.pyproject_error
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
