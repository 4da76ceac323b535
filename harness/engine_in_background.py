"""The session's private dockerd started, and something built into it, in a background thread: the
tests collected first (the toolkit's and the e2e ones) need neither, and leave one of the machine's
two cores idle most of the time, so the platform's image build (minutes) overlaps with them instead
of running after them.

The engine's lifetime is `running_engine` (harness/engine.py) as for a fixture: `stop()` ends it,
waiting for a start under way, and fails on leftovers the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future

from harness.engine import DockerEngine


class EngineInBackground:
    """`engine` resolves once dockerd answers, `built` once `build(engine)` returned; both carry the
    error instead when that step failed."""

    def __init__(
        self,
        lifetime: Iterator[DockerEngine],
        build: Callable[[DockerEngine], None],
    ) -> None:
        self.lifetime = lifetime
        self.build = build
        self.engine: Future[DockerEngine] = Future()
        self.built: Future[None] = Future()
        self.stopped = False
        self.thread = threading.Thread(target=self.run, name="engine-in-background", daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            engine = next(self.lifetime)
        except BaseException as error:
            self.engine.set_exception(error)
            self.built.set_exception(error)
            return
        self.engine.set_result(engine)
        try:
            self.build(engine)
        except BaseException as error:
            self.built.set_exception(error)
        else:
            self.built.set_result(None)

    def stop(self) -> None:
        """Stop dockerd (a build still running then fails at once) and wait for the thread; raises
        what the engine's teardown raises (leftovers)."""
        if self.stopped:
            return
        self.stopped = True
        if self.engine.exception() is not None:  # waits for the start; nothing runs then
            self.thread.join()
            return
        try:
            next(self.lifetime, None)  # running_engine's teardown: stop, check leftovers
        finally:
            self.thread.join(timeout=120)
