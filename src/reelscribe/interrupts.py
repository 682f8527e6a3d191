"""Ctrl-C, from the command's first instant to its last.

Python raises a press as KeyboardInterrupt wherever the main thread happens to be, and that can
be inside a finalizer or a weakref callback (the import system runs one for every module lock).
There it cannot propagate: Python prints "Exception ignored" and goes on, and the press is lost.
`presses_are_never_lost` keeps such a press quiet and delivers it again, so it lands in the
command's own code.

During a run the first press stops the videos in flight and writes what they did. The same press
can arrive twice, since a terminal or `timeout` signals the whole process group: a second SIGINT
within a moment of the first is that echo and is ignored. One after that is the user insisting,
and quits without writing the stopped videos."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

ECHO_SECONDS = 1.0
FORCED = "a second Ctrl-C: the stopped videos were not written"

# Presses raised where Python could only print them, to be raised again.
_swallowed: list[KeyboardInterrupt] = []


def _raise_swallowed() -> None:
    if _swallowed:
        raise _swallowed.pop()


# Long enough for the hook to have returned: a signal this thread sent itself would be handled
# at once, inside the hook, where a raise is lost again.
_AGAIN_SECONDS = 0.02


def _deliver_again() -> None:
    main = threading.main_thread().ident or 0
    again = threading.Timer(_AGAIN_SECONDS, signal.pthread_kill, (main, signal.SIGINT))
    again.daemon = True
    again.start()


def _plain(_signum: int, _frame: FrameType | None) -> None:
    _raise_swallowed()
    raise KeyboardInterrupt


@contextmanager
def presses_are_never_lost() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt as Python's default does, but one that a finalizer would
    swallow is delivered again instead."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals; elsewhere Python's default stands
        return
    previous_hook: Callable[[Any], object] = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        # Only the main thread handles signals: a KeyboardInterrupt lost on another thread was
        # raised by its own code, not by a press.
        pressed = threading.current_thread() is threading.main_thread()
        if pressed and isinstance(unraisable.exc_value, KeyboardInterrupt):
            _swallowed.append(unraisable.exc_value)
            _deliver_again()
            return
        previous_hook(unraisable)

    previous = signal.signal(signal.SIGINT, _plain)
    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGINT, previous)
        _swallowed.clear()


@contextmanager
def first_interrupt_is_graceful() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    first: list[float] = []

    def on_sigint(_signum: int, _frame: FrameType | None) -> None:
        _raise_swallowed()  # a press already counted, delivered again: not an echo
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
