"""An execution's history read the way the Step Functions console shows it: state by state."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

_FAILURE_KEYS = (
    "taskFailedEventDetails",
    "taskTimedOutEventDetails",
    "taskStartFailedEventDetails",
    "taskSubmitFailedEventDetails",
    "lambdaFunctionFailedEventDetails",
    "lambdaFunctionStartFailedEventDetails",
    "lambdaFunctionTimedOutEventDetails",
    "lambdaFunctionScheduleFailedEventDetails",
    "activityFailedEventDetails",
    "executionFailedEventDetails",
)
_SCHEDULED = {"TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"}


@dataclass
class StateRun:
    name: str
    kind: str
    entered: datetime
    exited: datetime | None = None
    status: str = "RUNNING"  # SUCCEEDED, FAILED, CAUGHT (failed, then handled by a Catch), RUNNING
    attempts: int = 0
    error: str | None = None
    cause: str | None = None
    input: Any = None
    output: Any = None
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float | None:
        return None if self.exited is None else (self.exited - self.entered).total_seconds()

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["entered"] = self.entered.isoformat()
        data["exited"] = self.exited.isoformat() if self.exited else None
        data["seconds"] = self.seconds
        data["retries"] = self.retries
        return data


def _parse(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def state_runs(events: list[dict[str, Any]]) -> list[StateRun]:
    runs: list[StateRun] = []
    current: StateRun | None = None
    for event in events:
        kind = str(event["type"])
        if kind.endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            current = StateRun(
                name=details["name"],
                kind=kind.removesuffix("StateEntered"),
                entered=event["timestamp"],
                input=_parse(details.get("input")),
            )
            runs.append(current)
            if kind == "FailStateEntered":
                current.status = "FAILED"
            continue
        if current is None:
            continue
        if kind in _SCHEDULED:
            current.attempts += 1
        for key in _FAILURE_KEYS:
            if key in event:
                details = event[key]
                failure = {
                    "error": str(details.get("error", "")),
                    "cause": str(details.get("cause", "")),
                }
                current.failures.append(failure)
                current.error, current.cause = failure["error"], failure["cause"]
        if kind.endswith("StateExited"):
            current.exited = event["timestamp"]
            current.output = _parse(event["stateExitedEventDetails"].get("output"))
            if current.status != "FAILED":
                current.status = "CAUGHT" if current.error and _was_caught(current) else "SUCCEEDED"
        elif kind == "ExecutionFailed" and current.status == "RUNNING":
            current.status, current.exited = "FAILED", event["timestamp"]
        elif kind.startswith("Execution") and current.exited is None and kind != "ExecutionStarted":
            current.exited = event["timestamp"]
            if current.status == "RUNNING":
                current.status = "SUCCEEDED"
    return runs


def _was_caught(run: StateRun) -> bool:
    """A state that failed and still exited either recovered by Retry or was caught."""
    return len(run.failures) >= run.attempts > 0 or run.kind != "Task"
