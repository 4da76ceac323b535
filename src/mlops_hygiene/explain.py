"""`mlops-hygiene explain ID`: the README section of a check, from the installed package's metadata.

The README is the package's long description, so the documentation travels with the package
(air-gapped teams included) and never disagrees with the installed version.
"""

from __future__ import annotations

import re
from importlib import metadata


def readme() -> str:
    try:
        return metadata.metadata("mlops-hygiene").get_payload() or ""
    except metadata.PackageNotFoundError:
        return ""


def check_section(check_id: str, text: str | None = None) -> str:
    """The `### MHxxx` section of the README, heading included; "" when there is none."""
    text = readme() if text is None else text
    match = re.search(
        rf"^### {re.escape(check_id.upper())}\s*$.*?(?=^##|\Z)", text, re.MULTILINE | re.DOTALL
    )
    return match.group(0).strip() if match else ""
