"""The check reference is made from the check classes: the README holds the current one, and
`mlops-hygiene explain` prints the same sections."""

from __future__ import annotations

import re
import subprocess
import sys

from mlops_hygiene.checks import ALL_CHECKS
from mlops_hygiene.config import Config
from mlops_hygiene.docs import check_section, reference

from .run_cli import mlops_hygiene


def hygiene_section(repo_root) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    return text.split("## The hygiene checks", 1)[1].split("\n## ", 1)[0]


def test_the_readme_holds_the_reference_made_from_the_classes(repo_root):
    assert reference() in hygiene_section(repo_root), (
        "README.md is out of date: run python tools/hygiene_readme.py"
    )
    completed = subprocess.run(
        [sys.executable, str(repo_root / "tools" / "hygiene_readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout


def test_every_check_has_its_own_section_in_report_order(repo_root):
    headings = re.findall(r"^### (MH\d{3})$", hygiene_section(repo_root), flags=re.MULTILINE)
    assert headings == list(ALL_CHECKS)


def test_each_check_says_what_why_and_how_to_fix():
    for check_id, check in ALL_CHECKS.items():
        assert check.id() == check_id
        for text in (check.description(), check.what, check.why, check.fix):
            assert text.strip(), check_id
        # repo-review formats descriptions and the messages of False results with str.format
        assert "{" not in check.description() + (check.check.__doc__ or ""), check_id


def test_explain_prints_the_section_of_the_class():
    completed = mlops_hygiene("explain", "mh020")
    assert completed.returncode == 0
    assert completed.stdout.strip() == check_section("MH020")
    assert completed.stdout.startswith("### MH020")
    assert "**Fix:**" in completed.stdout


def test_failure_links_follow_the_documentation_url(monkeypatch):
    from mlops_hygiene.checks import _base

    assert _base.docs_url("MH001") == ""  # no Documentation URL in this checkout's metadata
    monkeypatch.setattr(_base, "documentation_url", lambda: "https://git.example.invalid/README.md")
    # GitHub and GitLab turn the heading `### MH001` into the anchor `#mh001`.
    assert _base.docs_url("MH001") == "https://git.example.invalid/README.md#mh001"
    assert ALL_CHECKS["MH001"]().url == "https://git.example.invalid/README.md#mh001"


def test_every_setting_is_documented(repo_root):
    section = hygiene_section(repo_root)
    for field in Config._fields:
        assert f"\n{field.replace('_', '-')} = " in section
