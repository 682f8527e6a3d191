"""An execution's history read the way the Step Functions console shows it: state by state."""

from __future__ import annotations

from typing import Any

from video_pipeline.failures import FAILURE_DETAIL_KEYS

from ..jsonfiles import from_json
from .models import FailureDetail, StateRun
from .status import Status

# A state still open when the execution ends ends with it.
_ENDED_BY = {
    "ExecutionFailed": Status.FAILED,
    "ExecutionAborted": Status.ABORTED,
    "ExecutionTimedOut": Status.TIMED_OUT,
}
_SCHEDULED = {"TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"}


def _parse(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return from_json(text)
    except ValueError:
        return text


def state_runs(events: list[dict[str, Any]]) -> list[StateRun]:
    """Group events by the state they belong to. Parallel branches interleave their events, so
    an event is placed by its previousEventId chain, and a StateExited by the state's name."""
    runs: list[StateRun] = []
    owner: dict[int, StateRun] = {}
    for event in events:
        kind = str(event["type"])
        previous = owner.get(int(event.get("previousEventId") or 0))
        if kind.endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            run = StateRun(
                name=details["name"],
                kind=kind.removesuffix("StateEntered"),
                entered=event["timestamp"],
                input=_parse(details.get("input")),
            )
            runs.append(run)
            if kind == "FailStateEntered":
                run.status = Status.FAILED
            owner[int(event["id"])] = run
            continue
        if kind.endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            # The event before an exit is the run's own (its task's result), which keeps a
            # Map's iterations of one state apart; by name is the fallback for a short history.
            exiting = (
                previous
                if previous is not None and previous.name == name and previous.exited is None
                else next((r for r in reversed(runs) if r.name == name and r.exited is None), None)
            )
            if exiting is None:
                continue
            run = exiting
            run.exited = event["timestamp"]
            run.output = _parse(event["stateExitedEventDetails"].get("output"))
            if run.status != Status.FAILED:
                caught = run.error and _was_caught(run)
                run.status = Status.CAUGHT if caught else Status.SUCCEEDED
            owner[int(event["id"])] = run
            continue
        if kind.startswith("Execution"):
            for run in runs:
                if run.exited is None and kind != "ExecutionStarted":
                    run.exited = event["timestamp"]
                    if run.status == Status.RUNNING:
                        run.status = _ENDED_BY.get(kind, Status.SUCCEEDED)
            continue
        attached = previous or (runs[-1] if runs else None)
        if attached is None:
            continue
        run = attached
        owner[int(event["id"])] = run
        if kind in _SCHEDULED:
            run.attempts += 1
        for key in FAILURE_DETAIL_KEYS:
            if key in event:
                details = event[key]
                failure = FailureDetail(
                    error=str(details.get("error", "")), cause=str(details.get("cause", ""))
                )
                run.failures.append(failure)
                run.error, run.cause = failure.error, failure.cause
    return runs


def _was_caught(run: StateRun) -> bool:
    """A state that failed and still exited either recovered by Retry or was caught."""
    return len(run.failures) >= run.attempts > 0 or run.kind != "Task"


def video_of(runs: list[StateRun]) -> dict[str, Any]:
    """The upload as the execution decoded it: the first state output that carries it."""
    return next((video for run in runs if (video := run.video) is not None), {})
