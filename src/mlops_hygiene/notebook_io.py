"""Reading, judging and stripping Jupyter notebooks as plain JSON (no kernel, no nbformat)."""

from __future__ import annotations

import json


class NotebookError(ValueError):
    """The text is not a notebook."""


def parse_notebook(text: str) -> dict:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON ({error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookError("not a notebook (no list of cells)")
    return notebook


def _code_cells(notebook: dict) -> list[dict]:
    return [
        cell
        for cell in notebook["cells"]
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    ]


def has_outputs(notebook: dict) -> bool:
    """True when a code cell keeps outputs or an execution count."""
    return any(
        cell.get("outputs") or cell.get("execution_count") is not None
        for cell in _code_cells(notebook)
    )


def stripped_text(text: str) -> str:
    """The notebook with outputs and execution counts removed, written the way Jupyter writes it
    (one-space indent, non-ASCII kept), keys in their original order so nothing else changes."""
    notebook = parse_notebook(text)
    for cell in _code_cells(notebook):
        cell["outputs"] = []
        cell["execution_count"] = None
    newline = "\n" if text.endswith("\n") else ""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + newline
