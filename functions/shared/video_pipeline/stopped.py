"""Executions that were stopped or timed out: they ran no failure path of their own.

Step Functions announces them with a "Step Functions Execution Status Change" event. From it
and the execution's history come what Describe Failure gives a failed one: the state it was
in, the error and the cause, for the FAILED record and the failure email.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

# Step Functions' own names for the two ways an execution ends without failing.
_ERRORS = {"ABORTED": "States.Aborted", "TIMED_OUT": "States.Timeout"}
_REASONS = {
    "ABORTED": "The execution was stopped before it finished.",
    "TIMED_OUT": "The execution ran past its time limit.",
}


class ExecutionStatusChange(BaseModel):
    """The detail of a "Step Functions Execution Status Change" event."""

    executionArn: str
    stateMachineArn: str
    status: str
    error: str | None = None
    cause: str | None = None


def stopped_state(
    change: ExecutionStatusChange, history_newest_first: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The state data Describe Failure takes: the video, if the execution had decoded it, and
    the error with the state the execution was in when it ended."""
    state_name = None
    video = None
    for event in history_newest_first:
        if state_name is None and "stateEnteredEventDetails" in event:
            state_name = str(event["stateEnteredEventDetails"]["name"])
        output = (event.get("stateExitedEventDetails") or {}).get("output")
        if video is None and output:
            video = _video_in(output)
        if state_name is not None and video is not None:
            break
    error = {
        "Error": change.error or _ERRORS.get(change.status, "States.Unknown"),
        "Cause": change.cause or _REASONS.get(change.status, f"The execution {change.status}."),
        "State": state_name or "the start of the execution",
    }
    return {"error": error, **({"video": video} if video else {})}


def _video_in(output: str) -> dict[str, Any] | None:
    try:
        data = json.loads(output)
    except ValueError:
        return None
    video = data.get("video") if isinstance(data, dict) else None
    return video if isinstance(video, dict) and video.get("videoId") else None
