"""Refuse bad answers with one line before cookiecutter keeps anything (copier.yml runs the same checks)."""

import json
import sys

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
sys.path.insert(0, ANSWERS["_repo_dir"] + "/hooks")

from answer_rules import first_error  # noqa: E402

message = first_error(ANSWERS)
if message:
    print(f"ERROR: {message}", file=sys.stderr)
    sys.exit(1)
