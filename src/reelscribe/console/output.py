"""Where a run's lines go. A reader that stops reading (`reelscribe run ... | head -3`) is no
reason to abandon the work: its output is dropped from then on, and the run goes on to write
every result."""

from __future__ import annotations

import io
import os
import sys
from typing import TextIO, cast


class _ReaderGone(io.TextIOBase):
    """`stream`, until writing to it finds its reader gone; then nothing."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream: TextIO | None = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._stream is not None:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        stream, self._stream = self._stream, None
        # What Python still holds for the closed pipe would fail again as it exits ("Exception
        # ignored ... BrokenPipeError"): the descriptor goes to /dev/null, as Python's own
        # documentation of SIGPIPE advises.
        try:
            descriptor = stream.fileno() if stream is not None else -1
        except (OSError, ValueError):  # a stream with no descriptor (StringIO) has nothing held
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, descriptor)
        finally:
            os.close(devnull)


def tolerant(stream: TextIO) -> TextIO:
    """`stream`, written to as a TextIO, that drops its lines once its reader has gone."""
    # TextIOBase has everything print() and the console use; typeshed does not call it a TextIO.
    return cast(TextIO, _ReaderGone(stream))


def say(line: str) -> None:
    """One line on stderr, which may be a closed pipe too."""
    print(line, file=tolerant(sys.stderr), flush=True)
