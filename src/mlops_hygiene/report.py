"""Showing results: plain text for people (failures first, a one-line summary last), JSON for
machines."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

from .result import Result

MARK = {"fail": "✘ fail", "pass": "✔ pass", "skip": "– skip"}
COLOR = {"fail": "\033[1;31m", "pass": "\033[32m", "skip": "\033[2m"}
RESET = "\033[0m"


def summary(results: list[Result]) -> dict[str, int]:
    counts = Counter(result.status for result in results)
    return {"failed": counts["fail"], "passed": counts["pass"], "skipped": counts["skip"]}


def summary_line(results: list[Result]) -> str:
    """`3 failed, 18 passed, 3 skipped`."""
    return ", ".join(f"{count} {word}" for word, count in summary(results).items())


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
        ensure_ascii=False,
    )


def _use_color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def as_text(path: str, results: list[Result], *, quiet: bool = False, color: bool = False) -> str:
    """Failures first (each with its message and where to read more), then passes and skips, then
    the summary. Quiet: the failures only."""
    order = {"fail": 0, "pass": 1, "skip": 2}
    shown = sorted(results, key=lambda r: order[r.status])
    if quiet:
        shown = [r for r in shown if r.result is False]
    lines = [] if quiet else [f"mlops-hygiene: {path}"]
    for result in shown:
        mark = MARK[result.status]
        if color:
            mark = f"{COLOR[result.status]}{mark}{RESET}"
        lines.append(f"{mark}  {result.id}  {result.description}")
        if result.result is False:
            lines += [f"      {line}" for line in result.message.splitlines()]
            lines.append(f"      details: {result.url or f'mlops-hygiene explain {result.id}'}")
    if not quiet:
        lines.append(summary_line(results))
    return "\n".join(lines)


def print_text(path: str, results: list[Result], *, quiet: bool = False) -> None:
    text = as_text(path, results, quiet=quiet, color=_use_color(sys.stdout))
    if text:
        print(text)
