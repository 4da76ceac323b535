"""What every check shares: where its documentation lives."""

# The README section that documents every check; each check links to its own anchor (`#mh001`, ...).
DOCS_URL = "https://github.com/cookiecutter-mlops/cookiecutter-mlops/blob/main/README.md"


def docs_url(check_id: str) -> str:
    return f"{DOCS_URL}#{check_id.lower()}"


def listing(items: list[str], limit: int = 5) -> str:
    """`a`, `b`, `c` and 4 more: short enough for a one-line failure message."""
    shown = ", ".join(f"`{item}`" for item in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown
