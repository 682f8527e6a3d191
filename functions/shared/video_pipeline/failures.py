"""Which state failed, with which error, and why, in words a person understands."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

_FAILURE_DETAILS = (
    "taskFailedEventDetails",
    "taskTimedOutEventDetails",
    "taskStartFailedEventDetails",
    "taskSubmitFailedEventDetails",
    "lambdaFunctionFailedEventDetails",
    "lambdaFunctionTimedOutEventDetails",
    "lambdaFunctionStartFailedEventDetails",
    "lambdaFunctionScheduleFailedEventDetails",
    "activityFailedEventDetails",
)
REASON_CHARACTERS = 500
_SERVICE_SUFFIX = re.compile(r"\s*\((Service|Status Code|Request ID)[^)]*\)\s*$")


class Failure(BaseModel):
    state: str
    error: str
    cause: str
    reason: str


def failed_state(events_newest_first: Iterable[dict[str, Any]]) -> str | None:
    """Walk the history back from the newest failure event to the state it happened in."""
    seen_failure = False
    for event in events_newest_first:
        if not seen_failure and any(key in event for key in _FAILURE_DETAILS):
            seen_failure = True
        elif seen_failure and "stateEnteredEventDetails" in event:
            return str(event["stateEnteredEventDetails"]["name"])
    return None


def plain_reason(cause: str) -> str:
    """Lambda causes are JSON with errorMessage; SDK causes end in '(Service: ...)'."""
    try:
        parsed = json.loads(cause)
    except (ValueError, TypeError):
        parsed = None
    if isinstance(parsed, dict) and parsed.get("errorMessage"):
        return str(parsed["errorMessage"])
    text = _SERVICE_SUFFIX.sub("", cause or "").strip()
    if len(text) > REASON_CHARACTERS:
        # Runtime errors quote the whole state input; the full cause stays in the record.
        text = text[:REASON_CHARACTERS].rstrip() + " ..."
    return text or "No cause was given."


def describe(error: dict[str, Any], state_from_history: str | None) -> Failure:
    name = str(error.get("Error") or "States.Unknown")
    cause = str(error.get("Cause") or "")
    state = str(error.get("State") or state_from_history or "Unknown state")
    return Failure(state=state, error=name, cause=cause, reason=plain_reason(cause))
