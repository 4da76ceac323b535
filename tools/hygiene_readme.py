"""Write the README's check reference from the check classes (`python tools/hygiene_readme.py`).

`--check` exits 1 when README.md is out of date instead of writing it (tests/hygiene/test_readme.py
does the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mlops_hygiene.docs import with_reference

README = Path(__file__).resolve().parent.parent / "README.md"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = with_reference(current)
    if "--check" in argv:
        if current != wanted:
            print(
                "README.md: the check reference is out of date; run python tools/hygiene_readme.py"
            )
            return 1
        return 0
    if current != wanted:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: check reference written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
