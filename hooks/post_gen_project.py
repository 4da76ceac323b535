"""Remove what the chosen options leave out (copier.yml excludes the same paths)."""

import json
import shutil
import sys
from pathlib import Path

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
TEMPLATE_ROOT = json.loads(r"""[{{ template_root | tojson }}]""")[0]
sys.path.insert(0, TEMPLATE_ROOT + "/hooks")

from answer_rules import pruned_paths  # noqa: E402

for relative_path in pruned_paths(ANSWERS):
    path = Path(relative_path)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
