"""Write copier.yml from cookiecutter.json, the one list of the template's questions.

`python tools/copier_yml.py` rewrites copier.yml; `--check` exits 1 when it is out of date instead
(tests/template/test_copier_yml.py does the same). From cookiecutter.json come the questions, their
order, defaults (a `{{ cookiecutter.x }}` default becomes `{{ x }}`), choices (a list: the first is
the default) and help texts (`__prompts__`); a question whose field hooks/answer_rules.py checks
gets the validator of hooks/validators.jinja. What only copier needs (its settings and the computed
`cookiecutter` answer) is written here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = TEMPLATE_ROOT / "cookiecutter.json"
COPIER_YML = TEMPLATE_ROOT / "copier.yml"
sys.path.insert(0, str(TEMPLATE_ROOT / "hooks"))
sys.path.insert(0, str(TEMPLATE_ROOT / "tools"))
from answer_rules import CHECKED_FIELDS  # noqa: E402
from generated import write_or_check  # noqa: E402

HEADER = """\
# Generated from cookiecutter.json by tools/copier_yml.py: change the questions there and run
# `python tools/copier_yml.py` (a test fails when this file is out of date).
#
# copier reads the same tree as cookiecutter (see README.md, "The template"): every file under the
# subdirectory is a Jinja template that speaks `cookiecutter.*`, provided here by the computed
# `cookiecutter` answer. Validators and excluded paths come from hooks/validators.jinja and
# hooks/pruned_paths.jinja, which cookiecutter uses too (through hooks/answer_rules.py).
_min_copier_version: "9.4.0"
_subdirectory: "{% raw %}{{cookiecutter.project_slug}}{% endraw %}"
_templates_suffix: ""
_answers_file: .copier-answers.yml
_exclude:
  - "{% include 'hooks/pruned_paths.jinja' %}"
  - "__pycache__"
  - "*.pyc"
"""

# Where the project gets mlops-hygiene, as cookiecutter.json's `__toolkit_*` keys compute it there:
# this template's git repository at the revision copier rendered (a path becomes a file:// URL), or
# its folder when it is not a git repository.
TOOLKIT_KEYS = """\
      "__toolkit_git": "" if not _copier_conf.vcs_ref_hash
        else "file://" ~ _src_path if _src_path.startswith("/")
        else _src_path[4:] if _src_path.startswith("git+")
        else _src_path,
      "__toolkit_rev": _copier_conf.vcs_ref_hash or "",
      "__toolkit_dir": "" if _copier_conf.vcs_ref_hash else _copier_conf.src_path | string,
"""


def scalar(value: str) -> str:
    """`value` as a YAML scalar: plain where YAML reads it back unchanged, else double-quoted."""
    try:
        plain = bool(value) and yaml.safe_load(value) == value
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value)


def copier_default(value: str) -> str:
    """A cookiecutter default in copier's terms: copier's answers are top-level names."""
    return re.sub(r"\bcookiecutter\.", "", value)


def questions(context: dict) -> list[str]:
    return [key for key in context if not key.startswith("_")]


def question(name: str, default, prompt: str) -> str:
    lines = [f"{name}:"]
    if isinstance(default, bool):
        lines += ["  type: bool", f"  help: {scalar(prompt)}", f"  default: {str(default).lower()}"]
    elif isinstance(default, list):
        choices = ", ".join(scalar(choice) for choice in default)
        lines += [
            "  type: str",
            f"  help: {scalar(prompt)}",
            f"  choices: [{choices}]",
            f"  default: {scalar(default[0])}",
        ]
    else:
        lines += [
            "  type: str",
            f"  help: {scalar(prompt)}",
            f"  default: {scalar(copier_default(default))}",
        ]
    if name in CHECKED_FIELDS:
        macro = f"check_{name}"
        validator = f"{{% from 'hooks/validators.jinja' import {macro} %}}{{{{ {macro}({name}) }}}}"
        lines.append(f"  validator: {json.dumps(validator)}")
    return "\n".join(lines) + "\n"


def computed_cookiecutter_answer(context: dict) -> str:
    keys = "".join(f'      "{name}": {name},\n' for name in questions(context))
    return (
        "# Not asked: lets the shared tree say `{{ cookiecutter.x }}` under copier too.\n"
        "cookiecutter:\n"
        "  type: json\n"
        "  when: false\n"
        "  default: >-\n"
        "    {{ {\n"
        f"{keys}{TOOLKIT_KEYS}"
        "    } | tojson }}\n"
    )


def copier_yml(context: dict) -> str:
    prompts = context.get("__prompts__", {})
    unchecked = set(CHECKED_FIELDS) - set(questions(context))
    if unchecked:
        raise SystemExit(
            f"hooks/answer_rules.py checks fields cookiecutter.json lacks: {unchecked}"
        )
    parts = [HEADER]
    for name in questions(context):
        parts.append(question(name, context[name], prompts.get(name, name)))
    parts.append(computed_cookiecutter_answer(context))
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    wanted = copier_yml(json.loads(COOKIECUTTER_JSON.read_text(encoding="utf-8")))
    return write_or_check({COPIER_YML: wanted}, argv, "python tools/copier_yml.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
