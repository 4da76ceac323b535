"""`mlops-hygiene check|fix [PATH]`: exit code 0 when every selected check passes, 1 otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from . import __version__
from .engine import apply_fixes, run_checks, selected_checks, unknown_selectors
from .explain import check_section
from .project import Project
from .report import as_json, print_table


def _selectors(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlops-hygiene", description="Convention checks for data-science repositories."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run the checks and report")
    fix = commands.add_parser("fix", help="apply the safe fixes, then report what still fails")
    for command in (check, fix):
        command.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
        command.add_argument(
            "--select", action="append", help="only these ids/families (comma-separated)"
        )
        command.add_argument(
            "--ignore", action="append", help="skip these ids/families (comma-separated)"
        )
    check.add_argument("--format", choices=("text", "json"), default="text")
    explain = commands.add_parser("explain", help="print what a check is, why, and how to fix it")
    explain.add_argument("check_id", metavar="ID", help="a check id, e.g. MH001")
    return parser


def _error(message: str) -> int:
    print(f"mlops-hygiene: error: {message}", file=sys.stderr)
    return 1


def _explain(check_id: str) -> int:
    section = check_section(check_id)
    if not section:
        return _error(f"no documentation for {check_id!r}; ids are listed by `mlops-hygiene check`")
    print(section)
    return 0


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "explain":
        return _explain(args.check_id)
    root = Path(args.path)
    if not root.exists():
        return _error(f"{args.path}: no such file or directory")
    if not root.is_dir():
        return _error(f"{args.path}: not a directory")
    select, ignore = _selectors(args.select), _selectors(args.ignore)
    unknown = unknown_selectors(select + ignore)
    if unknown:
        return _error(f"unknown check id or family: {', '.join(unknown)}")
    project = Project.load(root)
    checks = selected_checks(project, select, ignore)
    console = Console()
    if args.command == "fix":
        changed = apply_fixes(project, checks)
        for path in changed:
            console.print(f"fixed: {path}", markup=False, highlight=False)
        project = Project.load(root)
    results = run_checks(project, checks)
    if getattr(args, "format", "text") == "json":
        print(as_json(str(root), results))
    else:
        print_table(console, str(root), results)
    return 1 if any(result.result is False for result in results) else 0


def main(argv: list[str] | None = None) -> None:
    try:
        code = run(argv)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # output piped into `head` and the like
        code = 1
    except Exception as error:  # last resort: a one-line message instead of a traceback
        code = _error(f"unexpected {type(error).__name__}: {error}")
    sys.exit(code)
