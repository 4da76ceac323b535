"""Notebooks: stored without outputs (small diffs, no leaked data) and named so their order is
clear."""

from __future__ import annotations

import re
from collections import namedtuple

from ..notebook_io import NotebookError, has_outputs, parse_notebook, stripped_text
from ..project import NOTEBOOK_FILTER, Project
from ._base import Check, listing

FAMILY = "mlops-notebooks"


def notebook_files(project: Project) -> list[str]:
    return project.memo("notebook_files", _notebook_files)


def _notebook_files(project: Project) -> list[str]:
    return [
        path
        for path in project.scan_files
        if path.endswith(".ipynb") and ".ipynb_checkpoints" not in path
    ]


def filtered_notebooks(project: Project, paths: list[str]) -> set[str]:
    """Notebooks git cleans with an installed nbstripout filter: git stores what the filter
    produces, and the working copy keeps its outputs for the author."""
    if not paths or not project.notebook_filter_installed:
        return set()
    filters = project.attribute("filter", paths)
    return {path for path, value in filters.items() if value == NOTEBOOK_FILTER}


# The notebooks as git stores them: `texts` {path: text or None}, the staged blob for those the
# filter cleans (`filtered`, a frozenset), the working file for the others.
StoredNotebooks = namedtuple("StoredNotebooks", ["texts", "filtered"])


def stored_notebooks(project: Project) -> StoredNotebooks:
    return project.memo("stored_notebooks", _read_stored_notebooks)


def _read_stored_notebooks(project: Project) -> StoredNotebooks:
    paths = [path for path in notebook_files(project) if project.is_file(path)]
    filtered = filtered_notebooks(project, paths)
    texts = project.staged_texts(sorted(filtered))
    for path in paths:
        if path not in filtered:
            texts[path] = project.read_text(path)
    return StoredNotebooks({path: texts[path] for path in paths}, frozenset(filtered))


def _judge(stored: StoredNotebooks) -> tuple[list[str], list[str]]:
    """(notebooks with outputs, 'path: why it cannot be read')."""
    with_outputs, unreadable = [], []
    for path, text in stored.texts.items():
        if text is None:
            unreadable.append(f"{path}: cannot be read as UTF-8 text")
            continue
        try:
            if has_outputs(parse_notebook(text)):
                with_outputs.append(path)
        except NotebookError as error:
            unreadable.append(f"{path}: {error}")
    return with_outputs, unreadable


def _strip_staged(project: Project, path: str, text: str) -> bool:
    """Replace the staged blob of `path` by its stripped text; the working copy is not touched."""
    new_text = stripped_text(text)
    if new_text == text:
        return False
    mode = project.git("ls-files", "-s", "--", path).stdout.split(" ", 1)[0] or "100644"
    blob = project.git("hash-object", "-w", "--no-filters", "--stdin", stdin=new_text)
    sha = blob.stdout.strip()
    if blob.returncode != 0 or not sha:
        return False
    return project.git("update-index", "--cacheinfo", f"{mode},{sha},{path}").returncode == 0


class MH030(Check):
    "Notebooks are stored without outputs and execution counts"

    family = FAMILY
    triggers = ("*.ipynb",)
    requires = frozenset({"MH001"})
    what = (
        "notebooks as git stores them (committed or staged) have no outputs and no execution "
        "counts. When the nbstripout git filter is installed for a notebook, the staged content "
        "is judged (read in one `git cat-file --batch`), since that is what git stores; the "
        "working copy keeps its outputs."
    )
    why = "outputs bloat history, make diffs unreadable and can leak data."
    fix = (
        "`mlops-hygiene fix` strips what git stores: the staged copy of a notebook the filter "
        "cleans (the working copy keeps its outputs), the working file of the others. Then "
        "declare the filter (`nbstripout --install --attributes .gitattributes`) so git strips "
        "them on every commit. A notebook that is not valid JSON is reported by name."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        with_outputs, unreadable = _judge(stored_notebooks(hygiene_project))
        messages = [f"cannot parse {item}" for item in unreadable]
        if with_outputs:
            messages.append(
                f"notebook(s) {listing(with_outputs)} keep outputs or execution counts: strip them "
                "(`mlops-hygiene fix` or `nbstripout`) and install the nbstripout filter "
                "(`nbstripout --install`)"
            )
        return "; ".join(messages) + "." if messages else True

    @staticmethod
    def autofix(hygiene_project: Project) -> list[str]:
        """Strip what git stores: the staged copy of a notebook the filter cleans (the author's
        working copy keeps its outputs), the working file of the others."""
        stored = stored_notebooks(hygiene_project)
        changed = []
        for path in _judge(stored)[0]:
            text = stored.texts[path]
            if path in stored.filtered:
                if _strip_staged(hygiene_project, path, text):
                    changed.append(f"{path} (staged copy; the working copy keeps its outputs)")
                continue
            new_text = stripped_text(text)
            if new_text != text:
                hygiene_project.path(path).write_text(new_text, encoding="utf-8")
                changed.append(path)
        return changed


class MH031(Check):
    "Notebook names follow the convention `<order>-<initials>-<description>.ipynb`"

    family = FAMILY
    triggers = ("*.ipynb",)
    requires = frozenset({"MH001"})
    what = (
        "notebook file names match `notebook-name-pattern`, by default `<two-digit "
        "order>-<initials>-<description>` such as `01-jd-explore-data.ipynb`."
    )
    why = (
        "the order shows in which sequence to read them, the initials who to ask, the "
        "description what is inside."
    )
    fix = "`git mv` the notebook to a matching name."

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
