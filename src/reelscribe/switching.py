"""How often a run's threads hand the interpreter to one another.

A run's engines compute with the interpreter released (ffmpeg apart, they are threads of this
process: Whisper, the detectors, the decoder) and need it back for a moment between steps, while
the functions, the state machine and the folder writer hold it for Python work. Python makes a
thread that wants it back wait until the holder's switch interval (5 ms by default) runs out;
on two cores an engine's core then sits idle, step after step. With 1 ms, three 20-clip batches
(bench/batch_vs_engines.py's clips), each run beside one at 5 ms, took 2-5% less wall time and
1.7-4.5% less CPU."""

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
