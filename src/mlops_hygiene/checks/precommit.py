"""pre-commit: the hooks that keep the conventions are configured, nbstripout among them."""

from __future__ import annotations

from ..project import Project
from ._base import docs_url
from ._shapes import as_list

FAMILY = "mlops-pre-commit"
CONFIG = ".pre-commit-config.yaml"


def _hook_ids(config: object) -> set[str]:
    repos = as_list(config.get("repos")) if isinstance(config, dict) else []
    return {
        str(hook.get("id"))
        for repo in repos
        if isinstance(repo, dict)
        for hook in as_list(repo.get("hooks"))
        if isinstance(hook, dict)
    }


class MH070:
    "A `.pre-commit-config.yaml` is present and parses"

    family = FAMILY
    url = docs_url("MH070")

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


class MH071:
    "pre-commit runs nbstripout"

    family = FAMILY
    requires = frozenset({"MH070"})
    url = docs_url("MH071")

    @staticmethod
    def check(hygiene_project: Project) -> bool:
        """`.pre-commit-config.yaml` has no `nbstripout` hook: add it to strip notebooks."""
        config, _ = hygiene_project.load_yaml(CONFIG)
        return "nbstripout" in _hook_ids(config)


CHECKS = [MH070, MH071]
