"""Refuse bad answers with one line; cookiecutter then keeps nothing (copier.yml: same checks)."""

import json
import os
import subprocess
import sys

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
TEMPLATE_ROOT = json.loads(r"""[{{ template_root | tojson }}]""")[0]
sys.path.insert(0, TEMPLATE_ROOT + "/hooks")

from answer_rules import first_error  # noqa: E402

# Runs once cookiecutter has deleted the refused project folder (right after this hook exits) and
# removes the empty parent folders that a slug with '/' made it create: it leaves those behind.
REMOVE_EMPTY_PARENTS = """
import os, sys, time
project, output = sys.argv[1:3]
for _ in range(200):
    if not os.path.exists(project):
        break
    time.sleep(0.025)
parent = os.path.dirname(project)
while parent.startswith(output + os.sep):
    try:
        os.rmdir(parent)
    except OSError:
        break
    parent = os.path.dirname(parent)
"""


def clean_up_parents_after_refusal() -> None:
    output_dir = os.path.abspath(ANSWERS["_output_dir"])
    project_dir = os.path.normpath(os.path.join(output_dir, ANSWERS["project_slug"]))
    if os.path.dirname(project_dir) != output_dir and project_dir.startswith(output_dir + os.sep):
        subprocess.Popen(
            [sys.executable, "-c", REMOVE_EMPTY_PARENTS, project_dir, output_dir],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


message = first_error(ANSWERS)
if message:
    print(f"ERROR: {message}", file=sys.stderr)
    clean_up_parents_after_refusal()
    sys.exit(1)
