"""DVC lock: `dvc.lock` records the pipeline as it is now (no stage changed since it last ran)."""

from __future__ import annotations

import hashlib

from ..project import Project
from . import _dvc_files as dvc
from ._base import docs_url, listing
from ._shapes import as_dict, as_list
from .pipeline import FAMILY


def _file_md5(project: Project, path: str) -> str | None:
    file = project.path(path)
    if not file.is_file():
        return None
    return hashlib.md5(file.read_bytes()).hexdigest()


def _locked_entries(stage: dict, locked: dict, key: str) -> dict[str, dict]:
    entries = [entry for entry in as_list(locked.get(key)) if isinstance(entry, dict)]
    return {dvc.in_wdir(stage, str(entry.get("path"))): entry for entry in entries}


def _changed_dependencies(project: Project, name: str, deps: set[str], locked_deps: dict) -> list:
    problems = []
    for path in sorted(deps & set(locked_deps)):
        entry = locked_deps[path]
        # DVC 3 writes `hash: md5` (the plain md5 of the bytes); older locks hash text files
        # differently, and directories get a `.dir` hash: neither is recomputed here.
        md5 = str(entry.get("md5", ""))
        if entry.get("hash") == "md5" and md5 and not md5.endswith(".dir"):
            current = _file_md5(project, path)
            if current is not None and current != md5:
                problems.append(f"{name}: {path} changed")
    return problems


def _changed_params(project: Project, name: str, stage: dict, locked: dict) -> list[str]:
    problems = []
    for file, values in as_dict(locked.get("params")).items():
        data, error = dvc.param_file(project, dvc.in_wdir(stage, file))
        for key, value in as_dict(values).items():
            found, current = dvc.lookup(data, key)
            if error is None and (not found or current != value):
                problems.append(f"{name}: param {key} changed")
    return problems


def _lock_problems(project: Project, name: str, stage: dict, locked: dict) -> list[str]:
    problems = []
    if dvc.commands(stage) != dvc.commands(locked):
        problems.append(f"{name}: cmd changed")
    deps = {dvc.in_wdir(stage, p) for p in dvc.paths(stage.get("deps"))}
    locked_deps = _locked_entries(stage, locked, "deps")
    if deps != set(locked_deps):
        problems.append(f"{name}: deps changed")
    outs = {dvc.in_wdir(stage, p) for p in dvc.paths(stage.get("outs"))}
    if outs != set(_locked_entries(stage, locked, "outs")):
        problems.append(f"{name}: outs changed")
    problems += _changed_dependencies(project, name, deps, locked_deps)
    problems += _changed_params(project, name, stage, locked)
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
        for name, stage in dvc.stages(hygiene_project).items():
            locked = locked_stages.get(name)
            if not isinstance(locked, dict):
                problems.append(f"{name}: not in dvc.lock")
            else:
                problems += _lock_problems(hygiene_project, name, stage, locked)
        if not problems:
            return True
        return (
            f"`dvc.lock` is stale: {listing(problems)}. Run `dvc repro` (or `dvc commit` if the "
            "outputs are already right) and commit `dvc.lock`."
        )


CHECKS = [MH053]
