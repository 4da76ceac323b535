"""Generating a project with the defaults: this template against cookiecutter-data-science and
scientific-python/cookie, with cookiecutter (`--no-input`) and copier (`copy --defaults`).

Each template is a plain folder (this one: `git archive HEAD`, and `--before REV` adds the same
template at another revision), so every engine reads files alone. One cookiecutter (this
repository's .venv) runs this template and scientific-python/cookie; cookiecutter-data-science
runs through its own `ccds` command (on its template in a local folder: no clone is timed); one
copier (the .venv's version, with the Jinja extensions scientific-python/cookie needs) runs both
copier templates. Wall clock of the whole command, interpreter start included, and its CPU time
(user + system of the command and every process it started), which a busy machine stretches far
less than the wall clock; alternating rounds; the table also gives each output's file count and
size.

    python -m bench.generation [--rounds 9] [--before REV]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from bench import paired, peers

ENGINE_BIN = Path(sys.executable).parent
# scientific-python/cookie's copier.yml has no defaults for these: its cookiecutter.json's defaults.
COOKIE_ANSWERS = [
    f"--data={answer}"
    for answer in (
        "project_name=package",
        "org=org",
        "full_name=My Name",
        "email=me@email.com",
        "license=BSD",
        "backend=hatch",
        "docs=sphinx",
        "vcs=true",
    )
]


def archive(revision: str, folder: Path) -> Path:
    """The template at `revision` as a plain folder."""
    folder.mkdir(parents=True)
    tar = subprocess.run(
        ["git", "-C", str(paired.REPO_ROOT), "archive", revision],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=tar, check=True)
    return folder


def files_and_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file() and ".git" not in path.parts]
    return len(files), sum(path.stat().st_size for path in files)


class Case:
    """One command that generates into a fresh folder; the folder is removed after it is timed."""

    def __init__(self, label: str, command, work: Path):
        self.label = label
        self.command = command  # a function: output folder -> argv
        self.work = work
        self.count = 0
        self.files = (0, 0)
        self.cpu: list[float] = []

    def __call__(self) -> float:
        self.count += 1
        out = self.work / f"{self.count}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = paired.run(self.command(out), cwd=self.work)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        self.files = files_and_size(out)
        shutil.rmtree(out)
        return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--before", help="also run this template at this git revision")
    args = parser.parse_args()

    ccds_template = peers.ccds_template()
    ccds = peers.ccds_command() if ccds_template else None
    cookie = peers.scientific_python_cookie()
    cookiecutter, copier = str(ENGINE_BIN / "cookiecutter"), str(peers.copier_with_extensions())
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as folder:
        work = Path(folder)
        templates = {"this template": archive("HEAD", work / "templates/head")}
        if args.before:
            templates[f"this template at {args.before}"] = archive(
                args.before, work / "templates/before"
            )
        cookiecutter_cases = {
            f"{name}, cookiecutter": Case(
                name,
                lambda out, t=template: [cookiecutter, "--no-input", "-o", str(out), str(t)],
                work,
            )
            for name, template in templates.items()
        }
        if ccds_template:
            cookiecutter_cases["cookiecutter-data-science (`ccds`)"] = Case(
                "ccds",
                lambda out: [str(ccds), "--no-input", "-o", str(out), str(ccds_template)],
                work,
            )
        cookiecutter_cases["scientific-python/cookie, cookiecutter"] = Case(
            "cookie", lambda out: [cookiecutter, "--no-input", "-o", str(out), str(cookie)], work
        )
        copier_cases = {
            f"{name}, copier": Case(
                name,
                lambda out, t=template: [
                    copier,
                    "copy",
                    "--defaults",
                    "--quiet",
                    "--trust",
                    str(t),
                    str(out / "p"),
                ],
                work,
            )
            for name, template in templates.items()
        }
        copier_cases["scientific-python/cookie, copier"] = Case(
            "cookie",
            lambda out: [
                copier,
                "copy",
                "--defaults",
                "--quiet",
                "--trust",
                *COOKIE_ANSWERS,
                str(cookie),
                str(out / "p"),
            ],
            work,
        )
        print("== cookiecutter", file=sys.stderr)
        by_cookiecutter = paired.alternate(cookiecutter_cases, args.rounds)
        print("== copier", file=sys.stderr)
        by_copier = paired.alternate(copier_cases, args.rounds)

    rows = []
    for times, cases in ((by_cookiecutter, cookiecutter_cases), (by_copier, copier_cases)):
        reference = times[next(iter(times))]
        cpu_reference = cases[next(iter(times))].cpu
        for name, values in times.items():
            count, size = cases[name].files
            cpu = cases[name].cpu
            rows.append(
                [
                    name,
                    paired.spread(values),
                    paired.ratio(values, reference),
                    paired.spread(cpu),
                    paired.ratio(cpu, cpu_reference),
                    f"{count} files, {size / 1024:.0f} KiB",
                ]
            )
    command = "python -m bench.generation" + (f" --before {args.before}" if args.before else "")
    body = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        + "\n\n"
        + paired.context_lines(
            command,
            f"{args.rounds} alternating rounds; "
            + f"cookiecutter {version('cookiecutter')}, copier {version('copier')}, "
            f"cookiecutter-data-science {peers.CCDS_VERSION} "
            + f"; scientific-python/cookie from sp-repo-review {peers.SP_REPO_REVIEW_VERSION}.",
        )
        + "\n"
        + paired.markdown_table(
            [
                "template, engine",
                "median s (min-max)",
                "ratio to this template",
                "CPU s (min-max)",
                "CPU ratio",
                "output",
            ],
            rows,
        )
        + ("" if ccds_template else f"\n{peers.ccds_missing()}\n")
    )
    print(body)
    paired.write_section("generation", "Generating a project", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
