"""Filling one video's folder from a source: the local runtime, or an execution on AWS.

Both sources answer the same questions (`source.ResultSource`), so the folder's name, layout
and files come out the same from either. The layout is the README's: output/<kind>/<file>,
records/<table's logical id>.json, notifications/NN-<status>.eml and execution/*.json.
"""

from __future__ import annotations

import errno
import shutil
import unicodedata
from collections.abc import Iterator, Mapping
from itertools import count
from pathlib import Path
from typing import Any, NamedTuple

from boto3.dynamodb.types import TypeDeserializer
from pydantic import BaseModel, Field, ValidationError

from video_pipeline.failures import Failure
from video_pipeline.output_keys import output_prefix
from video_pipeline.upload import Video, slug
from video_pipeline.vision_plan import FRAMES_KIND

from ..errors import OutOfSpaceError
from ..jsonfiles import dump_json, to_json
from .folder import (
    DEFINITION_FILE,
    EXECUTION_FILE,
    HISTORY_FILE,
    STATES_FILE,
    VideoFolder,
    read_json,
)
from .models import BatchEntry, Execution, MetadataItem, StateRun, VideoItem
from .objects import ClientObjects, Objects
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


def _output_prefixes(objects: Objects, bucket: str, video: dict[str, Any]) -> list[str]:
    """Each kind's output/<kind>/<user>/<videoId>/ prefix, as the functions name them."""
    try:
        model = Video.model_validate(video)
    except ValidationError:
        return ["output/"]  # decoded by an older version: look through every output
    found = (prefix.split("/")[1] for prefix in objects.folders(bucket, "output/"))
    # A long video has thousands of stills; what a person looks at was copied out of them.
    return [output_prefix(kind, model) for kind in found if kind != FRAMES_KIND]


class _Output(NamedTuple):
    key: str
    path: Path  # in the folder: output/<kind>/<file>
    size: int


def _list_outputs(objects: Objects, bucket: str, video: dict[str, Any]) -> list[_Output]:
    """output/<kind>/<user>/<videoId>/<file>, each with the place it takes in the folder."""
    marker = f"/{video['videoId']}/"
    found = []
    for prefix in _output_prefixes(objects, bucket, video):
        for stored in objects.objects(bucket, prefix):
            head, matched, file_name = stored.key.partition(marker)
            if matched:
                path = Path("/".join(head.split("/")[:2])) / file_name
                found.append(_Output(stored.key, path, stored.size))
    return found


def _download(objects: Objects, bucket: str, outputs: list[_Output], folder: Path) -> list[Path]:
    written = []
    for output in outputs:
        target = folder / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        objects.copy(bucket, output.key, target)
        written.append(target)
    return written


def fetch_outputs(s3: Any, bucket: str, video: dict[str, Any], folder: Path) -> list[Path]:
    """Download output/<kind>/<user>/<videoId>/<file> as output/<kind>/<file>."""
    objects = ClientObjects(s3)
    return _download(objects, bucket, _list_outputs(objects, bucket, video), folder)


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


def _emails(messages: list[Message]) -> dict[Path, bytes]:
    files = {}
    for number, message in enumerate(messages, start=1):
        kind = slug(message.attributes.get("status", "message").lower(), "message")
        files[Path("notifications") / f"{number:02d}-{kind}.eml"] = bytes(message.email())
    return files


def free_bytes(folder: Path) -> int:
    """The room left on the disk that `folder` is on (or would be made on); -1 for a file
    system that keeps no count (/proc), where writing is the only test."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    usage = shutil.disk_usage(existing)
    return usage.free if usage.total else -1


def ensure_room(folder: Path, needed: int, what: str = "the results") -> None:
    """Raise OutOfSpaceError, before anything is written, when `needed` bytes will not fit."""
    free = free_bytes(folder)
    if 0 <= free < needed:
        raise OutOfSpaceError(no_room(folder, needed, free, what))


def no_room(folder: Path, needed: int, free: int, what: str) -> str:
    mib = 1 << 20
    return (
        f"{folder}: no room for {what}: about {needed / mib:.1f} MiB needed, "
        f"{free / mib:.1f} MiB free on its disk"
    )


# A full disk, or the user's quota on it.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


def write_video_folder(
    source: ResultSource, out_dir: Path, taken: set[str], *, label: str = ""
) -> VideoResult:
    """Write the execution's folder under out_dir and say how it went. `label` names the video
    when the execution never decoded it (the file it was run on, say); `taken` holds the folder
    names already given out, and gets this one.

    The folder appears whole or not at all: it is filled beside its place under a hidden name
    and moved there once complete. When the disk has no room for it (told before writing, or
    found while writing), nothing of it is left and OutOfSpaceError says how much it needs."""
    described = dict(source.execution())
    described.pop("ResponseMetadata", None)
    execution = Execution.model_validate(described)
    events = source.history()
    runs = state_runs(events)
    video = video_of(runs)
    fallback = Path(label).stem if label else execution.name
    folder = claim_folder(out_dir, video, fallback, source.execution_arn, taken)
    records: dict[str, list[dict[str, Any]]] = {}
    outputs: list[_Output] = []
    bucket = ""
    video_id = str(video.get("videoId") or "")
    if video_id:
        bucket = source.output_bucket(events) or ""
        if bucket:
            outputs = _list_outputs(source.objects, bucket, video)
        records = fetch_records(source.dynamodb, source.tables(events), video_id)
    documents: dict[Path, Any] = {Path("records") / f"{t}.json": i for t, i in records.items()}
    documents |= {HISTORY_FILE: events, STATES_FILE: [run.to_json() for run in runs]}
    documents[EXECUTION_FILE] = described
    definition = source.definition()
    if definition is not None:
        documents[DEFINITION_FILE] = definition
    files = {path: (to_json(data) + "\n").encode() for path, data in documents.items()}
    emails = _emails(source.messages(video_id, events))
    files |= emails
    needed = sum(o.size for o in outputs) + sum(len(body) for body in files.values())
    ensure_room(out_dir, needed, f"the results of {folder.name}")

    staging = out_dir / f".{folder.name}.writing"
    shutil.rmtree(staging, ignore_errors=True)  # left by a write that was interrupted
    try:
        written = _download(source.objects, bucket, outputs, staging)
        for path, body in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(body)
        _publish(staging, folder)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if error.errno in _NO_ROOM:
            what = f"the results of {folder.name}"
            free = max(0, free_bytes(out_dir))
            raise OutOfSpaceError(no_room(out_dir, needed, free, what)) from error
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    paths = [folder / p.relative_to(staging) for p in written] + [folder / p for p in files]

    # What was just written, without reading megabytes of history back from disk.
    result = VideoFolder.model_construct(
        path=folder,
        execution=execution,
        states=runs,
        history=events,
        records=records,
        emails=[folder / path for path in emails],
        batch_entry=None,
    )
    stop = execution.stopDate or (runs[-1].exited if runs else None)
    start = execution.startDate
    return VideoResult(
        source=label or execution.name,
        execution_arn=source.execution_arn,
        status=result.status,
        folder=folder,
        # The summary's table needs each state's name, times and outcome; its data is in the
        # folder, and a batch would otherwise hold every video's to its end.
        states=[run.model_copy(update={"input": None, "output": None}) for run in runs],
        failure=result.failure(),
        files=paths,
        seconds=(stop - start).total_seconds() if stop and start else 0.0,
        duplicate=result.duplicate,
        metadata=result.metadata,
        video=result.video_item,
    )


def _publish(staging: Path, folder: Path) -> None:
    """Move the complete folder into its place, replacing an earlier copy of it."""
    if not folder.exists():
        staging.rename(folder)
        return
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
