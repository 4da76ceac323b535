"""DVC lock: `dvc.lock` records the pipeline as it is now (no stage changed since it last ran).

This follows what `dvc status` compares for each stage: the command, the set of dependencies and
outputs (stage-level `metrics`/`plots` are outputs too), the hashes of the dependencies and outputs
that exist here (files and directories, DVC 3 `md5`), and the parameter values. What is absent
here (outputs not pulled, data not fetched) is not judged: that is a checkout's state, not the
commit's. Frozen stages are skipped, as `dvc status` skips them.
"""

from __future__ import annotations

import json
import os
import re

from ..project import Project
from . import _dvc_files as dvc
from ._base import Check, listing
from ._shapes import as_dict, as_list
from .pipeline import FAMILY

IGNORED_IN_DIRECTORIES = {".git", ".dvc", ".hg"}
# A dependency on the whole working folder (`- .`), which covers every file.
WHOLE_FOLDER = re.compile(r"[\s\[,'\"]\./?[\s\],'\"]")


def _md5_of_file(path: str) -> str | None:
    import hashlib  # only when a hash is compared: it is slow to import

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
    import hashlib

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


class MH053(Check):
    "`dvc.lock` is up to date with `dvc.yaml`, its params and its dependencies"

    family = FAMILY
    triggers = ("dvc.yaml", "dvc.lock", *dvc.PARAMS_FILES)
    requires = frozenset({"MH050"})
    what = (
        "`dvc.lock` is what `dvc status` would find clean: every stage (templated "
        "`foreach`/`matrix` stages expanded, `${...}` filled in from `params.yaml` and `vars`) "
        "is in the lock with the same `cmd`, the same deps and the same outputs (`outs` and "
        "stage-level `metrics`/`plots`), the deps and outputs present here still have the "
        "recorded md5 (files and directories, DVC 3 `hash: md5`), and the parameters have the "
        "recorded values (whole params files too). Skipped when there is no `dvc.lock`; frozen "
        "stages are skipped as `dvc status` skips them; files absent here (not pulled) are not "
        "judged; older (DVC 2) hashes are not recomputed."
    )
    why = "a stale lock means the committed metrics and models do not come from the committed code."
    fix = "`dvc repro` (or `dvc commit` if the outputs are already right) and commit `dvc.lock`."

    @classmethod
    def concerns(cls, hygiene_project: Project) -> bool:
        """The pipeline's files, and any dependency or output of a stage: changing one makes
        the lock stale."""
        if super().concerns(hygiene_project):
            return True
        if not hygiene_project.is_file("dvc.lock"):
            return False  # nothing to compare: the check would skip
        given = hygiene_project.only_files
        text = hygiene_project.read_text("dvc.yaml") or ""
        named = any(part in text for file in given for part in file.split("/"))
        if not (named or "${" in text or WHOLE_FOLDER.search(text)):
            return False  # no stage names a given file or a folder holding it: no YAML to read
        stages = dvc.stages(hygiene_project).values()
        paths = [dvc.in_wdir(s, p) for s in stages for p in dvc.paths(s.get("deps"))]
        paths += [out for stage in stages for out in dvc.outputs(stage)]
        return any(dvc.covers(path, file) for path in paths for file in given)

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        lock, error = hygiene_project.load_yaml("dvc.lock")
        if error:
            return f"{error}. Delete it and run `dvc repro` to write it again."
        if lock is None:
            return None  # the pipeline has not run yet: nothing to compare
        if isinstance(lock, dict) and "schema" not in lock and "stages" not in lock:
            return (
                "`dvc.lock` is in the format of DVC 1 (stages at the top, no `schema:`), which "
                "DVC 2 and 3 refuse: run `dvc repro` to write it again and commit it."
            )
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
