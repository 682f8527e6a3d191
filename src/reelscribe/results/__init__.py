"""A video's results: the folder a run writes for it, as models, and the one status vocabulary.

`VideoFolder.load(path)` reads a folder back; `state_runs(events)` reads an execution's history
state by state; `Status` is the one status vocabulary.
"""

from __future__ import annotations

from .folder import VideoFolder, is_video_folder, read_json, read_runs
from .models import BatchEntry, Execution, MetadataItem, StateRun
from .states import state_runs
from .status import Status, most_telling

__all__ = [
    "BatchEntry",
    "Execution",
    "MetadataItem",
    "StateRun",
    "Status",
    "VideoFolder",
    "is_video_folder",
    "most_telling",
    "read_json",
    "read_runs",
    "state_runs",
]
