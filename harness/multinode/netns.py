"""Run Python code with its sockets inside a network namespace of the tests (`ip netns add NAME`).

A thread can switch network namespace on its own (setns(2) with CLONE_NEWNET; the rest of the
process stays where it is), and a socket belongs to the namespace it was created in. So HTTP
clients driven from `NamespaceThreads` connect from inside the namespace; the same call from the
main thread would go out of the root namespace, where the node subnet is a blackhole route and
fails at once.
"""

from __future__ import annotations

import ctypes
import os
from concurrent.futures import ThreadPoolExecutor

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def enter_network_namespace(name: str) -> None:
    """Move the calling thread into /run/netns/<name>."""
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"setns into network namespace {name}: {os.strerror(errno)}")
    finally:
        os.close(fd)


class NamespaceThreads:
    """A pool of threads that all live in one network namespace: `run(fn, *args)` calls fn in one
    of them and returns its result (or raises its exception)."""

    def __init__(self, namespace: str, threads: int = 4):
        self.namespace = namespace
        self.pool = ThreadPoolExecutor(
            max_workers=threads,
            thread_name_prefix=f"netns-{namespace}",
            initializer=enter_network_namespace,
            initargs=(namespace,),
        )

    def run(self, fn, *args, **kwargs):
        return self.pool.submit(fn, *args, **kwargs).result()

    def map(self, fn, *iterables):
        return list(self.pool.map(fn, *iterables))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class InNamespace:
    """Wraps an object so that each of its method calls runs in `threads` (inside the lan)."""

    def __init__(self, target, threads: NamespaceThreads):
        self._target = target
        self._threads = threads

    def __getattr__(self, name):
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute
        return lambda *args, **kwargs: self._threads.run(attribute, *args, **kwargs)
