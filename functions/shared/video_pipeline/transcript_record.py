"""Reading Amazon Transcribe's output document and turning it into the metadata record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .errors import TranscriptReadError
from .transcribe_output import document_items, read_items

PREVIEW_CHARACTERS = 2000


class TranscriptSummary(BaseModel):
    jobName: str
    transcript: str
    languageCode: str
    languageScores: dict[str, float]
    wordCount: int
    durationSeconds: float
    averageConfidence: float | None
    # Identification clearly heard another language than the one given (language_check.py).
    languageWarning: str = ""


def parse_transcript(
    document: bytes | str | Mapping[str, Any],
    *,
    language_code: str = "",
    language_warning: str = "",
) -> TranscriptSummary:
    """The summary of a Transcribe document, given as its JSON text or already loaded.

    `language_code` is the job's (GetTranscriptionJob's LanguageCode): the document itself
    names its language only when the job identified it."""
    try:
        data = document if isinstance(document, Mapping) else json.loads(document)
        results = data["results"]
        transcripts = results.get("transcripts") or [{"transcript": ""}]
        text = str(transcripts[0].get("transcript", ""))
        scores = {
            str(entry["code"]): float(entry["score"])
            for entry in results.get("language_identification") or []
            if "code" in entry and "score" in entry
        }
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise TranscriptReadError(
            f"The transcript is not a Transcribe document: {error}"
        ) from error
    words = [item for item in read_items(document_items(data)) if item.spoken]
    confidences = [word.confidence for word in words if word.confidence is not None]
    end_times = [word.end for word in words if word.end is not None]
    identified = max(scores, key=scores.__getitem__) if scores else ""
    language = language_code or str(results.get("language_code") or identified)
    return TranscriptSummary(
        jobName=str(data.get("jobName", "")),
        transcript=text,
        languageCode=language,
        languageScores=scores,
        wordCount=len(words),
        durationSeconds=round(max(end_times, default=0.0), 3),
        averageConfidence=round(sum(confidences) / len(confidences), 4) if confidences else None,
        languageWarning=language_warning,
    )


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def metadata_item(
    summary: TranscriptSummary,
    *,
    json_key: str,
    json_uri: str,
    user_id: str,
    video_id: str,
    inline_limit_bytes: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The metadata table item. A transcript too big to keep inline is stored as a preview
    plus the S3 pointer, so the item stays far below DynamoDB's 400 KB limit."""
    size = len(summary.transcript.encode("utf-8"))
    truncated = size > inline_limit_bytes
    item: dict[str, Any] = {
        "JsonFile": json_key,
        "transcript": summary.transcript[:PREVIEW_CHARACTERS] if truncated else summary.transcript,
        "transcriptTruncated": truncated,
        "transcriptBytes": size,
        "transcriptUri": json_uri,
        "userId": user_id,
        "videoId": video_id,
        "jobName": summary.jobName,
        "languageCode": summary.languageCode,
        "languageScores": {k: _decimal(v) for k, v in summary.languageScores.items()},
        "wordCount": summary.wordCount,
        "durationSeconds": _decimal(summary.durationSeconds),
        "createdAt": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
    }
    if summary.averageConfidence is not None:
        item["averageConfidence"] = _decimal(summary.averageConfidence)
    if summary.languageWarning:
        item["languageWarning"] = summary.languageWarning
    return item
