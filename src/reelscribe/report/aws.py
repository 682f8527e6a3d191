"""A report for an execution that ran on AWS, fetched with boto3 into the local folder layout.

What it can fetch: the execution and its history (Step Functions), the definition the execution
ran, the output objects whose keys hold the video id (S3), and the video's items in the tables
named or found in the history (DynamoDB). SNS keeps no copy of what it sent, so the emails are
rebuilt from the Publish calls in the history: the subject, message and attributes as published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from video_pipeline.execution_history import history_events
from video_pipeline.upload import slug

from ..jsonfiles import dump_json
from ..results import read_json, state_runs
from .build import build_video_report
from .index import build_index

_S3_OUTPUT = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/output/")


def _parameters(event: dict[str, Any]) -> dict[str, Any]:
    details = event.get("taskScheduledEventDetails") or {}
    try:
        parsed = json.loads(str(details.get("parameters") or "{}"))
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _scheduled(events: list[dict[str, Any]], resource_type: str) -> list[dict[str, Any]]:
    return [
        e
        for e in events
        if e.get("type") == "TaskScheduled"
        and (e.get("taskScheduledEventDetails") or {}).get("resourceType") == resource_type
    ]


def _succeeded(events: list[dict[str, Any]], scheduled: dict[str, Any]) -> bool:
    """Whether the task scheduled by this event succeeded (Scheduled -> Started -> Succeeded)."""
    after = {int(e.get("previousEventId") or 0): e for e in events}
    started = after.get(int(scheduled.get("id") or 0))
    finished = after.get(int(started.get("id") or 0)) if started else None
    return bool(finished and finished.get("type") == "TaskSucceeded")


def _folder(out_dir: Path, video: dict[str, Any], execution: dict[str, Any]) -> Path:
    """The video's name, as `reelscribe run` names folders; the folder a previous fetch of the
    same execution wrote is reused."""
    base = slug(str(video.get("baseName") or execution.get("name")))
    candidates = [base, f"{base}-{str(video.get('videoId') or '')[:6]}".rstrip("-")]
    candidates += [f"{base}-{n}" for n in range(2, 1000)]
    for name in candidates:
        folder = out_dir / name
        saved = read_json(folder / "execution" / "execution.json")
        if not folder.exists() or (
            isinstance(saved, dict) and saved.get("executionArn") == execution["executionArn"]
        ):
            return folder
    raise RuntimeError(f"no free folder name for {base} in {out_dir}")


def _output_bucket(events: list[dict[str, Any]]) -> str | None:
    """Where the outputs went: the bucket Transcribe was told to write to, or any s3:// URI of
    an output/ key in the execution's data."""
    for event in _scheduled(events, "aws-sdk:transcribe"):
        bucket = _parameters(event).get("OutputBucketName")
        if isinstance(bucket, str) and bucket:
            return bucket
    match = _S3_OUTPUT.search(json.dumps(events, default=str))
    return match.group(1) if match else None


def _fetch_outputs(s3: Any, bucket: str, video: dict[str, Any], folder: Path) -> int:
    """Download output/<kind>/<user>/<videoId>/<file> as output/<kind>/<file>."""
    video_id, user = str(video.get("videoId") or ""), str(video.get("userId") or "")
    if not video_id:
        return 0
    marker = f"/{video_id}/"
    prefixes = ["output/"]
    if user:
        kinds = s3.list_objects_v2(Bucket=bucket, Prefix="output/", Delimiter="/")
        prefixes = [f"{p['Prefix']}{user}/{video_id}/" for p in kinds.get("CommonPrefixes", [])]
    count = 0
    for prefix in prefixes:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                key = str(entry["Key"])
                if marker not in key:
                    continue
                head, _, file_name = key.partition(marker)
                target = folder / "/".join(head.split("/")[:2]) / file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                s3.download_file(bucket, key, str(target))
                count += 1
    return count


def _tables(events: list[dict[str, Any]]) -> dict[str, str]:
    """The tables the execution wrote to, by name, from its DynamoDB task parameters."""
    found: dict[str, str] = {}
    for event in _scheduled(events, "dynamodb"):
        name = _parameters(event).get("TableName")
        if isinstance(name, str) and name:
            found.setdefault(name, name)
    return found


def _fetch_records(dynamodb: Any, tables: Mapping[str, str], video_id: str, folder: Path) -> None:
    deserializer = TypeDeserializer()
    for label, table in tables.items():
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
            dump_json(folder / "records" / f"{label}.json", items)


def _write_emails(events: list[dict[str, Any]], folder: Path) -> None:
    number = 0
    for event in _scheduled(events, "sns"):
        if not _succeeded(events, event):
            continue
        params = _parameters(event)
        attributes = {
            str(k): str((v or {}).get("StringValue", ""))
            for k, v in (params.get("MessageAttributes") or {}).items()
        }
        message = EmailMessage()
        message["From"] = "reelscribe (Amazon SNS)"
        message["To"] = "the topic's subscribers"
        message["Subject"] = str(params.get("Subject") or "")
        if isinstance(event.get("timestamp"), datetime):
            message["Date"] = format_datetime(event["timestamp"])
        message["X-SNS-Topic"] = str(params.get("TopicArn") or "")
        message["X-Rebuilt-From"] = "the Publish call in the execution history"
        for name, value in attributes.items():
            message[f"X-Attribute-{name}"] = value
        message.set_content(str(params.get("Message") or ""))
        number += 1
        kind = slug(attributes.get("status", "message").lower(), "message")
        path = folder / "notifications" / f"{number:02d}-{kind}.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(message))


def _definition(sfn: Any, execution: dict[str, Any]) -> dict[str, Any]:
    """The definition this execution ran, which may be older than the machine's current one."""
    try:
        text = sfn.describe_state_machine_for_execution(executionArn=execution["executionArn"])[
            "definition"
        ]
    except ClientError:
        text = sfn.describe_state_machine(stateMachineArn=execution["stateMachineArn"])[
            "definition"
        ]
    parsed = json.loads(text)
    return parsed if isinstance(parsed, dict) else {}


def report_from_aws(
    execution_arn: str,
    out_dir: Path,
    session: boto3.Session,
    *,
    tables: Mapping[str, str] | None = None,
    output_bucket: str | None = None,
) -> Path:
    """Fetch one execution into out_dir/<video>/ and write its report.html and the index.

    `tables` maps a file name (records/<name>.json) to a table name; without it, the tables
    are the ones the execution's DynamoDB tasks name. `output_bucket` defaults to the bucket
    the execution's Transcribe task wrote to. Returns the report's path.
    """
    sfn = session.client("stepfunctions")
    execution = dict(sfn.describe_execution(executionArn=execution_arn))
    execution.pop("ResponseMetadata", None)
    events = list(history_events(sfn, execution_arn, newest_first=False, include_data=True))
    definition = _definition(sfn, execution)
    runs = state_runs(events)
    video: dict[str, Any] = next(
        (
            dict(r.output["video"])
            for r in runs
            if isinstance(r.output, dict) and "video" in r.output
        ),
        {},
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = _folder(out_dir, video, execution)
    bucket = output_bucket or _output_bucket(events)
    video_id = str(video.get("videoId") or "")
    if bucket and video_id:
        _fetch_outputs(session.client("s3"), bucket, video, folder)
    if video_id:
        _fetch_records(session.client("dynamodb"), tables or _tables(events), video_id, folder)
    _write_emails(events, folder)
    dump_json(folder / "execution" / "history.json", events)
    dump_json(folder / "execution" / "states.json", [run.to_json() for run in runs])
    dump_json(folder / "execution" / "execution.json", execution)
    dump_json(folder / "execution" / "definition.json", definition)
    report = build_video_report(folder, definition)
    build_index(out_dir)
    return report
