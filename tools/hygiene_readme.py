"""Write the README's check reference from the check classes (`python tools/hygiene_readme.py`).

`--check` exits 1 when README.md is out of date instead of writing it (tests/hygiene/test_readme.py
does the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mlops_hygiene.docs import with_reference

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import REPO_ROOT, write_or_check

README = REPO_ROOT / "README.md"


def main(argv: list[str]) -> int:
    wanted = with_reference(README.read_text(encoding="utf-8"))
    return write_or_check({README: wanted}, argv, "python tools/hygiene_readme.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
