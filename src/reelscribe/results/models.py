"""The files of a result folder, as models: `runs.json`, `execution/states.json`,
`execution/execution.json` and the DynamoDB items under `records/`.

Every model reads leniently: a folder written by an older version, or a file cut short, gives
what can be read rather than an error, and the report says what is missing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from video_pipeline.failures import Failure

from .status import Status

# The template's logical IDs of the two tables a video's records come from. Records are filed
# under them (records/<logical id>.json) whether they were read locally or from AWS.
VIDEOS_TABLE = "VideosTable"
METADATA_TABLE = "MetadataTable"
PREVIEW_CHARACTERS = 150


def failure_from(report: Any) -> Failure | None:
    """A failure as records, runs.json and Describe Failure write it; None without a state."""
    if not isinstance(report, dict) or not report.get("state"):
        return None
    reason = str(report.get("reason") or report.get("cause") or "")
    return Failure(
        state=str(report.get("state") or ""),
        error=str(report.get("error") or ""),
        cause=str(report.get("cause") or reason),
        reason=reason,
    )


class FailureDetail(BaseModel):
    """One failure event of a state run: a try that a Retry or Catch may have handled."""

    error: str = ""
    cause: str = ""


class StateRun(BaseModel):
    """One run of one state (an entry of execution/states.json): a poll loop's states have
    many."""

    name: str
    kind: str = ""
    entered: datetime
    exited: datetime | None = None
    # RUNNING until it exits; ABORTED or TIMED_OUT when the execution stopped while in it.
    status: Status = Status.RUNNING
    attempts: int = 0
    error: str | None = None
    cause: str | None = None
    input: Any = None
    output: Any = None
    failures: list[FailureDetail] = Field(default_factory=list)

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, value: Any) -> Status:
        return Status.parse(value) or Status.RUNNING

    @property
    def seconds(self) -> float | None:
        return None if self.exited is None else (self.exited - self.entered).total_seconds()

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)

    @property
    def video(self) -> dict[str, Any] | None:
        """The upload as Parse Upload decoded it, when this run's output carries it."""
        if isinstance(self.output, dict) and isinstance(self.output.get("video"), dict):
            return dict(self.output["video"])
        return None

    def to_json(self) -> dict[str, Any]:
        # Not model_dump(): it copies every input and output, megabytes in a long poll loop.
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data["entered"] = self.entered.isoformat()
        data["exited"] = self.exited.isoformat() if self.exited else None
        data["failures"] = [dict(f) for f in self.failures]
        data["seconds"] = self.seconds
        data["retries"] = self.retries
        return data


class Execution(BaseModel):
    """DescribeExecution's answer, as execution/execution.json keeps it."""

    model_config = ConfigDict(extra="allow")

    executionArn: str = ""
    name: str = ""
    status: Status | None = None
    startDate: datetime | None = None
    stopDate: datetime | None = None
    input: str | None = None
    error: str | None = None
    cause: str | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, value: Any) -> Status | None:
        return Status.parse(value)


class BatchEntry(BaseModel):
    """One video of a run, as runs.json lists it."""

    source: str = ""
    status: Status | None = None
    folder: str = ""
    seconds: float | None = None
    execution: str = ""
    failure: Failure | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, value: Any) -> Status | None:
        return Status.parse(value)

    @field_validator("failure", mode="before")
    @classmethod
    def _failure(cls, value: Any) -> Failure | None:
        return value if isinstance(value, Failure) else failure_from(value)

    @field_serializer("failure")
    def _failure_or_empty(self, failure: Failure | None) -> dict[str, str]:
        # A video that did not fail has an empty failure, as runs.json always wrote it.
        return failure.model_dump() if failure else {}


class VideoItem(BaseModel):
    """The videos table's item for a video: how its processing went, and what it found."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    status: str = ""
    duration_seconds: float | None = Field(default=None, alias="durationSeconds")
    language_code: str = Field(default="", alias="languageCode")
    no_audio: bool = Field(default=False, alias="noAudio")
    # What is on screen: set when the picture was analysed (visionKey names the merged view).
    vision_key: str = Field(default="", alias="visionKey")
    shot_count: int | None = Field(default=None, alias="shotCount")
    on_screen_text: str = Field(default="", alias="onScreenText")
    needs_review: bool = Field(default=False, alias="needsReview")
    review_labels: list[str] = Field(default_factory=list, alias="reviewLabels")


class MetadataItem(BaseModel):
    """The metadata table's item for a video with speech: the transcript (or a preview of
    one too long to keep inline) and what the analysis found in it."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    transcript: str = ""
    sentiment: str = Field(default="", alias="Sentiment")
    key_phrases: list[str] = Field(default_factory=list, alias="KeyPhrases")

    @property
    def transcript_preview(self) -> str:
        """The transcript's start, as the summary prints it."""
        text = self.transcript
        return f"{text[:PREVIEW_CHARACTERS]} ..." if len(text) > PREVIEW_CHARACTERS else text
