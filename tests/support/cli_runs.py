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


# Runs the CLI as `python -m reelscribe` does, then reports the process's peak resident memory
# from /proc: VmHWM belongs to the program exec'd, whereas ru_maxrss (wait4, getrusage) also
# counts the pytest process the child was forked from, large once a test tier has loaded models.
_MEASURED = """
import runpy, sys
target = sys.argv.pop(1)
try:
    runpy.run_module("reelscribe", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    with open(target, "w", encoding="ascii") as report:
        report.write(peak.split()[1])
"""


def run_measured(*args: str) -> tuple[int, str, int]:
    """`reelscribe run <args> --quiet` in a process of its own, as a user starts it: the exit
    status, what it printed and its peak resident memory in bytes."""
    root = Path(__file__).resolve().parents[2]
    path = os.pathsep.join(str(root / part) for part in ("src", "functions/shared", "."))
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as printed,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "peak"
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, str(report), "run", *args, "--quiet"],
            env={**os.environ, "PYTHONPATH": path},
            stdout=printed,
            stderr=subprocess.STDOUT,
            check=False,
        )
        printed.seek(0)
        text = printed.read()
        peak_kib = int(report.read_text(encoding="ascii"))
    return done.returncode, text, peak_kib * 1024
