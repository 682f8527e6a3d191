"""`reelscribe run` called in-process as a user would, and the records it writes read back."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from reelscribe.cli import main


def run_quietly(*args: str) -> tuple[int, str]:
    """`reelscribe run <args> --quiet`: the exit status and what it printed."""
    out = io.StringIO()
    return main(["run", *args, "--quiet"], stream=out), out.getvalue()


def video_record(folder: Path) -> dict[str, Any]:
    """The one videos-table item of a video's result folder."""
    (video,) = json.loads((folder / "records" / "VideosTable.json").read_text())
    record: dict[str, Any] = video
    return record


def run_measured(*args: str) -> tuple[int, str, int]:
    """`reelscribe run <args> --quiet` in a process of its own, as a user starts it: the exit
    status, what it printed and its peak resident memory in bytes."""
    root = Path(__file__).resolve().parents[2]
    path = os.pathsep.join(str(root / part) for part in ("src", "functions/shared", "."))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as printed:
        process = subprocess.Popen(
            [sys.executable, "-m", "reelscribe", "run", *args, "--quiet"],
            env={**os.environ, "PYTHONPATH": path},
            stdout=printed,
            stderr=subprocess.STDOUT,
        )
        # wait4 gives this child's own resource use (RUSAGE_CHILDREN would be the largest of
        # every child this process has waited for).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        printed.seek(0)
        text = printed.read()
    return process.returncode, text, usage.ru_maxrss * 1024  # Linux counts it in KiB
