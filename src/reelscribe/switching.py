"""How often a run's threads hand the interpreter to one another.

A run's engines compute with the interpreter released (ffmpeg apart, they are threads of this
process: Whisper, the detectors, the decoder) and need it back for a moment between steps, while
the functions, the state machine and the folder writer hold it for Python work. Python makes a
thread that wants it back wait until the holder's switch interval (5 ms by default) runs out;
on two cores an engine's core then sits idle, step after step. With 1 ms, a 20-clip batch took
2-5% less wall time and CPU, measured side by side (bench/batch_vs_engines.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_SECONDS = 0.001


@contextmanager
def quick_handoffs(seconds: float = SWITCH_SECONDS) -> Iterator[None]:
    """The run's switch interval; the caller's is put back on exit, for callers in the same
    process."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
