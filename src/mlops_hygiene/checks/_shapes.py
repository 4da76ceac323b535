"""Config files are written by hand: a list may be a single string, a table may be a scalar. These
helpers read what is there without raising on the wrong shape."""

from __future__ import annotations


def as_list(value: object) -> list:
    """None -> [], a list -> itself, anything else -> [value]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def as_dict(value: object) -> dict:
    """A dict -> itself, anything else -> {}."""
    return value if isinstance(value, dict) else {}
