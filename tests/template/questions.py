"""The template's questions as cookiecutter.json declares them (copier.yml is generated from it)."""

import json
from pathlib import Path

QUESTIONS = json.loads((Path(__file__).resolve().parents[2] / "cookiecutter.json").read_text())


def choices(field: str) -> list:
    """The allowed answers of a question with a list of choices (the first is the default)."""
    return list(QUESTIONS[field])


# The questions answered by picking from a list.
CHOICE_FIELDS = [
    name
    for name, value in QUESTIONS.items()
    if isinstance(value, list) and not name.startswith("_")
]
