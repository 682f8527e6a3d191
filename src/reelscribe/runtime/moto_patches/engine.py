"""What the runtime reads from moto in place: executions and their history, read from the
engine rather than paged through the API; S3's objects, for the folders a run writes; and
EventBridge's pattern matcher."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moto.events.models import EventPattern
from moto.s3.models import FakeBucket, FakeKey, s3_backends
from moto.stepfunctions.parser.models import stepfunctions_parser_backends

if TYPE_CHECKING:  # the results package is the reader's, not the runtime's, to import
    from ...results.objects import StoredObject


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


class EmulatedObjects:
    """The emulated S3's objects as ListObjectsV2 and GetObject answer (each key's current
    version, delete markers left out), read in place. Through the API, each of a video's
    twenty-odd outputs and each listing was a request through botocore and moto (1.5-2.5 ms of
    the interpreter apiece), on the thread that also starts the next video: about 65 ms a video,
    just when two videos hand over."""

    def __init__(self, account: str, partition: str = "aws") -> None:
        self._account, self._partition = account, partition

    def _bucket(self, name: str) -> FakeBucket:
        bucket: FakeBucket = s3_backends[self._account][self._partition].get_bucket(name)
        return bucket

    def _current(self, bucket: str, prefix: str) -> list[tuple[str, FakeKey]]:
        keys = self._bucket(bucket).keys
        # list() of a dict is one call under the interpreter lock: other videos write meanwhile.
        names = [name for name in list(keys) if name.startswith(prefix)]
        current = ((name, keys.get(name)) for name in names)
        return sorted((name, key) for name, key in current if isinstance(key, FakeKey))

    def folders(self, bucket: str, prefix: str) -> list[str]:
        found = {
            prefix + name[len(prefix) :].split("/", 1)[0] + "/"
            for name, _ in self._current(bucket, prefix)
            if "/" in name[len(prefix) :]
        }
        return sorted(found)

    def objects(self, bucket: str, prefix: str) -> list[StoredObject]:
        from ...results.objects import StoredObject

        return [StoredObject(name, key.size) for name, key in self._current(bucket, prefix)]

    def copy(self, bucket: str, key: str, target: Path) -> None:
        found = self._bucket(bucket).keys.get(key)
        if not isinstance(found, FakeKey):
            raise FileNotFoundError(f"s3://{bucket}/{key} is gone")
        target.write_bytes(found.value)
