"""What every check is: one class, the single place that defines it.

A check is a repo-review check (https://repo-review.readthedocs.io): its class name is its id, the
class docstring its one-line description, `family` and `requires` (ids that must pass first) say
where it belongs, and `check(hygiene_project)` returns True (pass), None (nothing to check), False
(fail: the method's docstring is the message) or a failure message. Its documentation lives on the
class too: `what` it checks, `why` it matters, how to `fix` a failure; the README's check
reference and `mlops-hygiene explain` are made from these. A check with a safe repair defines
`autofix(hygiene_project)`, returning the paths it changed.

`triggers` says which files a check is about, for the pre-commit hook (`--files`): glob patterns
(`*` matches across folders; a pattern without `/` is matched against the file name too). With
`--files`, a check runs when one of the files matches a trigger (`concerns`); a check without
triggers (None) costs next to nothing and always runs, like the checks of single files, which
judge only the given files.

Docstrings and messages are markdown; repo-review formats docstrings with `str.format`, so they
hold no braces.
"""

from __future__ import annotations

import fnmatch
import functools


@functools.cache
def documentation_url() -> str:
    """The `Documentation` project URL of the installed package: the README where it is hosted.

    Set `[project.urls] Documentation` in pyproject.toml to the hosted README when publishing the
    package; without it the failures point at `mlops-hygiene explain ID` (offline).
    """
    from importlib import metadata  # slow to import: only when a failure is shown

    try:
        urls = metadata.metadata("mlops-hygiene").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation":
            return url.strip()
    return ""


def docs_url(check_id: str) -> str:
    """The README anchor of a check (`### MH001` becomes `#mh001`); "" when no URL is set."""
    base = documentation_url()
    return f"{base}#{check_id.lower()}" if base else ""


class Check:
    family: str = ""
    requires: frozenset[str] = frozenset()
    what: str = ""
    why: str = ""
    fix: str = ""
    autofix = None  # or a staticmethod(hygiene_project) -> list of changed paths
    triggers: tuple[str, ...] | None = None

    @classmethod
    def concerns(cls, hygiene_project) -> bool:
        """Whether the check has something to say about the given files (`--files`)."""
        if cls.triggers is None or hygiene_project.only_files is None:
            return True
        return any(matches(path, cls.triggers) for path in hygiene_project.only_files)

    @classmethod
    def id(cls) -> str:
        return cls.__name__

    @classmethod
    def description(cls) -> str:
        return (cls.__doc__ or "").strip()

    @property
    def url(self) -> str:
        return docs_url(type(self).__name__)


def matches(path: str, patterns: tuple[str, ...]) -> bool:
    """The path matches one of the glob patterns (see `Check.triggers`)."""
    name = path.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatchcase(path, pattern)
        or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern))
        for pattern in patterns
    )


def listing(items: list[str], limit: int = 5) -> str:
    """`a`, `b`, `c` and 4 more: short enough for a one-line failure message."""
    shown = ", ".join(f"`{item}`" for item in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown
