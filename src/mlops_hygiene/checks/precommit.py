"""pre-commit: the hooks that keep the conventions are configured, nbstripout among them."""

from __future__ import annotations

from ..project import NOTEBOOK_FILTER, Project
from ._base import Check, listing
from ._shapes import as_list

FAMILY = "mlops-pre-commit"
CONFIG = ".pre-commit-config.yaml"


def _hooks(config: object) -> list[dict]:
    repos = as_list(config.get("repos")) if isinstance(config, dict) else []
    return [
        hook
        for repo in repos
        if isinstance(repo, dict)
        for hook in as_list(repo.get("hooks"))
        if isinstance(hook, dict)
    ]


def nbstripout_hooks(config: object) -> list[str]:
    """Ids of the hooks that run nbstripout (by id, or by entry for `repo: local` hooks)."""
    return [
        str(hook.get("id"))
        for hook in _hooks(config)
        if hook.get("id") == NOTEBOOK_FILTER or NOTEBOOK_FILTER in str(hook.get("entry", ""))
    ]


def _attribute_lines(text: str) -> list[tuple[str, list[str]]]:
    lines = []
    for raw in text.splitlines():
        words = raw.split()
        if words and not words[0].startswith("#"):
            lines.append((words[0], words[1:]))
    return lines


def committed_filter_files(project: Project) -> list[str]:
    """Tracked `.gitattributes` files that send notebooks through the nbstripout filter
    (`*.ipynb filter=nbstripout`): every clone that installs the filter strips them."""
    found = []
    for path in project.tracked_paths:
        if path.rsplit("/", 1)[-1] != ".gitattributes":
            continue
        for pattern, attributes in _attribute_lines(project.read_text(path) or ""):
            if f"filter={NOTEBOOK_FILTER}" in attributes and ("ipynb" in pattern or pattern == "*"):
                found.append(path)
                break
    return found


class MH070(Check):
    "A `.pre-commit-config.yaml` is present and parses"

    family = FAMILY
    triggers = (CONFIG,)

    @classmethod
    def concerns(cls, hygiene_project: Project) -> bool:
        """Also when the file is missing: no file of a commit can show that."""
        return super().concerns(hygiene_project) or not hygiene_project.is_file(CONFIG)

    what = "a `.pre-commit-config.yaml` is present, parses and has a `repos:` list."
    why = "pre-commit runs the conventions on every commit, before CI has to."
    fix = "add one and run `pre-commit install`."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        config, error = hygiene_project.load_yaml(CONFIG)
        if error:
            return f"{error}. Fix the YAML syntax."
        if config is None:
            return (
                f"No `{CONFIG}`: add one (with nbstripout and the mlops-hygiene hooks) and run "
                "`pre-commit install`."
            )
        if not isinstance(config, dict) or not isinstance(config.get("repos"), list):
            return f"`{CONFIG}` has no `repos:` list."
        return True


def _filter_active(project: Project) -> bool:
    """The filter is installed in this clone and git sends notebooks through it."""
    if not project.notebook_filter_installed:
        return False
    notebooks = [path for path in project.tracked_paths if path.endswith(".ipynb")][:100]
    filters = project.attribute("filter", notebooks or ["notebook.ipynb"])
    return NOTEBOOK_FILTER in filters.values()


class MH071(Check):
    "Notebooks are stripped by one mechanism: the nbstripout git filter or a pre-commit hook"

    family = FAMILY
    triggers = (CONFIG, ".gitattributes", "*.ipynb")
    requires = frozenset({"MH001", "MH070"})
    what = (
        "notebooks are stripped by exactly one mechanism: the nbstripout git filter declared in "
        "a committed `.gitattributes` (`*.ipynb filter=nbstripout`), or an `nbstripout` "
        "pre-commit hook. Both at once fails: with the filter declared (or installed in this "
        "clone) a hook would rewrite the working notebooks and erase the outputs the filter "
        "keeps."
    )
    why = "notebooks are stripped before they are committed, not after a reviewer complains."
    fix = (
        "prefer the filter (`nbstripout --install --attributes .gitattributes`, committed) and "
        "remove the hook; without it, add the hook (`repo: local` with `entry: nbstripout` "
        "works offline)."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        config, _ = hygiene_project.load_yaml(CONFIG)
        hooks = nbstripout_hooks(config)
        declared = committed_filter_files(hygiene_project)
        installed = _filter_active(hygiene_project)
        if hooks and (declared or installed):
            where = f"`{declared[0]}` declares" if declared else "this clone has"
            return (
                f"{where} the nbstripout git filter and `{CONFIG}` also runs nbstripout (hook "
                f"{listing(hooks)}): the hook rewrites the working notebooks and erases their "
                "outputs, which the filter keeps. Remove the hook: the filter strips what git "
                "stores."
            )
        if hooks or declared:
            return True
        return (
            "Nothing strips notebook outputs: declare the nbstripout git filter in a committed "
            "`.gitattributes` (`*.ipynb filter=nbstripout`, installed by `nbstripout --install "
            "--attributes .gitattributes`), or add an `nbstripout` pre-commit hook."
        )


CHECKS = [MH070, MH071]
