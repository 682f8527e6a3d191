"""An execution that ran on AWS as a source of its results, read with boto3.

What it can fetch: the execution and its history (Step Functions), the definition the execution
ran, the output objects of the video (S3), and the video's items in the template's tables
(DynamoDB). SNS keeps no copy of what it sent, so the emails are rebuilt from the Publish calls
in the history: the subject, message and attributes as published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from video_pipeline.execution_history import history_events

from .definition import tables_in
from .objects import ClientObjects
from .source import Message

_S3_OUTPUT = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/output/")
_SENDER = "reelscribe (Amazon SNS)"
_RECIPIENT = "the topic's subscribers"


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


class AwsSource:
    """One execution on AWS. `tables` maps the template's table logical IDs to table names;
    without it they come from the definition the execution ran, matched against the template's
    (`template`, else the project's). `output_bucket` defaults to the bucket the execution's
    Transcribe task wrote to."""

    def __init__(
        self,
        session: boto3.Session,
        execution_arn: str,
        *,
        tables: Mapping[str, str] | None = None,
        output_bucket: str | None = None,
        template: Path | None = None,
    ) -> None:
        self.execution_arn = execution_arn
        self._sfn = session.client("stepfunctions")
        self._session = session
        self._tables = dict(tables or {})
        self._bucket = output_bucket
        self._template = template
        self._described: dict[str, Any] | None = None
        self._definition: dict[str, Any] | None = None

    def execution(self) -> dict[str, Any]:
        if self._described is None:
            described = self._sfn.describe_execution(executionArn=self.execution_arn)
            self._described = dict(described)
        return self._described

    def history(self) -> list[dict[str, Any]]:
        return list(
            history_events(self._sfn, self.execution_arn, newest_first=False, include_data=True)
        )

    def definition(self) -> dict[str, Any]:
        """The definition this execution ran, which may be older than the machine's current one."""
        if self._definition is None:
            try:
                text = self._sfn.describe_state_machine_for_execution(
                    executionArn=self.execution_arn
                )["definition"]
            except ClientError:
                machine = self.execution()["stateMachineArn"]
                text = self._sfn.describe_state_machine(stateMachineArn=machine)["definition"]
            parsed = json.loads(text)
            self._definition = parsed if isinstance(parsed, dict) else {}
        return self._definition

    @property
    def objects(self) -> ClientObjects:
        return ClientObjects(self._session.client("s3"))

    def output_bucket(self, events: list[dict[str, Any]]) -> str | None:
        """Where the outputs went: the bucket Transcribe was told to write to, or any s3:// URI
        of an output/ key in the execution's data."""
        if self._bucket:
            return self._bucket
        for event in _scheduled(events, "aws-sdk:transcribe"):
            bucket = _parameters(event).get("OutputBucketName")
            if isinstance(bucket, str) and bucket:
                return bucket
        match = _S3_OUTPUT.search(json.dumps(events, default=str))
        return match.group(1) if match else None

    @property
    def dynamodb(self) -> Any:
        return self._session.client("dynamodb")

    def tables(self, events: list[dict[str, Any]]) -> Mapping[str, str]:
        """Named, else matched against the template; without a template, the tables the
        execution's DynamoDB tasks name, filed under their own names."""
        if self._tables:
            return self._tables
        found = tables_in(self.definition(), self._template)
        for event in [] if found else _scheduled(events, "dynamodb"):
            name = _parameters(event).get("TableName")
            if isinstance(name, str) and name:
                found.setdefault(name, name)
        return found

    def messages(self, video_id: str, events: list[dict[str, Any]]) -> list[Message]:
        return [
            Message.from_publish(
                _parameters(event),
                sent_at=event.get("timestamp"),
                sender=_SENDER,
                recipient=_RECIPIENT,
                headers={"X-Rebuilt-From": "the Publish call in the execution history"},
            )
            for event in _scheduled(events, "sns")
            if _succeeded(events, event)
        ]
