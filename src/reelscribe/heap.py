"""How a run keeps Python's garbage collector off the heap that lives to its end."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def heap_policy() -> Iterator[Callable[[], None]]:
    """Yields `settle`, to call once the runtime is up. By then most of the heap lives to the
    end of the run: service models, the parsed state machine, the engines. Python's full
    collections would walk it again and again, a second of a one-minute run; `settle` freezes
    it out of them, and objects are collected in larger batches throughout. Undone on exit,
    for callers in the same process."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 20, 100)
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
