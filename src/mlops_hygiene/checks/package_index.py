"""Package index: pip and uv install from one index, so every install sees the same packages."""

from __future__ import annotations

import re

from ..project import Project, toml_parser
from ._base import Check, listing
from ._shapes import as_dict, as_list
from .requirements import REQUIREMENT_TRIGGERS, requirement_files, requirement_locks

FAMILY = "mlops-index"
PIP_CONFIGS = ("pip.conf", ".pip/pip.conf", "pip.ini")
INDEX_OPTION = re.compile(r"^\s*(?:--index-url|--extra-index-url|-i)(?:\s+|=)(\S+)", re.MULTILINE)


def _pip_conf_urls(text: str) -> list[str]:
    """The index URLs of a pip configuration; ValueError with the reason when it does not
    parse."""
    import configparser  # only when there is a pip configuration

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        raise ValueError(" ".join(str(error).split())) from None
    urls = []
    for section in parser.sections():
        for key in ("index-url", "extra-index-url", "index_url", "extra_index_url"):
            urls.extend(parser.get(section, key, fallback="").split())
    return urls


def _uv_urls(table: dict) -> list[str]:
    urls = [table.get("index-url"), *as_list(table.get("extra-index-url"))]
    urls += [index.get("url") for index in as_list(table.get("index")) if isinstance(index, dict)]
    pip = as_dict(table.get("pip"))
    urls += [pip.get("index-url"), *as_list(pip.get("extra-index-url"))]
    return [str(url) for url in urls if url]


def _index_urls(project: Project) -> tuple[dict[str, list[str]], list[str]]:
    """({file: [urls]}, [parse errors])."""
    found, errors = {}, []
    for name in PIP_CONFIGS:
        text = project.read_text(name)
        if text is not None:
            try:
                found[name] = _pip_conf_urls(text)
            except ValueError as error:
                errors.append(f"{name}: cannot parse: {error}")
    text = project.read_text("uv.toml")
    if text is not None:
        tomllib = toml_parser()
        try:
            found["uv.toml"] = _uv_urls(tomllib.loads(text))
        except tomllib.TOMLDecodeError as error:
            errors.append(f"uv.toml: cannot parse: {error}")
    uv_table = as_dict(project.pyproject.get("tool")).get("uv")
    if isinstance(uv_table, dict):
        found["pyproject.toml [tool.uv]"] = _uv_urls(uv_table)
    for name in requirement_files(project) + requirement_locks(project):
        urls = INDEX_OPTION.findall(project.read_text(name) or "")
        if urls:
            found[name] = urls
    return {name: urls for name, urls in found.items() if urls}, errors


class MH080(Check):
    "The package index configuration (pip.conf, uv, requirements) names one index URL"

    family = FAMILY
    triggers = (*PIP_CONFIGS, "uv.toml", *REQUIREMENT_TRIGGERS)
    requires = frozenset()
    what = (
        "the package index settings (`pip.conf`, `.pip/pip.conf`, `pip.ini`, `uv.toml`, "
        "`[tool.uv]` in `pyproject.toml`, `--index-url`/`--extra-index-url` in requirements "
        "files) name one index URL (trailing `/` aside); skipped when there are none."
    )
    why = (
        "with two indexes an install depends on which answers first, and a public index next to "
        "a private one invites dependency confusion."
    )
    fix = "point everything at one index that mirrors what you need."

    @staticmethod
    def check(hygiene_project: Project) -> bool | str | None:
        found, errors = _index_urls(hygiene_project)
        if errors:
            return "; ".join(errors) + "."
        if not found:
            return None
        distinct = sorted({url.rstrip("/") for urls in found.values() for url in urls})
        if len(distinct) == 1:
            return True
        where = [f"{name}: {' '.join(urls)}" for name, urls in found.items()]
        return (
            f"Several package index URLs ({listing(distinct)}) in {'; '.join(where)}: point pip "
            "and uv at one index (mirror everything there) so installs are reproducible and safe "
            "from dependency confusion."
        )


CHECKS = [MH080]
