"""How a run keeps Python's garbage collector off the heap that lives to its end."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# glibc's mallopt parameter for the most malloc arenas a process keeps.
_M_ARENA_MAX = -8
# By default glibc gives threads that allocate at once arenas of their own, up to eight a core.
# A run's threads (engines, functions, the interpreter) each then keep their own freed memory:
# about 190 MB of a 10 s clip's peak. One arena a core holds the peak near what is in use.
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for the threads started from now on, unless the user set
    MALLOC_ARENA_MAX. False where the C library is not glibc."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        return False
    return bool(mallopt and mallopt(_M_ARENA_MAX, arenas))


@contextmanager
def heap_policy() -> Iterator[Callable[[], None]]:
    """Yields `settle`, to call once the runtime is up. By then most of the heap lives to the
    end of the run: service models, the parsed state machine, the engines. Python's full
    collections would walk it again and again, a second of a one-minute run; `settle` freezes
    it out of them, and objects are collected in larger batches throughout. Undone on exit,
    for callers in the same process (the arena cap, set before the run's threads, stays)."""
    limit_arenas()
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 20, 100)
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
