"""The rules both engines apply to the answers, read from the Jinja files next to this module.

copier.yml uses the same Jinja files directly (validators import `validators.jinja`, `_exclude`
includes `pruned_paths.jinja`); cookiecutter reaches them through the `TemplateLocation` extension
below, so the messages and the pruned paths are identical whichever engine runs.
"""

import functools
import hashlib
import os
import pickle
import shlex
import subprocess
import sys
from pathlib import Path

import jinja2
from jinja2 import FileSystemLoader
from jinja2.bccache import Bucket, BytecodeCache
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


class AnswersRefused(Exception):
    """A bad answer: cookiecutter stops before it has created anything."""


# What changes how Jinja compiles a template, besides its source (part of the cache key below).
COMPILE_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "autoescape",
    "finalize",
    "optimized",
    "is_async",
)


class CompiledTemplates(BytecodeCache):
    """Templates Jinja compiled, kept between generations as Python keeps byte code: compiling the
    template's files (README, Makefile, ...) was a quarter of a generation's CPU time.

    An entry is found by the template's name and path, the environment's compile settings and
    extensions and the Jinja version, and holds the checksum of the source it was compiled from (a
    changed file is compiled again). Written atomically, never when Python writes no byte code
    (PYTHONDONTWRITEBYTECODE); an unreadable or unwritable cache only means compiling again.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        settings = [repr(getattr(environment, setting)) for setting in COMPILE_SETTINGS]
        # Jinja's version too: compiled code calls its runtime, which may change between releases.
        settings += [jinja2.__version__, type(environment).__qualname__]
        settings += sorted(environment.extensions)
        key = hashlib.sha256("\0".join([name, filename or "", *settings]).encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self.folder / bucket.key, "rb") as file:
                bucket.load_bytecode(file)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        partial = self.folder / f"{bucket.key}.{os.getpid()}.partial"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(partial, self.folder / bucket.key)
        except OSError:
            partial.unlink(missing_ok=True)


def compiled_templates() -> CompiledTemplates | None:
    """The cache in $XDG_CACHE_HOME (else ~/.cache); none where there is no home to find."""
    try:
        cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:
        return None
    return CompiledTemplates(Path(cache_home) / "cookiecutter-mlops" / "jinja")


@functools.cache
def _environment() -> SandboxedEnvironment:
    """One environment for both files: it loads (compiles) each once per run."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATE_ROOT)),
        keep_trailing_newline=True,
        bytecode_cache=compiled_templates(),
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


def refuse_bad_answers(answers: dict) -> str:
    """cookiecutter.json's last variable renders through this filter, right after the questions.

    cookiecutter renders it before it creates the project folder, so a bad answer (a slug such as
    `z/../victim` included) stops the run with nothing written and nothing deleted.
    """
    message = first_error(answers)
    if message:
        print(f"ERROR: {message}", file=sys.stderr)
        # FailedHookException: the cookiecutter CLI prints it as one line and exits with 1.
        from cookiecutter.exceptions import FailedHookException

        raise FailedHookException("The answers were refused; nothing was written.")
    return ""


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(TEMPLATE_ROOT), *args], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def _cookiecutter_clone_dir() -> Path | None:
    """Where cookiecutter clones a template given by URL (its config; default ~/.cookiecutters)."""
    try:
        from cookiecutter.config import get_user_config
    except ImportError:
        return None
    return Path(get_user_config()["cookiecutters_dir"]).expanduser().resolve()


@functools.cache
def template_source() -> dict:
    """Where generated projects get the toolkit: this template's git repository and revision.

    Given by URL, cookiecutter clones the template into its clone folder: the source is the URL it
    cloned (the clone's `origin`). Given by path, the source is that repository itself. A template
    that is not a git repository gives its folder instead (`dir`).
    """
    folder = {"git": "", "rev": "", "dir": str(TEMPLATE_ROOT)}
    if not (TEMPLATE_ROOT / ".git").exists():
        return folder  # not a repository's top (that has a .git folder, or file in a worktree)
    top_and_head = _git("rev-parse", "--show-toplevel", "HEAD").splitlines()
    if top_and_head[:1] != [str(TEMPLATE_ROOT)]:
        return folder
    url = f"file://{TEMPLATE_ROOT}"
    if TEMPLATE_ROOT.parent == _cookiecutter_clone_dir():
        url = _git("remote", "get-url", "origin").removeprefix("git+") or url
    if url.startswith("/"):
        url = f"file://{url}"
    return {"git": url, "rev": top_and_head[1], "dir": ""}


class TemplateLocation(Extension):
    """cookiecutter loads this through `_extensions` in cookiecutter.json.

    It gives the templates the toolkit's source (`template_source`), the `refuse_bad_answers` filter
    and, for the post-gen hook, the `pruned_paths` and `shell_quote` filters, and keeps what Jinja
    compiles of the template's files for the next generation (`CompiledTemplates`).
    """

    def __init__(self, environment):
        super().__init__(environment)
        environment.bytecode_cache = compiled_templates()
        environment.globals["template_source"] = template_source()
        environment.filters["refuse_bad_answers"] = refuse_bad_answers
        environment.filters["pruned_paths"] = pruned_paths
        environment.filters["shell_quote"] = shlex.quote
