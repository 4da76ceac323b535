"""A pipeline with nothing to do: `dvc repro` and `dvc status` against `dvc version`, the floor (the
cost of starting DVC at all), in this template's project and in the DVC get-started-shaped one.

Both projects are set up and reproduced first (uv / pip), then the commands alternate.

    python -m bench.dvc_noop [--rounds 9]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import paired, projects


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-dvc-noop-") as folder:
        work = Path(folder)
        env = projects.uv_env(work)
        ours, theirs = projects.template_project(work), projects.get_started_project(work)

        def dvc(project: Path, *arguments: str):
            return lambda: paired.run([str(project / ".venv/bin/dvc"), *arguments], project, env)

        cases = {
            "`dvc version` (the floor)": dvc(ours, "version"),
            "this template: `dvc repro`": dvc(ours, "repro"),
            "this template: `dvc status`": dvc(ours, "status"),
            "get-started shape: `dvc repro`": dvc(theirs, "repro"),
            "get-started shape: `dvc status`": dvc(theirs, "status"),
        }
        times = paired.alternate(cases, args.rounds)
        dvc_version = paired.versions([str(ours / ".venv/bin/dvc"), "--version"])

    floor = times["`dvc version` (the floor)"]
    rows = [
        [name, paired.spread(values), paired.ratio(values, floor)] for name, values in times.items()
    ]
    body = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        + "\n\n"
        + paired.context_lines(
            f"python -m bench.dvc_noop --rounds {args.rounds}",
            f"{args.rounds} alternating rounds; dvc {dvc_version}.",
        )
        + "\n"
        + paired.markdown_table(["command", "median s (min-max)", "ratio to `dvc version`"], rows)
    )
    print(body)
    paired.write_section("dvc-noop", "A pipeline with nothing to do", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
