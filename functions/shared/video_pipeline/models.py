"""The state machine's payloads to and from the functions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .media import MediaKind
from .plan import TranscribePlan
from .transcript_record import TranscriptSummary
from .upload import Video


class PlanRequest(BaseModel):
    video: Video
    probe: dict[str, Any]
    mediaKind: MediaKind = "video"  # what "What Kind of Media Is It?" chose
    upload: dict[str, Any] = {}  # Read Upload Options: S3 HeadObject's response

    @property
    def upload_metadata(self) -> dict[str, str]:
        """The upload's user metadata (x-amz-meta-*), by lowercased name."""
        return {str(k): str(v) for k, v in (self.upload.get("Metadata") or {}).items()}


class ImageRequest(BaseModel):
    video: Video


class ImageSummaryRequest(BaseModel):
    video: Video
    image: dict[str, Any]  # Make Image Renditions' result
    vision: list[dict[str, Any]]  # Analyze Image's branches, in the Parallel's order
    faceSearch: dict[str, Any] | None = None  # Search Image Faces' branch


class TranscriptionJob(BaseModel):
    """GetTranscriptionJob's TranscriptionJob, as far as it is read: its LanguageCode is the
    transcript's language for every job, where the document names it only when identified."""

    LanguageCode: str = ""
    IdentifiedLanguageScore: float | None = None


class ReadTranscriptRequest(BaseModel):
    video: Video
    transcribe: TranscribePlan
    job: TranscriptionJob = TranscriptionJob()


class SummaryRequest(BaseModel):
    video: Video
    plan: dict[str, Any]
    transcript: TranscriptSummary | None = None
    analysis: dict[str, Any] | None = None  # Store Analysis's result: {"summary", "values"}
    vision: dict[str, Any] | None = None  # Summarize Vision's result


class FailureRequest(BaseModel):
    state: dict[str, Any]
    executionArn: str
