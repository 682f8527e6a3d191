"""Ctrl-C during a run. The first stops the videos in flight and writes what they did. The same
press can arrive twice, since a terminal or `timeout` signals the whole process group: a second
SIGINT within a moment of the first is that echo and is ignored. One after that is the user
insisting, and quits without writing the stopped videos."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

ECHO_SECONDS = 1.0
FORCED = "a second Ctrl-C: the stopped videos were not written"


@contextmanager
def first_interrupt_is_graceful() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals; elsewhere Python's default stands
        return
    first: list[float] = []

    def on_sigint(_signum: int, _frame: FrameType | None) -> None:
        now = time.monotonic()
        if not first:
            first.append(now)
            raise KeyboardInterrupt
        if now - first[0] > ECHO_SECONDS:
            raise KeyboardInterrupt(FORCED)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
