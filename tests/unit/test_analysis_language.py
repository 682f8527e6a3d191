"""The analysis branches use the language Transcribe heard: Comprehend's code for it, or
UNSUPPORTED_LANGUAGE, said plainly, where Comprehend analyses no such language."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.support.transcripts import sample_transcribe_document
from video_pipeline.analysis_branches import (
    UNSUPPORTED_LANGUAGE,
    AnalysisRequest,
    comprehend_language,
    detect_sentiment,
)
from video_pipeline.upload import Video


@pytest.mark.parametrize(
    ("transcribe", "comprehend"),
    [
        ("en-US", "en"),
        ("es-US", "es"),
        ("es-ES", "es"),
        ("fr-CA", "fr"),
        ("de-CH", "de"),
        ("pt-PT", "pt"),
        ("zh-CN", "zh"),
        ("zh-TW", "zh-TW"),
        ("zh-HK", "zh-TW"),
        ("sv-SE", None),
        ("jv-ID", None),
    ],
)
def test_comprehend_language_transcribe_code_maps_to_comprehend_or_none(
    transcribe: str, comprehend: str | None
) -> None:
    assert comprehend_language(transcribe) == comprehend


class _S3:
    """An in-memory bucket holding one document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._body = json.dumps(document).encode()
        self.exceptions = type("Exceptions", (), {"ClientError": KeyError})

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": io.BytesIO(self._body)}


class _RefusingComprehend:
    def batch_detect_sentiment(self, **_: Any) -> dict[str, Any]:
        raise AssertionError("Comprehend was called for a language it does not analyse")


def test_detect_sentiment_swedish_transcript_is_unsupported_language_without_a_call() -> None:
    # Given a transcript Transcribe identified as Swedish
    document = sample_transcribe_document()
    document["results"]["language_code"] = "sv-SE"
    video = Video.model_validate(
        {
            "bucket": "uploads",
            "key": "alice/tal.mp4",
            "userId": "alice",
            "baseName": "tal",
            "fileName": "tal.mp4",
            "extension": "mp4",
            "videoId": "0123456789abcdef",
            "sourceUri": "s3://uploads/alice/tal.mp4",
            "size": 1024,
            "uploadedAt": "2026-12-02T05:00:00Z",
        }
    )
    request = AnalysisRequest(video=video, transcriptKey="t.json", languageCode="sv-SE")
    # When the sentiment branch runs / Then it says so rather than calling Comprehend
    part = detect_sentiment(_S3(document), _RefusingComprehend(), "out", request)
    assert part == {"part": "sentiment", "available": True, "status": UNSUPPORTED_LANGUAGE}
