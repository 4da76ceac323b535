"""DVC pipeline: `dvc.yaml` is complete and honest (deps exist, params exist) and `dvc.lock` matches
it."""

from __future__ import annotations

import hashlib
import json
import posixpath
import shlex

from ..project import Project
from ._base import docs_url, listing
from ._shapes import as_dict, as_list

FAMILY = "mlops-dvc"
SCRIPT_SUFFIXES = (".py", ".sh", ".R", ".r", ".jl", ".ipynb")


def _stages(project: Project) -> dict[str, dict]:
    """The plain stages of a dvc.yaml that MH050 accepted (templated foreach/matrix stages left
    out)."""
    data, _ = project.load_yaml("dvc.yaml")
    stages = data.get("stages", {}) if isinstance(data, dict) else {}
    return {
        name: stage
        for name, stage in stages.items()
        if isinstance(stage, dict) and "foreach" not in stage and "matrix" not in stage
    }


def _paths(entries: object) -> list[str]:
    """Paths of a deps/outs/metrics/plots list, whose items are strings or {path: options}."""
    paths = []
    for entry in as_list(entries):
        if isinstance(entry, str):
            paths.append(entry)
        elif isinstance(entry, dict):
            paths.extend(str(key) for key in entry)
    return paths


def _in_wdir(stage: dict, path: str) -> str:
    return posixpath.normpath(posixpath.join(str(stage.get("wdir", ".")), path))


def _outputs(stage: dict) -> list[str]:
    return [
        _in_wdir(stage, p) for key in ("outs", "metrics", "plots") for p in _paths(stage.get(key))
    ]


def _commands(stage: dict) -> list[str]:
    return [str(item) for item in as_list(stage.get("cmd"))]


def _covers(parent: str, path: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


class MH050:
    "`dvc.yaml` parses and every stage has `cmd`, `deps` and `outs`"

    family = FAMILY
    requires = frozenset()
    url = docs_url("MH050")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        data, error = hygiene_project.load_yaml("dvc.yaml")
        if error:
            return f"{error}. Fix the YAML syntax."
        if data is None and not hygiene_project.path("dvc.yaml").is_file():
            return None
        if data is None:
            return True  # an empty file: no stages yet
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
            "`deps` "
            "(including its own script) and `outs`, so DVC knows when to rerun it."
        )


def _scripts(project: Project, stage: dict) -> list[str]:
    """Files the stage's command runs: existing script paths and `python -m module` modules."""
    scripts = []
    for command in _commands(stage):
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        for index, word in enumerate(words):
            if word.endswith(SCRIPT_SUFFIXES) and project.path(_in_wdir(stage, word)).is_file():
                scripts.append(_in_wdir(stage, word))
            if word == "-m" and index + 1 < len(words):
                module = words[index + 1].replace(".", "/")
                for candidate in (f"{module}.py", f"src/{module}.py", f"{module}/__main__.py"):
                    if project.path(_in_wdir(stage, candidate)).is_file():
                        scripts.append(_in_wdir(stage, candidate))
                        break
    return scripts


class MH051:
    "Every stage's `deps` exist and include the script its `cmd` runs"

    family = FAMILY
    requires = frozenset({"MH050"})
    url = docs_url("MH051")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        stages = _stages(hygiene_project)
        if not stages:
            return None
        produced = [out for stage in stages.values() for out in _outputs(stage)]
        problems = []
        for name, stage in stages.items():
            deps = [_in_wdir(stage, dep) for dep in _paths(stage.get("deps"))]
            for dep in deps:
                if "${" in dep:
                    continue
                if not (
                    hygiene_project.exists(dep)
                    or hygiene_project.exists(dep + ".dvc")
                    or any(_covers(out, dep) for out in produced)
                ):
                    problems.append(f"{name}: dep {dep} does not exist")
            for script in _scripts(hygiene_project, stage):
                if not any(_covers(dep, script) for dep in deps):
                    problems.append(f"{name}: runs {script} but does not list it in deps")
        if not problems:
            return True
        return (
            f"Stage dependencies wrong: {listing(problems)}. List every file a stage reads, its "
            "own script "
            "included, and only files that exist (or that another stage or a `.dvc` file produces)."
        )


def _lookup(data: object, dotted_key: str) -> tuple[bool, object]:
    for part in dotted_key.split("."):
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def _param_file(project: Project, path: str) -> tuple[object, str | None]:
    if path.endswith(".json"):
        text = project.read_text(path)
        if text is None:
            return None, None
        try:
            return json.loads(text), None
        except json.JSONDecodeError as error:
            return None, f"{path}: cannot parse: {error}"
    return project.load_yaml(path)


def _stage_params(stage: dict) -> list[tuple[str, str | None]]:
    """(params file, key) pairs a stage names; key None means the whole file."""
    pairs = []
    for entry in as_list(stage.get("params")):
        if isinstance(entry, str):
            pairs.append((_in_wdir(stage, "params.yaml"), entry))
        elif isinstance(entry, dict):
            for file, keys in entry.items():
                file = _in_wdir(stage, str(file))
                keys = as_list(keys)
                pairs.extend([(file, str(key)) for key in keys] if keys else [(file, None)])
    return pairs


class MH052:
    "Every parameter a stage names exists in its params file (`params.yaml`)"

    family = FAMILY
    requires = frozenset({"MH050"})
    url = docs_url("MH052")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        pairs = [
            (name, pair)
            for name, stage in _stages(hygiene_project).items()
            for pair in _stage_params(stage)
        ]
        if not pairs:
            return None
        problems = []
        for stage_name, (file, key) in pairs:
            data, error = _param_file(hygiene_project, file)
            if error:
                problems.append(error)
            elif not hygiene_project.path(file).is_file():
                problems.append(f"{stage_name}: {file} does not exist")
            elif key is not None and "${" not in key and not _lookup(data, key)[0]:
                problems.append(f"{stage_name}: {key} is not in {file}")
        if not problems:
            return True
        return (
            f"Missing parameter(s): {listing(sorted(set(problems)))}. Add them to the params file "
            "(one section per stage) or drop them from the stage's `params:`."
        )


def _file_md5(project: Project, path: str) -> str | None:
    file = project.path(path)
    if not file.is_file():
        return None
    return hashlib.md5(file.read_bytes()).hexdigest()


def _lock_problems(project: Project, name: str, stage: dict, locked: dict) -> list[str]:
    problems = []
    if _commands(stage) != _commands(locked):
        problems.append(f"{name}: cmd changed")
    deps = {_in_wdir(stage, p) for p in _paths(stage.get("deps"))}
    locked_deps = {
        _in_wdir(stage, str(dep.get("path"))): dep
        for dep in as_list(locked.get("deps"))
        if isinstance(dep, dict)
    }
    if deps != set(locked_deps):
        problems.append(f"{name}: deps changed")
    outs = {_in_wdir(stage, p) for p in _paths(stage.get("outs"))}
    locked_outs = {
        _in_wdir(stage, str(out.get("path")))
        for out in as_list(locked.get("outs"))
        if isinstance(out, dict)
    }
    if outs != locked_outs:
        problems.append(f"{name}: outs changed")
    for path in sorted(deps & set(locked_deps)):
        entry = locked_deps[path]
        # DVC 3 writes `hash: md5` (plain md5 of the bytes); older locks hash differently, so only
        # these count.
        md5 = str(entry.get("md5", ""))
        if entry.get("hash") == "md5" and md5 and not md5.endswith(".dir"):
            current = _file_md5(project, path)
            if current is not None and current != md5:
                problems.append(f"{name}: {path} changed")
    for file, values in as_dict(locked.get("params")).items():
        data, error = _param_file(project, _in_wdir(stage, file))
        for key, value in as_dict(values).items():
            found, current = _lookup(data, key)
            if error is None and (not found or current != value):
                problems.append(f"{name}: param {key} changed")
    return problems


class MH053:
    "`dvc.lock` is up to date with `dvc.yaml`, its params and its dependencies"

    family = FAMILY
    requires = frozenset({"MH050"})
    url = docs_url("MH053")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        lock, error = hygiene_project.load_yaml("dvc.lock")
        if error:
            return f"{error}. Delete it and run `dvc repro` to write it again."
        if lock is None:
            return None  # the pipeline has not run yet: nothing to compare
        locked_stages = lock.get("stages", {}) if isinstance(lock, dict) else None
        if not isinstance(locked_stages, dict):
            return "`dvc.lock` has no `stages:` mapping: run `dvc repro` to write it again."
        problems = []
        for name, stage in _stages(hygiene_project).items():
            locked = locked_stages.get(name)
            if not isinstance(locked, dict):
                problems.append(f"{name}: not in dvc.lock")
            else:
                problems += _lock_problems(hygiene_project, name, stage, locked)
        if not problems:
            return True
        return (
            f"`dvc.lock` is stale: {listing(problems)}. Run `dvc repro` (or `dvc commit` if the "
            "outputs are "
            "already right) and commit `dvc.lock`."
        )


CHECKS = [MH050, MH051, MH052, MH053]
