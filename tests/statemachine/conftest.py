"""The real ASL on the local engine, with service responses scripted in the MockConfigFile."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer

from reelscribe.results import StateRun, state_runs
from reelscribe.runtime.local import LocalRuntime, Notification

ROOT = Path(__file__).resolve().parents[2]
MOCK_CONFIG = ROOT / "statemachine" / "test" / "MockConfigFile.json"
_deserializer = TypeDeserializer()


@dataclass
class Outcome:
    status: str
    description: dict[str, Any]
    events: list[dict[str, Any]]
    runs: list[StateRun]

    @property
    def states(self) -> list[str]:
        return [run.name for run in self.runs]

    @property
    def event_types(self) -> list[str]:
        return [str(event["type"]) for event in self.events]

    def run(self, name: str) -> StateRun:
        return next(r for r in self.runs if r.name == name)

    @property
    def video(self) -> dict[str, Any]:
        return dict(self.run("Parse Upload").output["video"])


class Pipeline:
    def __init__(self, runtime: LocalRuntime) -> None:
        self.runtime = runtime

    def upload_event(
        self, key: str = "alice/clip.mp4", body: bytes = b"not inspected"
    ) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "upload.bin"
            path.write_bytes(body)
            return self.runtime.upload(path, key)

    def start(self, event: dict[str, Any], case: str | None) -> str:
        (arn,) = self.runtime.dispatch(event, "case", test_case=case)
        return arn

    def outcome(self, arn: str, timeout: float = 120) -> Outcome:
        description = self.runtime.wait(arn, timeout=timeout)
        events = self.runtime.history(arn)
        return Outcome(str(description["status"]), description, events, state_runs(events))

    def run(self, case: str | None, key: str = "alice/clip.mp4") -> Outcome:
        return self.outcome(self.start(self.upload_event(key), case))

    def items(self, logical_id: str) -> list[dict[str, Any]]:
        client = self.runtime.session.client("dynamodb")
        table = self.runtime.deployment.tables[logical_id]
        raw = client.scan(TableName=table)["Items"]
        return [{k: _deserializer.deserialize(v) for k, v in item.items()} for item in raw]

    def json_object(self, key: str) -> Any:
        body = self.runtime.s3.get_object(Bucket=self.runtime.output_bucket, Key=key)["Body"]
        return json.loads(body.read())

    def notifications(self, status: str | None = None) -> list[Notification]:
        return [
            n
            for n in self.runtime.notifications
            if status is None or n.attributes.get("status") == status
        ]


@pytest.fixture
def pipeline() -> Iterator[Pipeline]:
    with LocalRuntime(ROOT / "template.yaml", mock_config_file=MOCK_CONFIG) as runtime:
        yield Pipeline(runtime)


def mocked_response(name: str) -> Any:
    """A scripted response, read from the MockConfigFile rather than retyped."""
    config = json.loads(MOCK_CONFIG.read_text())
    return config["MockedResponses"][name]
