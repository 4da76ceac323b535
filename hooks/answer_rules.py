"""The rules both engines apply to the answers, read from the Jinja files next to this module.

copier.yml uses the same Jinja files directly (validators import `validators.jinja`, `_exclude`
includes `pruned_paths.jinja`); the cookiecutter hooks render them through these functions, so the
messages and the pruned paths are identical whichever engine runs.
"""

from pathlib import Path

from jinja2 import FileSystemLoader
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent

# The order in which answers are checked; the first failure is reported.
CHECKED_FIELDS = (
    "project_name",
    "project_slug",
    "module_name",
    "author_name",
    "description",
    "python_version",
    "package_index_url",
    "dvc_remote",
)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATE_ROOT)), keep_trailing_newline=True
    )


def first_error(answers: dict) -> str:
    """The one-line message for the first bad answer, or "" when every answer is fine."""
    validators = _environment().get_template("hooks/validators.jinja").module
    for field in CHECKED_FIELDS:
        message = str(getattr(validators, f"check_{field}")(str(answers[field]))).strip()
        if message:
            return message
    return ""


def pruned_paths(answers: dict) -> list[str]:
    """Project-relative paths that the chosen options leave out."""
    text = _environment().get_template("hooks/pruned_paths.jinja").render(cookiecutter=answers)
    return [line.strip().lstrip("/") for line in text.splitlines() if line.strip()]


class TemplateLocation(Extension):
    """Gives the cookiecutter hooks the template's absolute path as `template_root`.

    cookiecutter loads it through `_extensions` in cookiecutter.json. The hooks need the path to
    find this module; cookiecutter's own `_repo_dir` is relative when the template was given so.
    """

    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["template_root"] = str(TEMPLATE_ROOT)
