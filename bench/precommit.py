"""The generated project's git hooks: `pre-commit run --all-files` per hook (warm: run once before),
and the cost of committing one changed file in repositories of 500, 5,000 and 20,000 tracked files,
with every hook, with every hook but the hygiene check (`SKIP=mlops-hygiene`) and with none
(`--no-verify`, the floor).

The project is this template with the defaults (uv), set up, reproduced and committed; the larger
repositories add small tracked text files under `references/bulk/` to it.

    python -m bench.precommit [--rounds 5] [--sizes 500,5000,20000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench import paired, projects

HYGIENE_HOOK = "mlops-hygiene"


def git(project: Path, env: dict, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=project, env=env, check=True, capture_output=True)


def tracked_files(project: Path) -> int:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=project, capture_output=True, check=True
    ).stdout
    return listing.count(b"\0")


def grow_to(project: Path, env: dict, size: int) -> None:
    """Add and commit small text files until the repository tracks `size` files."""
    missing = size - tracked_files(project)
    bulk = project / "references" / "bulk"
    bulk.mkdir(parents=True, exist_ok=True)
    start = len(list(bulk.iterdir()))
    for number in range(start, start + missing):
        folder = bulk / f"{number // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"note-{number:05d}.txt").write_text(f"note {number}\n")
    git(project, env, "add", "-A")
    git(project, env, "commit", "--quiet", "--no-verify", "-m", f"grow to {size} files")


def commit_one_file(project: Path, env: dict, *options: str):
    """A case: change one tracked text file and commit it (the hooks run unless --no-verify)."""
    note = project / "references" / "README.md"

    def case() -> float:
        with note.open("a") as file:
            file.write("One more line.\n")
        git(project, env, "add", str(note))
        return paired.run(["git", "commit", "--quiet", *options, "-m", "one file"], project, env)

    return case


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="500,5000,20000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="bench-precommit-") as folder:
        work = Path(folder)
        env = projects.uv_env(work)
        project = projects.template_project(work)
        git(project, env, "add", "-A")
        git(project, env, "commit", "--quiet", "-m", "generated")  # the hooks pass: warm
        config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
        hook_ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
        pre_commit = str(project / ".venv/bin/pre-commit")

        def run_hooks(*hook_id: str):
            command = [pre_commit, "run", *hook_id, "--all-files"]
            return lambda: paired.run(command, project, env)

        hook_cases = {"all hooks": run_hooks()} | {f"`{id}`": run_hooks(id) for id in hook_ids}
        for case in hook_cases.values():
            case()
        hook_times = paired.alternate(hook_cases, args.rounds)
        files_in_project = tracked_files(project)
        pre_commit_version = paired.versions([pre_commit, "--version"])

        commit_times = {}
        for size in sizes:
            grow_to(project, env, size)
            cases = {
                "every hook": commit_one_file(project, env),
                f"without `{HYGIENE_HOOK}`": commit_one_file(project, env | {"SKIP": HYGIENE_HOOK}),
                "`--no-verify` (no hook)": commit_one_file(project, env, "--no-verify"),
            }
            print(f"== one-file commits, {size} files", file=sys.stderr)
            commit_times[size] = paired.alternate(cases, args.rounds)

    everything = hook_times["all hooks"]
    hook_rows = [
        [name, paired.spread(values), paired.ratio(values, everything)]
        for name, values in hook_times.items()
    ]
    commit_rows = []
    for size, times in commit_times.items():
        floor = times["`--no-verify` (no hook)"]
        for name, values in times.items():
            commit_rows.append(
                [f"{size:,}", name, paired.spread(values), paired.ratio(values, floor)]
            )
    body = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        + "\n\n"
        + paired.context_lines(
            f"python -m bench.precommit --rounds {args.rounds} --sizes {args.sizes}",
            f"{args.rounds} alternating rounds; "
            + pre_commit_version
            + f"; the generated project tracks {files_in_project} files for the per-hook runs.",
        )
        + "\n"
        + paired.markdown_table(
            ["`pre-commit run --all-files`", "median s (min-max)", "ratio to all hooks"], hook_rows
        )
        + "\n\n"
        + paired.markdown_table(
            ["tracked files", "`git commit` of one file", "median s (min-max)", "ratio to no hook"],
            commit_rows,
        )
    )
    print(body)
    paired.write_section("precommit", "Git hooks of a generated project", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
