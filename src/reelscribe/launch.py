"""The `reelscribe` command's entry point. Ctrl-C while Python is still importing the
pipeline's libraries (its first half-second) ends with the same one line and status as later,
not a traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence

# A shell's status for a command ended by SIGINT (128 + 2).
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from .cli import main as run_cli  # imported here, where Ctrl-C is caught

        return run_cli(argv)
    except KeyboardInterrupt:
        print("reelscribe: interrupted", file=sys.stderr)
        return INTERRUPTED
