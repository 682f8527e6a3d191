"""One video's result folder, read back: execution, states, records, messages and outputs.

Every file is optional. A run that failed early has no media, a report rebuilt from AWS has no
local emails, and the report says what is missing rather than failing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from video_pipeline.failures import Failure

from ..jsonfiles import from_json
from .models import (
    METADATA_TABLE,
    VIDEOS_TABLE,
    BatchEntry,
    Execution,
    MetadataItem,
    StateRun,
    VideoItem,
    failure_from,
)
from .status import Status

EXECUTION_FILE = Path("execution") / "execution.json"
STATES_FILE = Path("execution") / "states.json"
HISTORY_FILE = Path("execution") / "history.json"
DEFINITION_FILE = Path("execution") / "definition.json"
RUNS_FILE = "runs.json"
MEDIA_KINDS = {
    "web": (".mp4", ".mov", ".m4v", ".webm"),
    "phone": (".mp4", ".mov", ".m4v", ".webm"),
    "audio": (".mp3", ".m4a", ".aac", ".wav", ".ogg"),
    "gif": (".gif",),
    "transcribe": (".json",),
    "subtitles": (".vtt",),
    "srt": (".srt",),
    "analysis": (".json",),
    "vision": (".json",),
}
# A picture's renditions (an image upload's web, phone and thumbnail outputs).
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MEDIA_KIND_NAMES = ("video", "audio", "image")
# The state that decides an upload was registered before: the run then processed nothing.
DUPLICATE_STATE = "Ignore Duplicate Upload"
_DESCRIBE_FAILURE_STATE = "Describe Failure"


def read_json(path: Path) -> Any:
    """The file's JSON, or None when it is missing or unreadable."""
    try:
        return from_json(path.read_bytes())
    except (OSError, ValueError):
        return None


_Model = TypeVar("_Model", bound=BaseModel)


def _each_valid(model: type[_Model], data: Any) -> list[_Model]:
    """The items of a JSON list that are valid; the others are left out."""
    valid = []
    for item in data if isinstance(data, list) else []:
        try:
            valid.append(model.model_validate(item))
        except ValidationError:
            continue
    return valid


def _first(model: type[_Model], data: Any) -> _Model | None:
    return next(iter(_each_valid(model, data)), None)


def read_runs(out_dir: Path) -> list[BatchEntry]:
    """runs.json's videos, in the order they ran."""
    return _each_valid(BatchEntry, read_json(out_dir / RUNS_FILE))


def _execution(data: Any) -> Execution:
    try:
        return Execution.model_validate(data if isinstance(data, dict) else {})
    except ValidationError:
        return Execution()


class VideoFolder(BaseModel):
    """What a video's folder holds, with the accessors the summary, the report and the index
    read it through."""

    path: Path
    execution: Execution = Field(default_factory=Execution)
    states: list[StateRun] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    emails: list[Path] = Field(default_factory=list)
    batch_entry: BatchEntry | None = None

    @classmethod
    def load(cls, path: Path) -> VideoFolder:
        history = read_json(path / HISTORY_FILE)
        records: dict[str, list[dict[str, Any]]] = {}
        for record in sorted((path / "records").glob("*.json")):
            items = read_json(record)
            if isinstance(items, list):
                records[record.stem] = [i for i in items if isinstance(i, dict)]
        # runs.json names folders as the run was given them (relative to where it ran, or
        # absolute); each is a child of the batch folder, so its name is what identifies it.
        batch = [e for e in read_runs(path.parent) if e.folder and Path(e.folder).name == path.name]
        return cls(
            path=path,
            execution=_execution(read_json(path / EXECUTION_FILE)),
            states=_each_valid(StateRun, read_json(path / STATES_FILE)),
            history=history if isinstance(history, list) else [],
            records=records,
            emails=sorted((path / "notifications").glob("*.eml")),
            batch_entry=batch[-1] if batch else None,
        )

    # ------------------------------------------------------------------ who and when
    @property
    def name(self) -> str:
        return self.path.name

    @property
    def video(self) -> dict[str, Any]:
        """Parse Upload's view of the upload: ids, file name, source."""
        return next((video for run in self.states if (video := run.video) is not None), {})

    @property
    def status(self) -> Status:
        """The execution's status; one that says nothing of how it ended has not ended."""
        batch = self.batch_entry.status if self.batch_entry else None
        return self.execution.status or batch or Status.RUNNING

    @property
    def execution_arn(self) -> str:
        batch = self.batch_entry.execution if self.batch_entry else ""
        return self.execution.executionArn or batch

    @property
    def started(self) -> datetime | None:
        if self.execution.startDate is not None:
            return self.execution.startDate
        return self.states[0].entered if self.states else None

    @property
    def stopped(self) -> datetime | None:
        if self.execution.stopDate is not None:
            return self.execution.stopDate
        return max((r.exited for r in self.states if r.exited is not None), default=None)

    @property
    def seconds(self) -> float | None:
        if self.started is None or self.stopped is None:
            return None
        return (self.stopped - self.started).total_seconds()

    @property
    def source(self) -> str:
        return str(
            (self.batch_entry.source if self.batch_entry else "")
            or self.video.get("sourceUri")
            or self.video.get("fileName")
            or ""
        )

    @property
    def duplicate(self) -> bool:
        """The upload had been registered before, so nothing was processed again."""
        return any(run.name == DUPLICATE_STATE for run in self.states)

    # ------------------------------------------------------------------ records
    @property
    def video_item(self) -> VideoItem:
        """The video's item in the videos table (empty when there is none)."""
        return _first(VideoItem, self.records.get(VIDEOS_TABLE)) or VideoItem()

    @property
    def metadata(self) -> MetadataItem | None:
        """The video's item in the metadata table: its transcript and what the analysis found."""
        return _first(MetadataItem, self.records.get(METADATA_TABLE))

    # ------------------------------------------------------------------ outputs
    def media(self, kind: str) -> Path | None:
        """The output of a kind (web, phone, audio, gif, transcribe, subtitles, srt, analysis)."""
        folder = "subtitles" if kind == "srt" else kind
        suffixes = MEDIA_KINDS[kind]
        found = sorted(
            p
            for p in (self.path / "output" / folder).glob("*")
            if p.is_file() and p.suffix.lower() in suffixes
        )
        return found[0] if found else None

    def relative(self, path: Path) -> str:
        """A link from report.html, which sits in the folder, to a file in it."""
        return path.relative_to(self.path).as_posix()

    def picture(self, kind: str) -> Path | None:
        """An image upload's rendition of a kind (web, phone, thumbnail), if there is one."""
        found = sorted(
            p
            for p in (self.path / "output" / kind).glob("*")
            if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES
        )
        return found[0] if found else None

    def output_path(self, key: object) -> Path | None:
        """The file in this folder that an output key names, if it is here.

        Keys are the bucket's, output/<kind>/<user>/<videoId>/<rest>, and the folder keeps
        output/<kind>/<rest> (subfolders such as raw/ and shots/ included). A key is data read
        from a file, so one that climbs out of the folder finds nothing."""
        if not isinstance(key, str) or not key:
            return None
        parts = key.split("/")
        if parts[0] != "output" or any(p in ("", ".", "..") or "\\" in p for p in parts):
            return None
        candidates = [parts[:2] + parts[4:]] if len(parts) > 4 else []
        candidates.append(parts)  # a key already in the folder's own layout
        for candidate in candidates:
            path = self.path.joinpath(*candidate)
            if len(candidate) > 2 and path.is_file():
                return path
        return None

    @property
    def vision(self) -> dict[str, Any]:
        """The merged view of what is on screen (output/vision/<name>.json), or {}."""
        return self._document("vision")

    @property
    def media_kind(self) -> str:
        """video, audio or image: as the view or the video's record says, else from the
        outputs (an MP3 with no picture beside it is an audio upload's)."""
        for said in (self.vision.get("mediaKind"), *self._item_kinds()):
            if said in MEDIA_KIND_NAMES:
                return str(said)
        pictures = ("web", "phone", "gif")
        if self.media("audio") is not None and not any(self.media(k) for k in pictures):
            return "audio"
        return "video"

    def _item_kinds(self) -> tuple[Any, ...]:
        extra = self.video_item.model_extra or {}
        return (extra.get("mediaKind"), extra.get("kind"))

    @property
    def analysis(self) -> dict[str, Any]:
        return self._document("analysis")

    @property
    def transcript(self) -> dict[str, Any]:
        return self._document("transcribe")

    def _document(self, kind: str) -> dict[str, Any]:
        """The JSON output of a kind, or {} when it is missing or not an object."""
        path = self.media(kind)
        data = read_json(path) if path else None
        return data if isinstance(data, dict) else {}

    # ------------------------------------------------------------------ what went wrong
    def failure(self) -> Failure | None:
        """The failed state, the error and the reason, from the most explicit source there is:
        the video's record, the batch summary, Describe Failure's output, then the history."""
        if not self.status.ended_badly:
            return None  # succeeded, or still running: nothing has gone wrong yet
        for items in self.records.values():
            for item in items:
                if found := failure_from(item.get("failure")):
                    return found
        if self.batch_entry and self.batch_entry.failure:
            return self.batch_entry.failure
        for run in self.states:
            if run.name != _DESCRIBE_FAILURE_STATE or not isinstance(run.output, dict):
                continue
            if found := failure_from(run.output.get("failure")):
                return found
        return failure_in(self.states, self.execution)


def failure_in(states: list[StateRun], execution: Execution) -> Failure:
    """The failure as the history alone tells it: the state that failed last (else the last
    one entered), and the execution's error and cause (else that state's)."""
    failed = [r for r in states if r.status == Status.FAILED and r.error]
    failed = failed or [r for r in states if r.error]
    last = failed[-1] if failed else (states[-1] if states else None)
    error = execution.error or (failed[-1].error if failed else "") or ""
    cause = execution.cause or (failed[-1].cause if failed else "") or ""
    return Failure(state=last.name if last else "", error=error, cause=cause, reason=cause)


def is_video_folder(path: Path) -> bool:
    """A video's folder; a hidden one is a folder still being written (or left half-written)."""
    return not path.name.startswith(".") and path.is_dir() and (path / EXECUTION_FILE).is_file()
