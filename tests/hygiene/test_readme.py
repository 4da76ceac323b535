"""The README documents every check (what, why, how to fix) under the anchor its failure message
links to."""

from __future__ import annotations

import dataclasses
import re

from mlops_hygiene.checks import ALL_CHECKS
from mlops_hygiene.config import Config


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


def test_failure_links_point_at_the_sections(repo_root):
    for check_id, check in ALL_CHECKS.items():
        # GitHub turns the heading `### MH001` into the anchor `#mh001`.
        assert check.url.endswith(f"README.md#{check_id.lower()}")


def test_every_setting_is_documented(repo_root):
    section = hygiene_section(repo_root)
    for field in dataclasses.fields(Config):
        assert f"\n{field.name.replace('_', '-')} = " in section
