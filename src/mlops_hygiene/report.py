"""Showing results: a table for people (rich), JSON for machines."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .engine import Result

STATUS_STYLE = {
    "pass": ("✔ pass", "green"),
    "fail": ("✘ fail", "bold red"),
    "skip": ("– skip", "dim"),
}


def summary(results: list[Result]) -> dict[str, int]:
    counts = Counter(result.status for result in results)
    return {"passed": counts["pass"], "failed": counts["fail"], "skipped": counts["skip"]}


def as_json(path: str, results: list[Result]) -> str:
    return json.dumps(
        {
            "path": path,
            "results": [
                {
                    "id": r.id,
                    "family": r.family,
                    "description": r.description,
                    "result": r.status,
                    "message": r.message,
                    "url": r.url,
                }
                for r in results
            ],
            "summary": summary(results),
        },
        indent=2,
    )


def print_table(console: Console, path: str, results: list[Result]) -> None:
    table = Table(title=f"mlops-hygiene: {path}", title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    table.add_column("Check", overflow="fold")
    for result in results:
        label, style = STATUS_STYLE[result.status]
        # Text() everywhere: messages contain [brackets] that rich would otherwise read as markup.
        check = Text(result.description)
        if result.result is False:
            check.append(f"\n{result.message}", style="red")
            details = result.url or f"details: mlops-hygiene explain {result.id}"
            check.append(f"\n{details}", style="blue")
        table.add_row(Text(result.id), Text(label, style=style), check)
    console.print(table)
    counts = summary(results)
    style = "bold red" if counts["failed"] else "bold green"
    console.print(
        Text(
            f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped",
            style=style,
        )
    )
