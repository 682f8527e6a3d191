"""Describe Failure: the FAILED record's values and the failure notification."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .dynamo import to_attribute_values
from .failures import describe, failed_state
from .notifications import attributes_for, failure_message, sns_subject


def report_failure(
    state: dict[str, Any],
    execution_arn: str,
    history_newest_first: Iterable[dict[str, Any]],
    now: datetime | None = None,
) -> dict[str, Any]:
    error = state.get("error") or {}
    failure = describe(error, None if error.get("State") else failed_state(history_newest_first))
    video = state.get("video") or {}
    file_name = video.get("fileName")
    timestamp = (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
    report: dict[str, Any] = failure.model_dump()
    report["subject"] = sns_subject(
        f"reelscribe: {file_name or 'an upload'} failed in {failure.state}"
    )
    report["message"] = failure_message(
        file_name=file_name,
        source=video.get("sourceUri"),
        state=failure.state,
        error=failure.error,
        reason=failure.reason,
        execution=execution_arn,
        noun=_media_noun(state),
    )
    report["attributes"] = attributes_for(
        "FAILED",
        userId=video.get("userId"),
        videoId=video.get("videoId"),
        failedState=failure.state,
        error=failure.error,
    )
    report["values"] = to_attribute_values(
        {
            ":status": "FAILED",
            ":failure": {
                "state": failure.state,
                "error": failure.error,
                "reason": failure.reason,
                "cause": failure.cause[:4000],
                "execution": execution_arn,
            },
            ":updatedAt": timestamp,
        }
    )
    return report


def _media_noun(state: dict[str, Any]) -> str:
    """What the upload is, as far as the execution got: a picture is told by its name, audio
    and video by the probe; before the probe it is a file."""
    if (state.get("video") or {}).get("isImage"):
        return "picture"
    kind = ((state.get("plan") or {}).get("media") or {}).get("kind")
    return {"audio": "audio file", "video": "video"}.get(str(kind), "file")
