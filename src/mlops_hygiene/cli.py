"""`mlops-hygiene check|fix [PATH]`: exit 0 when every selected check passes, 1 when one fails, 2
for a usage error (unknown option or check id, missing path).

Start-up is kept short (it runs on every commit): the modules behind a command are imported only
when that command runs.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__

USAGE_ERROR = 2


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
        command.add_argument(
            "--quiet", "-q", action="store_true", help="print the failures only (text format)"
        )
        command.add_argument(
            "--files",
            nargs="*",
            metavar="FILE",
            help="the files of a commit (the pre-commit hook passes them): the checks of single "
            "files judge only these, the other checks run when one of them concerns them",
        )
    check.add_argument("--format", choices=("text", "json"), default="text")
    explain = commands.add_parser("explain", help="print what a check is, why, and how to fix it")
    explain.add_argument("check_id", metavar="ID", help="a check id, e.g. MH001")
    return parser


def _error(message: str, code: int = USAGE_ERROR) -> int:
    print(f"mlops-hygiene: error: {message}", file=sys.stderr)
    return code


def _explain(check_id: str) -> int:
    from .docs import check_section

    section = check_section(check_id)
    if not section:
        return _error(f"unknown check id {check_id!r}; `mlops-hygiene check` lists them")
    print(section)
    return 0


def _files(root, files: list[str] | None) -> tuple[str, ...] | None:
    """The given files relative to the project root (pre-commit passes them relative to it)."""
    from pathlib import Path

    if files is None:
        return None
    resolved = root.resolve()
    relative = []
    for name in files:
        path = Path(name)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        try:
            relative.append(path.relative_to(resolved).as_posix())
        except ValueError:
            continue  # outside the project: not ours to judge
    return tuple(relative)


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "explain":
        return _explain(args.check_id)
    from pathlib import Path  # here, not at the top: `--help` and `explain` start faster

    root = Path(args.path)
    if not root.exists():
        return _error(f"{args.path}: no such file or directory")
    if not root.is_dir():
        return _error(f"{args.path}: not a directory")

    from .engine import apply_fixes, run_checks, selected_checks, unknown_selectors
    from .project import Project

    select, ignore = _selectors(args.select), _selectors(args.ignore)
    unknown = unknown_selectors(select + ignore)
    if unknown:
        return _error(f"unknown check id or family: {', '.join(unknown)}")
    only_files = _files(root, args.files)
    project = Project.load(root, only_files)
    checks = selected_checks(project, select, ignore)
    if args.command == "fix":
        for path in apply_fixes(project, checks):
            print(f"fixed: {path}")
        project = Project.load(root, only_files)
    results = run_checks(project, checks)
    if getattr(args, "format", "text") == "json":
        from .report import as_json

        print(as_json(str(root), results))
    else:
        from .report import print_text

        print_text(str(root), results, quiet=args.quiet)
    return 1 if any(result.result is False for result in results) else 0


def main(argv: list[str] | None = None) -> None:
    try:
        code = run(argv)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # output piped into `head` and the like
        code = 1
    except Exception as error:  # last resort: a one-line message instead of a traceback
        code = _error(f"unexpected {type(error).__name__}: {error}", 1)
    sys.exit(code)
