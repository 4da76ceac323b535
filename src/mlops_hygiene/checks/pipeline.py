"""DVC pipeline: `dvc.yaml` is complete and honest (deps exist, params exist)."""

from __future__ import annotations

import posixpath
import shlex

from ..project import Project
from . import _dvc_files as dvc
from . import _imports as imports
from ._base import Check, listing

FAMILY = "mlops-dvc"
SCRIPT_SUFFIXES = (".py", ".sh", ".R", ".r", ".jl", ".ipynb")


class MH050(Check):
    "`dvc.yaml` parses and every stage has `cmd`, `deps` and `outs`"

    family = FAMILY
    triggers = ("dvc.yaml",)
    what = (
        "`dvc.yaml` parses, and every stage has `cmd`, `deps` and outputs (`outs`, or stage "
        "`metrics`/`plots`); skipped without `dvc.yaml` (`stages: {}` passes; "
        "`foreach`/`matrix` stages are not inspected)."
    )
    why = (
        "DVC reruns a stage only when a declared dependency changed and caches only declared "
        "outputs; a stage without them is rerun or skipped at random."
    )
    fix = "declare them."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        data, error = hygiene_project.load_yaml("dvc.yaml")
        if error:
            return f"{error}. Fix the YAML syntax."
        if data is None:
            # No file: nothing to check. An empty file: no stages yet.
            return True if hygiene_project.path("dvc.yaml").is_file() else None
        stages = data.get("stages", {}) if isinstance(data, dict) else None
        if not isinstance(stages, dict):
            return (
                "`dvc.yaml` must be a mapping with a `stages:` mapping: declare the stages there."
            )
        problems = []
        for name, stage in stages.items():
            if not isinstance(stage, dict):
                problems.append(f"{name}: not a mapping")
                continue
            if "foreach" in stage or "matrix" in stage:
                continue
            missing = [key for key in ("cmd", "deps") if not stage.get(key)]
            if not (stage.get("outs") or stage.get("metrics") or stage.get("plots")):
                missing.append("outs")
            if missing:
                problems.append(f"{name}: no {'/'.join(missing)}")
        if not problems:
            return True
        return (
            f"Incomplete stage(s) in `dvc.yaml`: {listing(problems)}. Every stage needs `cmd`, "
            "`deps` (including its own script) and `outs`, so DVC knows when to rerun it."
        )


def _scripts(project: Project, stage: dict) -> list[tuple[str, str | None]]:
    """(file, its module name or None) of what the stage's command runs: script paths and
    `python -m module` modules."""
    scripts = []
    for command in dvc.commands(stage):
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        for index, word in enumerate(words):
            if word.endswith(SCRIPT_SUFFIXES) and project.is_file(dvc.in_wdir(stage, word)):
                scripts.append((dvc.in_wdir(stage, word), None))
            if word == "-m" and index + 1 < len(words):
                module = words[index + 1]
                for root in (".", "src"):
                    found = imports.module_file(project, dvc.in_wdir(stage, root), module)
                    if found:
                        scripts.append((found, module))
                        break
    return scripts


def _search_roots(stage: dict, script: str, module: str | None) -> list[str]:
    """Where Python finds the script's imports: the script's folder (for `python x.py`) or the
    working directory (for `python -m`), then `src/` (an installed src layout)."""
    first = dvc.in_wdir(stage, ".") if module else posixpath.dirname(script) or "."
    return list(dict.fromkeys([first, dvc.in_wdir(stage, "."), dvc.in_wdir(stage, "src")]))


class MH051(Check):
    "Every stage's `deps` exist and include its script and the project modules the script imports"

    family = FAMILY
    triggers = ("dvc.yaml", "*.dvc", *(f"*{suffix}" for suffix in SCRIPT_SUFFIXES))
    requires = frozenset({"MH050"})
    what = (
        "every stage dependency exists (in the working tree, as a `.dvc`-tracked file or as "
        "another stage's output), the script the stage's `cmd` runs (`python src/x.py`, `python "
        "-m pkg.x`, `.sh`, `.R`, ...) is among its `deps`, and so is every project module that "
        "script imports, directly or through other project modules (found statically: "
        "`import`/`from ... import`, relative imports, resolved from the script's folder or the "
        "working directory and `src/`; a package's `__init__.py` only when it holds code). A "
        "folder dep covers what is inside it."
    )
    why = (
        "DVC reruns a stage only when a declared dependency changed: editing an undeclared "
        "module leaves stale results that look current."
    )
    fix = (
        "add the script and its modules (or their folder) to `deps`; remove deps that no longer "
        "exist."
    )

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        stages = dvc.stages(hygiene_project)
        if not stages:
            return None
        produced = [out for stage in stages.values() for out in dvc.outputs(stage)]
        problems = []
        for name, stage in stages.items():
            deps = [dvc.in_wdir(stage, dep) for dep in dvc.paths(stage.get("deps"))]
            for dep in deps:
                if not (
                    hygiene_project.exists(dep)
                    or hygiene_project.exists(dep + ".dvc")
                    or any(dvc.covers(out, dep) for out in produced)
                ):
                    problems.append(f"{name}: dep {dep} does not exist")
            for script, module in _scripts(hygiene_project, stage):
                if not any(dvc.covers(dep, script) for dep in deps):
                    problems.append(f"{name}: runs {script} but does not list it in deps")
                if not script.endswith(".py"):
                    continue
                roots = _search_roots(stage, script, module)
                for imported in imports.project_imports(hygiene_project, script, roots):
                    if not any(dvc.covers(dep, imported) for dep in deps):
                        problems.append(f"{name}: imports {imported} but does not list it in deps")
        if not problems:
            return True
        return (
            f"Stage dependencies wrong: {listing(problems)}. List every file a stage reads, its "
            "own script and the project modules it imports included, and only files that exist "
            "(or that another stage or a `.dvc` file produces)."
        )


class MH052(Check):
    "Every parameter a stage names exists in its params file (`params.yaml`)"

    family = FAMILY
    triggers = ("dvc.yaml", *dvc.PARAMS_FILES)
    requires = frozenset({"MH050"})
    what = (
        "every parameter a stage names under `params:` exists in its params file (`params.yaml` "
        "unless another file is named)."
    )
    why = (
        "DVC fails at run time on a missing parameter, and a renamed one silently stops "
        "triggering reruns."
    )
    fix = "add the key (one section per stage) or drop it from the stage."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        pairs = [
            (name, pair)
            for name, stage in dvc.stages(hygiene_project).items()
            for pair in dvc.stage_params(stage)
        ]
        if not pairs:
            return None
        unparseable, problems = {}, []
        for stage_name, (file, key) in pairs:
            data, error = dvc.param_file(hygiene_project, file)
            if error:
                unparseable[file] = error
            elif not hygiene_project.is_file(file):
                problems.append(f"{stage_name}: {file} does not exist")
            elif key is not None and not dvc.lookup(data, key)[0]:
                problems.append(f"{stage_name}: {key} is not in {file}")
        messages = [
            f"The params file {error} (it does not parse, so no parameter can be read: fix its "
            "syntax)"
            for error in unparseable.values()
        ]
        if problems:
            messages.append(
                f"Missing parameter(s): {listing(sorted(set(problems)))}. Add them to the params "
                "file (one section per stage) or drop them from the stage's `params:`"
            )
        return ". ".join(messages) + "." if messages else True


CHECKS = [MH050, MH051, MH052]
