"""Each pipeline stage of this template: importing its module against running it, i.e. how much of
a stage is starting Python and importing pandas, scikit-learn and matplotlib, and how much is its
own work. `python -c pass` is the floor. With `--before REV`, the same for the template at REV.

The project (defaults, uv) is set up and reproduced first; then the commands alternate, each as
`dvc repro` runs it (`python -m <module>.<stage>` in the project's .venv), byte code cached.

    python -m bench.stage_imports [--rounds 7] [--before REV]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import paired, projects

STAGES = ("prepare", "features", "train", "evaluate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", help="also the template at this git revision")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-stage-imports-") as folder:
        work = Path(folder)
        env = projects.uv_env(work)
        builds = {"": projects.template_project(work)}
        if args.before:
            builds[f" (at {args.before})"] = projects.template_project(work, args.before)

        def python(project: Path, *arguments: str):
            command = [str(project / ".venv/bin/python"), *arguments]
            return lambda: paired.run(command, project, env)

        cases = {"`python -c pass`": python(builds[""], "-c", "pass")}
        for label, project in builds.items():
            for stage in STAGES:
                module = f"my_ml_project.{stage}"
                cases[f"{stage}{label}: import"] = python(project, "-c", f"import {module}")
                cases[f"{stage}{label}: run"] = python(project, "-m", module)
        times = paired.alternate(cases, args.rounds)

    rows = []
    for label in builds:
        for stage in STAGES:
            imported = times[f"{stage}{label}: import"]
            ran = times[f"{stage}{label}: run"]
            rows.append(
                [
                    f"{stage}{label}",
                    paired.spread(imported),
                    paired.spread(ran),
                    f"{paired.median(ran) - paired.median(imported):.2f}",
                    f"{paired.median(imported) / paired.median(ran):.0%}",
                ]
            )
    floor = paired.spread(times["`python -c pass`"])
    body = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        + "\n\n"
        + paired.context_lines(
            "python -m bench.stage_imports"
            + f" --rounds {args.rounds}"
            + (f" --before {args.before}" if args.before else ""),
            f"{args.rounds} alternating rounds; `python -c pass`: {floor} s.",
        )
        + "\n"
        + paired.markdown_table(
            [
                "stage",
                "import, median s (min-max)",
                "run, median s (min-max)",
                "its own work s",
                "import share",
            ],
            rows,
        )
    )
    print(body)
    paired.write_section("stage-imports", "Pipeline stages: imports against work", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
