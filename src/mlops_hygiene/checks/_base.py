"""What every check shares: where its documentation lives."""

from importlib import metadata


def _documentation_url() -> str:
    """The `Documentation` project URL of the installed package: the README where it is hosted.

    Set `[project.urls] Documentation` in pyproject.toml to the hosted README when publishing the
    package; without it the failures point at `mlops-hygiene explain ID` (the section, offline).
    """
    try:
        urls = metadata.metadata("mlops-hygiene").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation":
            return url.strip()
    return ""


DOCS_URL = _documentation_url()


def docs_url(check_id: str) -> str:
    """The README anchor of a check (`### MH001` becomes `#mh001`); "" when no URL is set."""
    return f"{DOCS_URL}#{check_id.lower()}" if DOCS_URL else ""


def listing(items: list[str], limit: int = 5) -> str:
    """`a`, `b`, `c` and 4 more: short enough for a one-line failure message."""
    shown = ", ".join(f"`{item}`" for item in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown
