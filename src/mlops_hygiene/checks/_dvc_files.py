"""Reading `dvc.yaml` stages and params files as DVC does: `${...}` filled in from `params.yaml`
and `vars`, `foreach`/`matrix` stages expanded into `name@key` stages, paths relative to a
stage's `wdir`.

What DVC would refuse or what cannot be resolved here (an unknown variable, a `vars` file that
does not parse) leaves the stage out of `stages()` and in `unresolved()`: the checks then say
nothing about it rather than guess.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re

from ..project import Project
from ._shapes import as_dict, as_list

DEFAULT_PARAMS = "params.yaml"
# The formats of params and `vars` files: changing one of them may change a stage.
PARAMS_FILES = ("*.yaml", "*.yml", "*.json", "*.toml")
INTERPOLATION = re.compile(r"(?<!\\)\$\{\s*([^}]*?)\s*\}")
INDEX = re.compile(r"\[([^\]]*)\]")


class Unresolvable(Exception):
    """A `${...}` DVC would fill in from something not available here."""


def lookup(data: object, dotted_key: str) -> tuple[bool, object]:
    """(found, value) of `a.b.c` (or `a.b[0]`) in nested mappings and lists."""
    parts = INDEX.sub(r".\1", dotted_key).split(".")
    for part in parts:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False, None
    return True, data


def _to_str(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        raise Unresolvable("a mapping inside a string")  # DVC's `--key value` form: not copied
    return str(value)


def interpolate(value: object, context: dict) -> object:
    """`value` with every `${expr}` replaced from `context`, the way DVC does it."""
    if isinstance(value, dict):
        return {interpolate(k, context): interpolate(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(item, context) for item in value]
    if not isinstance(value, str) or "${" not in value:
        return value
    matches = list(INTERPOLATION.finditer(value))
    if len(matches) == 1 and matches[0].group(0) == value:
        found, result = lookup(context, matches[0].group(1))
        if not found:
            raise Unresolvable(matches[0].group(1))
        return result

    def replace(match: re.Match) -> str:
        found, result = lookup(context, match.group(1))
        if not found:
            raise Unresolvable(match.group(1))
        return _to_str(result)

    return INTERPOLATION.sub(replace, value).replace("\\${", "${")


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
    if path.endswith(".toml"):
        if not project.is_file(path):
            return None, None
        return project.load_toml(path)
    return project.load_yaml(path)


def _vars_context(project: Project, entries: object, base: str) -> dict:
    """The variables a `vars:` list adds: mappings, and files (`file.yaml` or `file.yaml:a,b`)."""
    context = {}
    for entry in as_list(entries):
        if isinstance(entry, dict):
            context.update(entry)
            continue
        file, _, keys = str(entry).partition(":")
        data, error = param_file(project, posixpath.normpath(posixpath.join(base, file)))
        if error or not isinstance(data, dict):
            raise Unresolvable(str(entry))
        if keys:
            data = {key: data[key] for key in keys.split(",") if key in data}
        context.update(data)
    return context


def _expansions(name: str, stage: dict, context: dict) -> list[tuple[str, dict, dict]]:
    """(name, definition, extra variables) of each stage a `foreach`/`matrix` stage generates."""
    if "foreach" in stage:
        items = interpolate(stage["foreach"], context)
        if isinstance(items, dict):
            keyed = {_to_str(key): (key, value) for key, value in items.items()}
        elif isinstance(items, list):
            composite = any(isinstance(item, (dict, list)) for item in items)
            keyed = {
                (str(index) if composite else _to_str(item)): (index, item)
                for index, item in enumerate(items)
            }
        else:
            raise Unresolvable("foreach")
        template = as_dict(stage.get("do"))
        return [
            (f"{name}@{key}", template, {"item": item, "key": raw_key})
            for key, (raw_key, item) in keyed.items()
        ]
    matrix = interpolate(stage["matrix"], context)
    if not isinstance(matrix, dict) or not all(isinstance(v, list) for v in matrix.values()):
        raise Unresolvable("matrix")
    template = {key: value for key, value in stage.items() if key != "matrix"}
    generated = []
    for combination in itertools.product(*(list(enumerate(v)) for v in matrix.values())):
        item, fragments = {}, []
        for key, (index, value) in zip(matrix, combination, strict=True):
            item[key] = value
            fragments.append(f"{key}{index}" if isinstance(value, (dict, list)) else _to_str(value))
        generated.append((f"{name}@{'-'.join(fragments)}", template, {"item": item}))
    return generated


def _resolve(project: Project) -> tuple[dict[str, dict], set[str]]:
    data, _ = project.load_yaml("dvc.yaml")
    found = as_dict(data.get("stages")) if isinstance(data, dict) else {}
    resolved, unresolved = {}, set()
    params, _ = project.load_yaml(DEFAULT_PARAMS)
    try:
        context = {**as_dict(params), **_vars_context(project, data.get("vars"), ".")}
    except Unresolvable:
        return {}, {str(name) for name in found}
    for name, stage in found.items():
        name = str(name)
        if not isinstance(stage, dict):
            continue
        try:
            if "foreach" in stage or "matrix" in stage:
                generated = _expansions(name, stage, context)
            else:
                generated = [(name, stage, {})]
            for generated_name, template, extra in generated:
                local = {**context, **extra}
                local.update(_vars_context(project, template.get("vars"), "."))
                definition = {k: v for k, v in template.items() if k != "vars"}
                resolved[generated_name] = as_dict(interpolate(definition, local))
        except (Unresolvable, TypeError, KeyError):
            unresolved.add(name)
    return resolved, unresolved


def _pipeline(project: Project) -> tuple[dict[str, dict], set[str]]:
    return project.memo("dvc_pipeline", _resolve)


def stages(project: Project) -> dict[str, dict]:
    """The stages of dvc.yaml as DVC runs them (templated ones filled in and expanded)."""
    return _pipeline(project)[0]


def unresolved(project: Project) -> set[str]:
    """Names of the dvc.yaml stages whose templates could not be filled in here."""
    return _pipeline(project)[1]


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


OUTPUT_KEYS = ("outs", "metrics", "plots")


def outputs(stage: dict) -> list[str]:
    """Every output of a stage: `outs`, and the stage-level `metrics` and `plots` (which DVC
    records in dvc.lock under `outs` too)."""
    return [in_wdir(stage, p) for key in OUTPUT_KEYS for p in paths(stage.get(key))]


def commands(stage: dict) -> list[str]:
    return [str(item) for item in as_list(stage.get("cmd"))]


def covers(parent: str, path: str) -> bool:
    return parent in (".", path) or path.startswith(parent.rstrip("/") + "/")


def stage_params(stage: dict) -> list[tuple[str, str | None]]:
    """(params file, key) pairs a stage names; key None means the whole file."""
    pairs = []
    for entry in as_list(stage.get("params")):
        if isinstance(entry, str):
            pairs.append((in_wdir(stage, DEFAULT_PARAMS), entry))
        elif isinstance(entry, dict):
            for file, keys in entry.items():
                file = in_wdir(stage, str(file))
                keys = as_list(keys)
                pairs.extend([(file, str(key)) for key in keys] if keys else [(file, None)])
    return pairs
