"""Slow preparations (downloads, generated projects) started in background threads once the tests
are collected, whose results session fixtures take later: the tests running meanwhile leave much of
the machine idle (one core of two, the network; the Swarm tests mostly wait), so the preparations
overlap with them instead of delaying the first test that needs them.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any


class Prefetch:
    def __init__(self, threads: int = 3) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="prefetch")
        self.futures: dict[str, Future] = {}
        self.folder: Path | None = None

    def scratch(self, name: str) -> Path:
        """A new folder for one preparation; all are removed by `close()`."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="mlops-prefetch-", dir="/tmp"))
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.folder))

    def submit(
        self, name: str, function: Callable[..., Any], *args, after: Future | None = None, **kwargs
    ) -> None:
        """Run `function(*args, **kwargs)` in the background, once `after` (if given) is done,
        whether it succeeded or not."""

        def task():
            if after is not None:
                with contextlib.suppress(BaseException):
                    after.result()
            return function(*args, **kwargs)

        self.futures[name] = self.pool.submit(task)

    def started(self, name: str) -> bool:
        return name in self.futures

    def result(self, name: str, otherwise: Callable[[], Any]) -> Any:
        """What `name` gave (waiting for it; its error raised here), or `otherwise()` when it was
        not started."""
        future = self.futures.get(name)
        return future.result() if future is not None else otherwise()

    def close(self) -> None:
        """Drop what has not started, wait for what has, remove the scratch folders."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
