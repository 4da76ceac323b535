"""platform/README.md documents every environment variable the hub configuration reads."""

import re
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[2] / "platform"


def test_every_hub_variable_is_in_the_readme_table():
    config = (PLATFORM / "hub" / "jupyterhub_config.py").read_text()
    read = set(
        re.findall(
            r'\b(?:env|env_choice|env_number|env_size|env_list|env_bool|read_secret)\(\s*"([A-Z_]+)"',
            config,
        )
    )
    assert len(read) > 30
    table = {
        name
        for line in (PLATFORM / "README.md").read_text().splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z_]+)`", line.split("|")[1])
    }
    assert read - table == set(), "not documented in platform/README.md"
    assert table - read == set(), "documented but not read by jupyterhub_config.py"
