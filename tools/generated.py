"""What every generator of tools/ ends with: write the files it made, or, with `--check`, name the
stale ones and exit 1 (the tests run the generators that way)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def write_or_check(wanted: dict[Path, str], argv: list[str], command: str) -> int:
    """`wanted` maps each generated file to its text; `command` is how to regenerate them."""
    stale = {
        path: text
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    }
    for path, text in stale.items():
        name = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        if "--check" in argv:
            print(f"{name} is out of date: run {command}")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{name} written")
    return 1 if stale and "--check" in argv else 0
