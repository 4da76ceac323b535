"""DVC lock: `dvc.lock` records the pipeline as it is now (no stage changed since it last ran).

This follows what `dvc status` compares for each stage: the command, the set of dependencies and
outputs (stage-level `metrics`/`plots` are outputs too), the hashes of the dependencies and outputs
that exist here (files and directories, DVC 3 `md5`), and the parameter values. What is absent
here (outputs not pulled, data not fetched) is not judged: that is a checkout's state, not the
commit's. Frozen stages are skipped, as `dvc status` skips them.
"""

from __future__ import annotations

import hashlib
import json
import os

from ..project import Project
from . import _dvc_files as dvc
from ._base import docs_url, listing
from ._shapes import as_dict, as_list
from .pipeline import FAMILY

IGNORED_IN_DIRECTORIES = {".git", ".dvc", ".hg"}


def _md5_of_file(path: str) -> str | None:
    digest = hashlib.md5()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _md5_of_directory(path: str) -> str | None:
    """DVC's directory hash: the md5 of the sorted JSON list of its files' md5s, plus `.dir`."""
    entries = []
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = [name for name in subfolders if name not in IGNORED_IN_DIRECTORIES]
        for name in files:
            file = os.path.join(folder, name)
            md5 = _md5_of_file(file)
            if md5 is None:
                return None
            relpath = os.path.relpath(file, path).replace(os.sep, "/")
            entries.append({"md5": md5, "relpath": relpath})
    entries.sort(key=lambda entry: entry["relpath"])
    listing_bytes = json.dumps(entries, sort_keys=True).encode("utf-8")
    return hashlib.md5(listing_bytes).hexdigest() + ".dir"


def current_md5(project: Project, path: str) -> str | None:
    """The md5 DVC 3 would record for a path; None when it does not exist here."""
    full = os.path.join(project.root, path)
    if os.path.isdir(full):
        return _md5_of_directory(full)
    if os.path.isfile(full):
        return _md5_of_file(full)
    return None


def _locked_entries(stage: dict, locked: dict, key: str) -> dict[str, dict]:
    entries = [entry for entry in as_list(locked.get(key)) if isinstance(entry, dict)]
    return {dvc.in_wdir(stage, str(entry.get("path"))): entry for entry in entries}


def _changed_hashes(project: Project, name: str, kind: str, entries: dict[str, dict]) -> list:
    problems = []
    for path in sorted(entries):
        entry = entries[path]
        # DVC 3 writes `hash: md5` (the plain md5 of the bytes); older locks hash text files
        # after converting line endings: those are not recomputed here.
        md5 = str(entry.get("md5", ""))
        if entry.get("hash") != "md5" or not md5:
            continue
        current = current_md5(project, path)
        if current is not None and current != md5:
            problems.append(f"{name}: {kind} {path} changed")
    return problems


def _changed_params(project: Project, name: str, stage: dict, locked: dict) -> list[str]:
    recorded = {
        dvc.in_wdir(stage, str(file)): as_dict(values)
        for file, values in as_dict(locked.get("params")).items()
    }
    problems = []
    for file, key in dvc.stage_params(stage):
        data, error = dvc.param_file(project, file)
        if error or data is None:
            continue  # MH052 reports it
        values = recorded.get(file)
        if key is None:
            if values is None or as_dict(data) != values:
                problems.append(f"{name}: params of {file} changed")
        elif values is None or key not in values:
            problems.append(f"{name}: param {key} is new")
    for file, values in recorded.items():
        data, error = dvc.param_file(project, file)
        if error is not None:
            continue
        for key, value in values.items():
            found, current = dvc.lookup(data, key)
            if not found or current != value:
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
    outs = set(dvc.outputs(stage))
    locked_outs = _locked_entries(stage, locked, "outs")
    if outs != set(locked_outs):
        problems.append(f"{name}: outs changed")
    problems += _changed_hashes(
        project, name, "dep", {p: locked_deps[p] for p in deps & set(locked_deps)}
    )
    problems += _changed_hashes(
        project, name, "out", {p: locked_outs[p] for p in outs & set(locked_outs)}
    )
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
            if stage.get("frozen") is True:
                continue
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
