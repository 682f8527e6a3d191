"""A video's results: the folder a run writes for it, as models, and the one writer that fills
it from the local runtime or from an execution on AWS.

`write_video_folder(source, out_dir, taken)` writes a folder from a `LocalSource` or an
`AwsSource`; `VideoFolder.load(path)` reads one back; `Status` is the one status vocabulary.
"""

from __future__ import annotations

from .folder import VideoFolder, is_video_folder, read_json, read_runs
from .models import BatchEntry, Execution, MetadataItem, StateRun, VideoItem
from .source import Message, ResultSource
from .states import state_runs
from .status import Status, most_telling
from .writer import VideoResult, write_runs, write_video_folder

__all__ = [
    "BatchEntry",
    "Execution",
    "Message",
    "MetadataItem",
    "ResultSource",
    "StateRun",
    "Status",
    "VideoFolder",
    "VideoItem",
    "VideoResult",
    "is_video_folder",
    "most_telling",
    "read_json",
    "read_runs",
    "state_runs",
    "write_runs",
    "write_video_folder",
]
