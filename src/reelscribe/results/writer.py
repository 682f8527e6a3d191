"""Filling one video's folder from a source: the local runtime, or an execution on AWS.

Both sources answer the same questions (`source.ResultSource`), so the folder's name, layout
and files come out the same from either. The layout is the README's: output/<kind>/<file>,
records/<table's logical id>.json, notifications/NN-<status>.eml and execution/*.json.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator, Mapping
from itertools import count
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from pydantic import BaseModel, Field, ValidationError

from video_pipeline.failures import Failure
from video_pipeline.output_keys import output_prefix
from video_pipeline.upload import Video, slug
from video_pipeline.vision_plan import FRAMES_KIND

from ..jsonfiles import dump_json
from .folder import (
    DEFINITION_FILE,
    EXECUTION_FILE,
    HISTORY_FILE,
    STATES_FILE,
    VideoFolder,
    read_json,
)
from .models import BatchEntry, Execution, MetadataItem, StateRun, VideoItem
from .source import Message, ResultSource
from .states import state_runs, video_of
from .status import Status


class VideoResult(BaseModel):
    """What a run needs to know of one video once its folder is written."""

    source: str
    execution_arn: str
    status: Status
    folder: Path
    states: list[StateRun] = Field(default_factory=list)
    failure: Failure | None = None
    files: list[Path] = Field(default_factory=list)
    seconds: float = 0.0
    duplicate: bool = False
    metadata: MetadataItem | None = None
    video: VideoItem | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == Status.SUCCEEDED

    def batch_entry(self) -> BatchEntry:
        return BatchEntry(
            source=self.source,
            status=self.status,
            folder=str(self.folder),
            seconds=self.seconds,
            execution=self.execution_arn,
            failure=self.failure,
        )


def write_runs(out_dir: Path, results: list[VideoResult]) -> Path:
    """runs.json: this run's videos, in the order they ran."""
    return dump_json(out_dir / "runs.json", [r.batch_entry().model_dump() for r in results])


# Folder names stay well inside NAME_MAX (255 bytes), leaving room for a "-<video id>" suffix.
_FOLDER_NAME_BYTES = 200


def folder_name(text: str, fallback: str = "video") -> str:
    """The user's own name for a folder, where the file system allows it: no '/', NUL or
    other control character, not '.' or '..', and at most _FOLDER_NAME_BYTES in UTF-8."""
    cleaned = "".join("-" if c == "/" or unicodedata.category(c) == "Cc" else c for c in text)
    cleaned = cleaned.strip()
    clipped = cleaned.encode()[:_FOLDER_NAME_BYTES].decode(errors="ignore").rstrip()
    return fallback if clipped in ("", ".", "..") else clipped


def _names(base: str, video_id: str) -> Iterator[str]:
    yield base
    if video_id:
        yield f"{base}-{video_id[:6]}"
    yield from (f"{base}-{number}" for number in count(2))


def claim_folder(
    out_dir: Path, video: dict[str, Any], fallback: str, execution_arn: str, taken: set[str]
) -> Path:
    """The video's folder: its file name without the extension, as the user wrote it (made
    safe by folder_name, not slugged as the output keys are). A name that is taken (by an
    earlier run into the same place, or another video of the same name) gets the video id's
    first characters, then a number; a folder that already holds this execution is reused, so
    fetching an execution again updates its folder."""
    base = folder_name(str(video.get("baseName") or fallback))
    for name in _names(base, str(video.get("videoId") or "")):
        folder = out_dir / name
        saved = read_json(folder / EXECUTION_FILE)
        mine = isinstance(saved, dict) and saved.get("executionArn") == execution_arn
        if mine or (name not in taken and not folder.exists()):
            taken.add(name)
            return folder
    raise AssertionError("unreachable: the names never run out")


def _output_prefixes(s3: Any, bucket: str, video: dict[str, Any]) -> list[str]:
    """Each kind's output/<kind>/<user>/<videoId>/ prefix, as the functions name them."""
    try:
        model = Video.model_validate(video)
    except ValidationError:
        return ["output/"]  # decoded by an older version: look through every output
    kinds = s3.list_objects_v2(Bucket=bucket, Prefix="output/", Delimiter="/")
    found = (str(p["Prefix"]).split("/")[1] for p in kinds.get("CommonPrefixes", []))
    # A long video has thousands of stills; what a person looks at was copied out of them.
    return [output_prefix(kind, model) for kind in found if kind != FRAMES_KIND]


def fetch_outputs(s3: Any, bucket: str, video: dict[str, Any], folder: Path) -> list[Path]:
    """Download output/<kind>/<user>/<videoId>/<file> as output/<kind>/<file>."""
    marker = f"/{video['videoId']}/"
    written = []
    for prefix in _output_prefixes(s3, bucket, video):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                head, found, file_name = str(entry["Key"]).partition(marker)
                if not found:
                    continue
                target = folder / "/".join(head.split("/")[:2]) / file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                body = s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"]
                with target.open("wb") as copy:
                    shutil.copyfileobj(body, copy)
                written.append(target)
    return written


def fetch_records(
    dynamodb: Any, tables: Mapping[str, str], video_id: str
) -> dict[str, list[dict[str, Any]]]:
    """Each table's items for the video, by the table's logical ID."""
    deserializer = TypeDeserializer()
    records: dict[str, list[dict[str, Any]]] = {}
    for logical_id, table in tables.items():
        items: list[dict[str, Any]] = []
        for page in dynamodb.get_paginator("scan").paginate(
            TableName=table,
            FilterExpression="videoId = :v",
            ExpressionAttributeValues={":v": {"S": video_id}},
        ):
            items += [
                {k: deserializer.deserialize(v) for k, v in item.items()}
                for item in page.get("Items", [])
            ]
        if items:
            records[logical_id] = items
    return records


def write_emails(messages: list[Message], folder: Path) -> list[Path]:
    written = []
    for number, message in enumerate(messages, start=1):
        kind = slug(message.attributes.get("status", "message").lower(), "message")
        path = folder / "notifications" / f"{number:02d}-{kind}.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(message.email()))
        written.append(path)
    return written


def write_video_folder(
    source: ResultSource, out_dir: Path, taken: set[str], *, label: str = ""
) -> VideoResult:
    """Write the execution's folder under out_dir and say how it went. `label` names the video
    when the execution never decoded it (the file it was run on, say); `taken` holds the folder
    names already given out, and gets this one."""
    described = dict(source.execution())
    described.pop("ResponseMetadata", None)
    execution = Execution.model_validate(described)
    events = source.history()
    runs = state_runs(events)
    video = video_of(runs)
    fallback = Path(label).stem if label else execution.name
    folder = claim_folder(out_dir, video, fallback, source.execution_arn, taken)
    files: list[Path] = []
    records: dict[str, list[dict[str, Any]]] = {}
    video_id = str(video.get("videoId") or "")
    if video_id:
        bucket = source.output_bucket(events)
        if bucket:
            files += fetch_outputs(source.s3, bucket, video, folder)
        records = fetch_records(source.dynamodb, source.tables(events), video_id)
    for logical_id, items in records.items():
        files.append(dump_json(folder / "records" / f"{logical_id}.json", items))
    emails = write_emails(source.messages(video_id, events), folder)
    files += emails
    files.append(dump_json(folder / HISTORY_FILE, events))
    files.append(dump_json(folder / STATES_FILE, [run.to_json() for run in runs]))
    files.append(dump_json(folder / EXECUTION_FILE, described))
    definition = source.definition()
    if definition is not None:
        files.append(dump_json(folder / DEFINITION_FILE, definition))

    # What was just written, without reading megabytes of history back from disk.
    written = VideoFolder.model_construct(
        path=folder,
        execution=execution,
        states=runs,
        history=events,
        records=records,
        emails=emails,
        batch_entry=None,
    )
    stop = execution.stopDate or (runs[-1].exited if runs else None)
    start = execution.startDate
    return VideoResult(
        source=label or execution.name,
        execution_arn=source.execution_arn,
        status=written.status,
        folder=folder,
        states=runs,
        failure=written.failure(),
        files=files,
        seconds=(stop - start).total_seconds() if stop and start else 0.0,
        duplicate=written.duplicate,
        metadata=written.metadata,
        video=written.video_item,
    )
