"""Reading Transcribe's output and turning it into the metadata table's item."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.support.transcripts import sample_transcribe_document
from video_pipeline.dynamo import to_attribute_values
from video_pipeline.errors import TranscriptReadError
from video_pipeline.language_check import mismatch_warning
from video_pipeline.transcript_record import (
    PREVIEW_CHARACTERS,
    TranscriptSummary,
    metadata_item,
    parse_transcript,
)

INLINE_LIMIT = 65536  # the template's TRANSCRIPT_INLINE_BYTES
DYNAMODB_ITEM_LIMIT = 400 * 1024
NOW = datetime(2026, 11, 22, 10, 20, tzinfo=UTC)

# (content, start, end, confidence); punctuation has no times, as Transcribe writes it
HELLO_WORLD: list[tuple[str, float | None, float | None, float | None]] = [
    ("Hello", 0.5, 0.89, 0.99),
    (",", None, None, None),
    ("world", 1.0, 1.4, 0.91),
    (".", None, None, None),
    ("I", 2.0, 2.1, 0.98),
    ("don't", 2.1, 2.4, 0.88),
    ("know", 2.4, 2.9, 0.94),
    ("!", None, None, None),
]


def transcribe_document(
    words: list[tuple[str, float | None, float | None, float | None]],
    *,
    language_code: str | None = "en-US",
    identification: dict[str, float] | None = None,
    job_name: str = "reelscribe-5b1c0ffee0ddba11",
) -> dict[str, Any]:
    """A Transcribe output document: every number is a string, as the service writes it."""
    items: list[dict[str, Any]] = []
    text = ""
    for index, (content, start, end, confidence) in enumerate(words):
        if start is None:
            items.append(
                {
                    "id": index,
                    "type": "punctuation",
                    "alternatives": [{"confidence": "0.0", "content": content}],
                }
            )
            text += content
        else:
            items.append(
                {
                    "id": index,
                    "type": "pronunciation",
                    "alternatives": [{"confidence": str(confidence), "content": content}],
                    "start_time": str(start),
                    "end_time": str(end),
                }
            )
            text += (" " if text else "") + content
    results: dict[str, Any] = {"transcripts": [{"transcript": text}], "items": items}
    if language_code is not None:
        results["language_code"] = language_code
    if identification is not None:
        results["language_identification"] = [
            {"score": str(score), "code": code} for code, score in identification.items()
        ]
    results["audio_segments"] = [
        {
            "id": 0,
            "transcript": text,
            "start_time": "0.5",
            "end_time": "2.9",
            "items": list(range(len(items))),
        }
    ]
    return {
        "jobName": job_name,
        "accountId": "123456789012",
        "status": "COMPLETED",
        "results": results,
    }


def _summary(transcript: str) -> TranscriptSummary:
    return TranscriptSummary(
        jobName="reelscribe-5b1c0ffee0ddba11",
        transcript=transcript,
        languageCode="en-US",
        languageScores={"en-US": 0.97},
        wordCount=len(transcript.split()),
        durationSeconds=42.5,
        averageConfidence=0.93,
    )


def _item(transcript: str, limit: int = INLINE_LIMIT) -> dict[str, Any]:
    key = "output/transcribe/alice/5b1c0ffee0ddba11/portrait-clip.json"
    return metadata_item(
        _summary(transcript),
        json_key=key,
        json_uri=f"s3://reelscribe-outputbucket/{key}",
        user_id="alice",
        video_id="5b1c0ffee0ddba11",
        inline_limit_bytes=limit,
        now=NOW,
    )


# ------------------------------------------------------------------ parse_transcript


def test_parse_transcript_document_gives_text_and_counts_only_spoken_words() -> None:
    summary = parse_transcript(json.dumps(transcribe_document(HELLO_WORLD)))

    assert summary.transcript == "Hello, world. I don't know!"
    assert summary.wordCount == 5
    assert summary.jobName == "reelscribe-5b1c0ffee0ddba11"
    assert summary.languageCode == "en-US"


def test_parse_transcript_string_numbers_give_confidence_and_duration() -> None:
    summary = parse_transcript(json.dumps(transcribe_document(HELLO_WORLD)).encode())

    assert summary.averageConfidence == pytest.approx(
        (0.99 + 0.91 + 0.98 + 0.88 + 0.94) / 5, abs=1e-4
    )
    assert summary.durationSeconds == pytest.approx(2.9)


def test_parse_transcript_language_identification_gives_scores() -> None:
    document = transcribe_document(
        HELLO_WORLD, identification={"en-US": 0.9741, "en-GB": 0.0192, "de-DE": 0.0067}
    )

    summary = parse_transcript(json.dumps(document))

    assert summary.languageScores == pytest.approx(
        {"en-US": 0.9741, "en-GB": 0.0192, "de-DE": 0.0067}
    )
    assert summary.languageCode == "en-US"


def test_parse_transcript_no_language_code_takes_the_best_identified_language() -> None:
    document = transcribe_document(
        HELLO_WORLD, language_code=None, identification={"en-GB": 0.31, "de-DE": 0.64}
    )

    assert parse_transcript(json.dumps(document)).languageCode == "de-DE"


def test_parse_transcript_sample_event_gives_its_words() -> None:
    document = sample_transcribe_document()

    summary = parse_transcript(json.dumps(document))

    assert summary.transcript == document["results"]["transcripts"][0]["transcript"]
    assert summary.wordCount == 11
    assert summary.durationSeconds == pytest.approx(4.27)
    assert summary.languageScores["en-US"] == pytest.approx(0.9741)


def test_parse_transcript_empty_transcript_parses_to_nothing_said() -> None:
    # Given silence: Transcribe completes with an empty transcript and no items
    document = {
        "jobName": "reelscribe-x",
        "accountId": "123456789012",
        "status": "COMPLETED",
        "results": {
            "language_code": "en-US",
            "transcripts": [{"transcript": ""}],
            "items": [],
            "audio_segments": [],
        },
    }

    summary = parse_transcript(json.dumps(document))

    assert (summary.transcript, summary.wordCount, summary.durationSeconds) == ("", 0, 0.0)
    assert summary.averageConfidence is None


def test_parse_transcript_results_without_transcripts_parses_to_nothing_said() -> None:
    summary = parse_transcript(json.dumps({"jobName": "reelscribe-x", "results": {}}))
    assert (summary.transcript, summary.wordCount) == ("", 0)


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b'{"jobName": "truncated", "results": {"transcripts": [{"transcr',
        b"[]",
        b"null",
        b'{"jobName": "reelscribe-x"}',
        b'{"results": ["not", "an", "object"]}',
        b'{"results": {"transcripts": "text"}}',
    ],
)
def test_parse_transcript_garbage_raises_transcript_read_error(document: bytes) -> None:
    with pytest.raises(TranscriptReadError):
        parse_transcript(document)


def test_parse_transcript_malformed_items_raise_transcript_read_error() -> None:
    document = {
        "jobName": "reelscribe-x",
        "results": {"transcripts": [{"transcript": "hi"}], "items": ["hi"]},
    }

    with pytest.raises(TranscriptReadError):
        parse_transcript(json.dumps(document))


# ------------------------------------------------------------------ metadata_item


def test_metadata_item_small_transcript_kept_inline() -> None:
    text = "Hello, world. I don't know!"

    item = _item(text)

    assert item["JsonFile"] == "output/transcribe/alice/5b1c0ffee0ddba11/portrait-clip.json"
    assert item["transcript"] == text
    assert item["transcriptTruncated"] is False
    assert item["transcriptBytes"] == len(text.encode())
    assert item["transcriptUri"] == f"s3://reelscribe-outputbucket/{item['JsonFile']}"
    assert (item["userId"], item["videoId"]) == ("alice", "5b1c0ffee0ddba11")
    assert item["createdAt"] == "2026-11-22T10:20:00Z"


def test_metadata_item_numbers_are_decimals_dynamodb_accepts() -> None:
    item = _item("Hello")

    assert item["durationSeconds"] == Decimal("42.5")
    assert item["averageConfidence"] == Decimal("0.93")
    assert item["languageScores"] == {"en-US": Decimal("0.97")}
    assert to_attribute_values(item)["durationSeconds"] == {"N": "42.5"}


def test_metadata_item_transcript_over_limit_becomes_preview_and_pointer() -> None:
    # Given a long talk, bigger than the inline limit
    text = "and then we talked about the weather " * 2000

    item = _item(text)

    # Then the item keeps a preview and points at the full text in S3
    assert item["transcriptTruncated"] is True
    assert len(item["transcript"]) <= PREVIEW_CHARACTERS
    assert text.startswith(item["transcript"])
    assert item["transcriptBytes"] == len(text.encode())
    assert item["transcriptUri"].startswith("s3://")


def test_metadata_item_transcript_exactly_at_limit_kept_inline() -> None:
    assert _item("a" * INLINE_LIMIT)["transcriptTruncated"] is False
    assert _item("a" * (INLINE_LIMIT + 1))["transcriptTruncated"] is True


def test_metadata_item_limit_counts_utf8_bytes_not_characters() -> None:
    # Given 40,000 'ü': fewer characters than the limit, but 80,000 bytes
    assert _item("ü" * 40_000)["transcriptTruncated"] is True


@pytest.mark.parametrize("unit", ["word ", "ü", "東", "🎬"])
def test_metadata_item_megabyte_transcript_stays_far_below_dynamodb_limit(unit: str) -> None:
    # Given a 1 MB transcript (a feature film), in one-to-four-byte characters
    text = unit * (1_000_000 // len(unit.encode()))

    serialized = json.dumps(to_attribute_values(_item(text)), ensure_ascii=False).encode()

    # Then the item is a small fraction of DynamoDB's 400 KB
    assert len(serialized) < DYNAMODB_ITEM_LIMIT // 10


@pytest.mark.parametrize(
    ("given", "identified", "score", "warned"),
    [
        ("es-ES", "en-US", 0.97, True),
        ("es-ES", "es-US", 0.97, False),  # the same language, another country's spelling
        ("es-ES", "en-US", 0.3, False),  # identification is not sure enough to contradict
        ("es-ES", "", None, False),  # the check has not identified, or could not run
    ],
)
def test_mismatch_warning_clear_disagreement_names_both_languages(
    given: str, identified: str, score: float | None, warned: bool
) -> None:
    warning = mismatch_warning(given, identified, score)
    assert bool(warning) is warned
    if warned:
        assert identified in warning
        assert given in warning
