"""Writing one video's results to a folder: objects, records, emails and the execution history."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from video_pipeline.upload import slug

from .jsonfiles import dump_json
from .results import StateRun, state_runs
from .runtime import LocalRuntime, Notification, ending_details

_deserializer = TypeDeserializer()


@dataclass
class VideoResult:
    source: str
    execution_arn: str
    status: str
    folder: Path | None = None
    video: dict[str, Any] = field(default_factory=dict)
    states: list[StateRun] = field(default_factory=list)
    failure: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    duplicate: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"


def _video_of(runs: list[StateRun]) -> dict[str, Any]:
    for run in runs:
        if isinstance(run.output, dict) and isinstance(run.output.get("video"), dict):
            return dict(run.output["video"])
    return {}


def folder_name(video: dict[str, Any], fallback: str, taken: set[str]) -> str:
    """The file's name without its extension, accents folded as in the output keys."""
    base = slug(str(video.get("baseName") or fallback))
    name, suffix = base, str(video.get("videoId") or "")[:6]
    if name in taken:
        name = f"{base}-{suffix}" if suffix else base
    counter = 2
    while name in taken:
        name, counter = f"{base}-{counter}", counter + 1
    taken.add(name)
    return name


def _failure_of(
    runs: list[StateRun], description: dict[str, Any], events: list[dict[str, Any]]
) -> dict[str, str]:
    for run in runs:
        if run.name == "Describe Failure" and isinstance(run.output, dict):
            report = run.output.get("failure") or {}
            if report:
                return {k: str(report.get(k, "")) for k in ("state", "error", "reason", "cause")}
    failed = [r for r in runs if r.status == "FAILED" and r.error]
    state = failed[-1].name if failed else (runs[-1].name if runs else "")
    ending = ending_details(events)
    error = str(description.get("error") or ending.get("error") or "")
    cause = str(description.get("cause") or ending.get("cause") or "")
    return {"state": state, "error": error, "reason": cause, "cause": cause}


def email_for(notification: Notification, recipient: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "reelscribe <no-reply@reelscribe.local>"
    message["To"] = recipient
    message["Subject"] = notification.subject
    message["Date"] = format_datetime(notification.sent_at)
    message["X-SNS-Topic"] = notification.topic_arn
    for name, value in notification.attributes.items():
        message[f"X-Attribute-{name}"] = value
    message.set_content(notification.message)
    return message


def write_result(
    runtime: LocalRuntime, source: str, execution_arn: str, out_root: Path, taken: set[str]
) -> VideoResult:
    description = runtime.describe(execution_arn)
    events = runtime.history(execution_arn)
    runs = state_runs(events)
    video = _video_of(runs)
    result = VideoResult(
        source=source,
        execution_arn=execution_arn,
        status=str(description["status"]),
        video=video,
        states=runs,
        duplicate=any(r.name == "Ignore Duplicate Upload" for r in runs),
    )
    stop = description.get("stopDate") or (runs[-1].exited if runs else None)
    if stop is not None:
        result.seconds = (stop - description["startDate"]).total_seconds()
    if not result.succeeded:
        result.failure = _failure_of(runs, description, events)
    folder = out_root / folder_name(video, Path(source).stem, taken)
    result.folder = folder
    video_id = str(video.get("videoId") or "")

    if video_id:
        marker = f"/{video_id}/"
        listing = runtime.s3.get_paginator("list_objects_v2").paginate(Bucket=runtime.output_bucket)
        for page in listing:
            for entry in page.get("Contents", []):
                key = str(entry["Key"])
                if marker not in key:
                    continue
                # output/<kind>/<user>/<videoId>/<file> -> output/<kind>/<file>
                prefix, _, file_name = key.partition(marker)
                target = folder / "/".join(prefix.split("/")[:2]) / file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                body = runtime.s3.get_object(Bucket=runtime.output_bucket, Key=key)["Body"]
                target.write_bytes(body.read())
                result.files.append(target)

        dynamodb = runtime.session.client("dynamodb")
        for logical_id, table in runtime.deployment.tables.items():
            items = dynamodb.scan(
                TableName=table,
                FilterExpression="videoId = :v",
                ExpressionAttributeValues={":v": {"S": video_id}},
            ).get("Items", [])
            if items:
                plain = [{k: _deserializer.deserialize(v) for k, v in i.items()} for i in items]
                result.files.append(dump_json(folder / "records" / f"{logical_id}.json", plain))

    recipient = runtime.template.parameters.get("NotificationEmail") or "you@example.com"
    mine = [
        n
        for n in runtime.notifications
        if (video_id and n.attributes.get("videoId") == video_id) or execution_arn in n.message
    ]
    for number, notification in enumerate(mine, start=1):
        kind = notification.attributes.get("status", "message").lower()
        path = folder / "notifications" / f"{number:02d}-{kind}.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(email_for(notification, recipient)))
        result.files.append(path)

    result.files.append(dump_json(folder / "execution" / "history.json", events))
    result.files.append(
        dump_json(folder / "execution" / "states.json", [run.to_json() for run in runs])
    )
    result.files.append(dump_json(folder / "execution" / "execution.json", description))
    return result
