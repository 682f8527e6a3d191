"""How a run keeps Python's garbage collector off the heap that lives to its end."""

from __future__ import annotations

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
    MALLOC_ARENA_MAX. False where the C library has no mallopt."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    import ctypes  # here: the entry point imports this module for every command

    try:
        # The process's own symbols, C library included: no search (find_library runs ldconfig).
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))


@contextmanager
def collection_deferred() -> Iterator[None]:
    """No collections while a command imports its libraries: nearly everything an import makes
    lives to the end, and the collector, run every 700 allocations, walks it again and again:
    90 ms of a run's first second. Collection resumes on exit, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def libraries_kept() -> Iterator[Callable[[], None]]:
    """Yields `imported`, to call once a command's libraries are imported. Until then nothing is
    collected (`collection_deferred`); from then on what the imports made is frozen out of
    collections, and the command's own objects are collected as usual. Resuming with all of it
    in the youngest generation made the first collection walk the whole import heap, 25 ms of a
    run's first second, for a few hundred objects. Undone on exit, for callers in the same
    process."""
    enabled = gc.isenabled()
    frozen = False

    def imported() -> None:
        nonlocal frozen
        gc.freeze()
        frozen = True
        if enabled:
            gc.enable()

    with collection_deferred():  # until `imported`; as it was again on exit
        try:
            yield imported
        finally:
            if frozen:
                gc.unfreeze()


@contextmanager
def heap_policy() -> Iterator[Callable[[], None]]:
    """Yields `settle`, to call once the runtime is up. By then most of the heap lives to the
    end of the run: service models, the parsed state machine, the engines. Until then nothing
    is collected (`collection_deferred`); Python's full collections would walk that heap again
    and again, a second of a one-minute run, so `settle` freezes it out of them (as
    `libraries_kept` does the imports) and collection resumes in larger batches. Undone on
    exit, for callers in the same process (the arena cap, set before the run's threads, stays)."""
    thresholds = gc.get_threshold()
    with libraries_kept() as kept:

        def settle() -> None:
            gc.set_threshold(10_000, 20, 100)
            kept()

        try:
            limit_arenas()
            yield settle
        finally:
            gc.set_threshold(*thresholds)
