"""One check's verdict, as both faces report it."""

from __future__ import annotations

from collections import namedtuple

# A named tuple, not a dataclass: importing dataclasses costs `inspect`, on every commit.
_Fields = namedtuple(
    "Result",
    [
        "id",  # str
        "family",  # str
        "description",  # str
        "result",  # bool | None: True pass, False fail, None skipped
        "message",  # str: the failure message (markdown), empty unless result is False
    ],
)


class Result(_Fields):
    __slots__ = ()

    @property
    def status(self) -> str:
        return {True: "pass", False: "fail", None: "skip"}[self.result]

    @property
    def url(self) -> str:
        """Where the check is documented; "" when the package sets no Documentation URL (looked
        up only when asked: reading the package metadata is slow)."""
        from .checks._base import docs_url

        return docs_url(self.id)
