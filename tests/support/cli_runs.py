"""`reelscribe run` called in-process as a user would, and the records it writes read back."""

from __future__ import annotations

import io
import json
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
