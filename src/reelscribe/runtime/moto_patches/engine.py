"""What the runtime reads from moto in place: executions and their history, read from the
engine rather than paged through the API, and EventBridge's pattern matcher."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from moto.events.models import EventPattern
from moto.stepfunctions.parser.models import stepfunctions_parser_backends


def _as_datetime(stamp: datetime | str) -> datetime:
    if isinstance(stamp, str):
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return stamp


def as_returned(event: Mapping[str, Any]) -> dict[str, Any]:
    """A history event as boto3 returns it: `type` a string, `timestamp` a datetime."""
    returned = dict(event)
    returned["type"] = str(getattr(event["type"], "value", event["type"]))
    returned["timestamp"] = _as_datetime(event["timestamp"])
    return returned


def _execution(account: str, region: str, execution_arn: str) -> Any:
    return stepfunctions_parser_backends[account][region].describe_execution(execution_arn)


def status(account: str, region: str, execution_arn: str) -> str:
    """The execution's status: cheap enough to ask many times a second."""
    return str(_execution(account, region, execution_arn).status)


def history(
    account: str, region: str, execution_arn: str, last: int | None = None
) -> list[dict[str, Any]]:
    """GetExecutionHistory's events, oldest first (only the `last` few, if given). A long poll
    loop makes hundreds of events, and serialising them for the API costs a third of a second
    a read."""
    events = list(_execution(account, region, execution_arn).to_history_output()["events"])
    return [as_returned(event) for event in (events[-last:] if last else events)]


def release(account: str, region: str, execution_arn: str) -> None:
    """Drop a finished execution's evaluation state (its history and every state's copies of
    its data) from the engine; what DescribeExecution says of it stays."""
    worker = getattr(_execution(account, region, execution_arn), "exec_worker", None)
    if worker is not None:
        worker.env = None


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether an EventBridge rule's pattern matches the event, by EventBridge's own rules."""
    return bool(EventPattern.load(json.dumps(pattern)).matches_event(event))  # type: ignore[arg-type]
