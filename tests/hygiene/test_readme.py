"""The README documents every check (what, why, how to fix) under the anchor its failure message
links to."""

from __future__ import annotations

import dataclasses
import re

from mlops_hygiene.checks import ALL_CHECKS
from mlops_hygiene.config import Config
from mlops_hygiene.explain import check_section


def hygiene_section(repo_root) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    return text.split("## The hygiene checks", 1)[1].split("\n## ", 1)[0]


def test_every_check_has_its_own_section_and_nothing_else(repo_root):
    headings = re.findall(r"^### (MH\d{3})$", hygiene_section(repo_root), flags=re.MULTILINE)
    assert headings == list(ALL_CHECKS)


def test_each_section_says_what_why_and_how_to_fix(repo_root):
    sections = re.split(r"^### ", hygiene_section(repo_root), flags=re.MULTILINE)[1:]
    for section in sections:
        for part in ("**What:**", "**Why:**", "**Fix:**"):
            assert part in section, f"{section.split()[0]} lacks {part}"


def test_explain_prints_each_section_from_the_installed_metadata(repo_root):
    # The package's long description is this README, so `mlops-hygiene explain` works offline.
    sections = re.split(r"^(?=### MH)", hygiene_section(repo_root), flags=re.MULTILINE)[1:]
    for check_id, section in zip(ALL_CHECKS, sections, strict=True):
        assert check_section(check_id) == section.strip()
    assert check_section("MH999") == ""


def test_failure_links_follow_the_documentation_url(monkeypatch):
    from mlops_hygiene.checks import _base

    assert _base.docs_url("MH001") == ""  # no Documentation URL in this checkout's metadata
    monkeypatch.setattr(_base, "DOCS_URL", "https://git.example.invalid/mlops/README.md")
    # GitHub and GitLab turn the heading `### MH001` into the anchor `#mh001`.
    assert _base.docs_url("MH001") == "https://git.example.invalid/mlops/README.md#mh001"


def test_every_setting_is_documented(repo_root):
    section = hygiene_section(repo_root)
    for field in dataclasses.fields(Config):
        assert f"\n{field.name.replace('_', '-')} = " in section
