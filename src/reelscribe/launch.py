"""The `reelscribe` command's entry point. Ctrl-C while Python is still importing the
pipeline's libraries (its first half-second) ends with the same one line and status as later,
not a traceback, and is not lost in the import system's own callbacks."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from .heap import libraries_kept
from .interrupts import presses_are_never_lost

# A shell's status for a command ended by SIGINT (128 + 2).
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None, stream: TextIO | None = None) -> int:
    with presses_are_never_lost(), libraries_kept() as imported:
        try:
            from .cli import main as run_cli  # imported here, where Ctrl-C is caught

            imported()
            return run_cli(argv, stream)
        except KeyboardInterrupt:
            print("reelscribe: interrupted", file=sys.stderr)
            return INTERRUPTED
