"""Function configuration, read once from the environment the template sets."""

from __future__ import annotations

import os

from pydantic import BaseModel, Field


class PipelineConfig(BaseModel):
    output_bucket: str = Field(alias="OUTPUT_BUCKET", default="")
    job_name_prefix: str = Field(alias="JOB_NAME_PREFIX", default="reelscribe")
    transcribe_language: str = Field(alias="TRANSCRIBE_LANGUAGE", default="auto")
    # Comma separated; the template's pattern has checked each code.
    transcribe_language_options: str = Field(alias="TRANSCRIBE_LANGUAGE_OPTIONS", default="")
    # auto or a track number; an upload's own audio-track metadata wins over it.
    audio_track: str = Field(alias="AUDIO_TRACK", default="auto")
    min_poll_seconds: int = Field(alias="MIN_POLL_SECONDS", default=5, ge=1)
    max_poll_seconds: int = Field(alias="MAX_POLL_SECONDS", default=60, ge=1)
    max_media_seconds: float = Field(alias="MAX_MEDIA_SECONDS", default=14400, gt=0)
    transcript_inline_bytes: int = Field(alias="TRANSCRIPT_INLINE_BYTES", default=65536, ge=1024)
    moderation_min_confidence: float = Field(
        alias="MODERATION_MIN_CONFIDENCE", default=80.0, ge=0, le=100
    )
    # Face search: the template's Rekognition collection and its FaceMatchThreshold.
    face_collection_id: str = Field(alias="FACE_COLLECTION_ID", default="")
    face_match_threshold: float = Field(alias="FACE_MATCH_THRESHOLD", default=80.0, ge=0, le=100)
    # The enrolled people's display names (video_pipeline.people).
    people_table: str = Field(alias="PEOPLE_TABLE", default="")
    # Only the function that reports stopped executions writes records and sends emails itself.
    videos_table: str = Field(alias="VIDEOS_TABLE", default="")
    failure_topic_arn: str = Field(alias="FAILURE_TOPIC_ARN", default="")
    # The library's index: the Aurora cluster the Data API reaches and the secret it signs in with.
    library_cluster_arn: str = Field(alias="LIBRARY_CLUSTER_ARN", default="")
    library_secret_arn: str = Field(alias="LIBRARY_SECRET_ARN", default="")
    library_database: str = Field(alias="LIBRARY_DATABASE", default="postgres")

    @property
    def language_options(self) -> list[str]:
        return [code for code in self.transcribe_language_options.split(",") if code]


def load_config() -> PipelineConfig:
    """Each handler calls this once, at import, as Lambda does at cold start."""
    return PipelineConfig.model_validate(dict(os.environ))
