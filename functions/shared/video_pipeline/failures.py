"""Which state failed, with which error, and why, in words a person understands."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

# The history event details that say a state's work failed, as GetExecutionHistory names them.
STATE_FAILURE_KEYS = (
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
# ...and every failure a history records, the execution's own included.
FAILURE_DETAIL_KEYS = (*STATE_FAILURE_KEYS, "executionFailedEventDetails")
REASON_CHARACTERS = 500
NO_CAUSE = "No cause was given."
_SERVICE_SUFFIX = re.compile(r"\s*\((Service|Status Code|Request ID)[^)]*\)\s*$")
_BOTO_PREFIX = re.compile(
    r"^An error occurred \([^)]*\) when calling the \w+ operation"
    r"(?: \(reached max retries: \d+\))?: "
)


class Failure(BaseModel):
    state: str
    error: str
    cause: str
    reason: str


def failed_state(events_newest_first: Iterable[dict[str, Any]]) -> str | None:
    """Walk the history back from the newest failure event to the state it happened in."""
    seen_failure = False
    for event in events_newest_first:
        if not seen_failure and any(key in event for key in STATE_FAILURE_KEYS):
            seen_failure = True
        elif seen_failure and "stateEnteredEventDetails" in event:
            return str(event["stateEnteredEventDetails"]["name"])
    return None


def plain_cause(cause: object, limit: int = REASON_CHARACTERS) -> str:
    """A cause as a person reads it, or "" for none: a Lambda error's message rather than its
    JSON and stack trace, without botocore's "An error occurred (...) when calling ..."
    preamble or an SDK integration's "(Service: ...)" suffix, and at most `limit` characters:
    runtime errors quote the whole state input, and the full cause stays in the record."""
    text = str(cause or "").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("errorMessage"):
        text = str(parsed["errorMessage"])
    text = _SERVICE_SUFFIX.sub("", _BOTO_PREFIX.sub("", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_reason(cause: str) -> str:
    """The reason a record and an email give: the plain cause, or that there was none."""
    return plain_cause(cause) or NO_CAUSE


def describe(error: dict[str, Any], state_from_history: str | None) -> Failure:
    name = str(error.get("Error") or "States.Unknown")
    cause = str(error.get("Cause") or "")
    state = str(error.get("State") or state_from_history or "Unknown state")
    return Failure(state=state, error=name, cause=cause, reason=plain_reason(cause))
