"""Notebooks: stored without outputs (small diffs, no leaked data) and named so their order is
clear."""

from __future__ import annotations

import re

from ..notebook_io import NotebookError, has_outputs, parse_notebook, stripped_text
from ..project import Project
from ._base import docs_url, listing

FAMILY = "mlops-notebooks"


def notebook_files(project: Project) -> list[str]:
    return [
        path
        for path in project.tracked_files
        if path.endswith(".ipynb") and ".ipynb_checkpoints" not in path
    ]


def _filtered_by_nbstripout(project: Project, paths: list[str]) -> set[str]:
    """Notebooks git cleans with an installed nbstripout filter: git stores what the filter
    produces."""
    if not paths or not project.git("config", "--get", "filter.nbstripout.clean").stdout.strip():
        return set()
    result = project.git("check-attr", "filter", "--stdin", stdin="\n".join(paths) + "\n")
    return {
        line.split(": filter: ")[0]
        for line in result.stdout.splitlines()
        if line.endswith(": filter: nbstripout")
    }


def _stored_text(project: Project, path: str, filtered: set[str]) -> str | None:
    """What git stores for the notebook: the staged blob when the filter cleans it, else the working
    file."""
    if path in filtered:
        return project.git("show", f":{path}").stdout
    return project.read_text(path)


def _judge(project: Project) -> tuple[list[str], list[str]]:
    """(notebooks with outputs, 'path: why it cannot be read')."""
    paths = notebook_files(project)
    filtered = _filtered_by_nbstripout(project, paths)
    with_outputs, unreadable = [], []
    for path in paths:
        if not project.path(path).is_file():
            continue
        text = _stored_text(project, path, filtered)
        if text is None:
            unreadable.append(f"{path}: cannot be read as UTF-8 text")
            continue
        try:
            if has_outputs(parse_notebook(text)):
                with_outputs.append(path)
        except NotebookError as error:
            unreadable.append(f"{path}: {error}")
    return with_outputs, unreadable


class MH030:
    "Notebooks are stored without outputs and execution counts"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH030")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        with_outputs, unreadable = _judge(hygiene_project)
        messages = [f"cannot parse {item}" for item in unreadable]
        if with_outputs:
            messages.append(
                f"notebook(s) {listing(with_outputs)} keep outputs or execution counts: strip them "
                "(`mlops-hygiene fix` or `nbstripout`) and install the nbstripout filter "
                "(`nbstripout --install`)"
            )
        return "; ".join(messages) + "." if messages else True

    @staticmethod
    def fix(hygiene_project: Project) -> list[str]:
        changed = []
        for path in _judge(hygiene_project)[0]:
            text = hygiene_project.read_text(path)
            new_text = stripped_text(text)
            if new_text != text:
                hygiene_project.path(path).write_text(new_text, encoding="utf-8")
                changed.append(path)
        return changed


class MH031:
    "Notebook names follow the convention `<order>-<initials>-<description>.ipynb`"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH031")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        pattern = re.compile(hygiene_project.config.notebook_name_pattern)
        wrong = [
            path
            for path in notebook_files(hygiene_project)
            if not pattern.search(path.rsplit("/", 1)[-1])
        ]
        if not wrong:
            return True
        return (
            f"Notebook name(s) {listing(wrong)} do not match `{pattern.pattern}`: rename them like "
            "`01-jd-explore-data.ipynb` (order number, author initials, short description)."
        )


CHECKS = [MH030, MH031]
