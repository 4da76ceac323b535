"""Reading `dvc.yaml` stages and params files as DVC does (paths relative to a stage's `wdir`)."""

from __future__ import annotations

import json
import posixpath

from ..project import Project
from ._shapes import as_dict, as_list


def stages(project: Project) -> dict[str, dict]:
    """The plain stages of dvc.yaml (templated `foreach`/`matrix` stages left out)."""
    data, _ = project.load_yaml("dvc.yaml")
    found = as_dict(data.get("stages")) if isinstance(data, dict) else {}
    return {
        name: stage
        for name, stage in found.items()
        if isinstance(stage, dict) and "foreach" not in stage and "matrix" not in stage
    }


def paths(entries: object) -> list[str]:
    """Paths of a deps/outs/metrics/plots list, whose items are strings or {path: options}."""
    found = []
    for entry in as_list(entries):
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict):
            found.extend(str(key) for key in entry)
    return found


def in_wdir(stage: dict, path: str) -> str:
    return posixpath.normpath(posixpath.join(str(stage.get("wdir", ".")), path))


def outputs(stage: dict) -> list[str]:
    return [
        in_wdir(stage, p) for key in ("outs", "metrics", "plots") for p in paths(stage.get(key))
    ]


def commands(stage: dict) -> list[str]:
    return [str(item) for item in as_list(stage.get("cmd"))]


def covers(parent: str, path: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def lookup(data: object, dotted_key: str) -> tuple[bool, object]:
    """(found, value) of `a.b.c` in nested mappings."""
    for part in dotted_key.split("."):
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def param_file(project: Project, path: str) -> tuple[object, str | None]:
    """(data, None), (None, "why it does not parse") or (None, None) when missing."""
    if path.endswith(".json"):
        text = project.read_text(path)
        if text is None:
            return None, None
        try:
            return json.loads(text), None
        except json.JSONDecodeError as error:
            return None, f"{path}: cannot parse: {error}"
    return project.load_yaml(path)


def stage_params(stage: dict) -> list[tuple[str, str | None]]:
    """(params file, key) pairs a stage names; key None means the whole file."""
    pairs = []
    for entry in as_list(stage.get("params")):
        if isinstance(entry, str):
            pairs.append((in_wdir(stage, "params.yaml"), entry))
        elif isinstance(entry, dict):
            for file, keys in entry.items():
                file = in_wdir(stage, str(file))
                keys = as_list(keys)
                pairs.extend([(file, str(key)) for key in keys] if keys else [(file, None)])
    return pairs
