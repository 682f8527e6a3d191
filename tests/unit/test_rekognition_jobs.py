"""Rekognition Video jobs: starts with each kind's parameters, and every page collected, checked
against botocore's own Rekognition model by its Stubber."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from video_pipeline.errors import (
    VisionJobLimitError,
    VisionJobNotStartedError,
    VisionServiceBusyError,
)
from video_pipeline.rekognition_jobs import KINDS, client_token, collect_job, start_job

BUCKET = "reelscribe-outputbucket"
WEB_KEY = "output/web/alice/0123456789abcdef/clip.mp4"
RAW_KEY = "output/vision/alice/0123456789abcdef/raw/text.json"
JOB_ID = "a" * 64
ASL = Path(__file__).resolve().parents[2] / "statemachine/pipeline.asl.json"


@pytest.fixture
def rekognition(aws_credentials: None) -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("rekognition", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _text(text: str, millis: int) -> dict[str, Any]:
    return {
        "Timestamp": millis,
        "TextDetection": {"DetectedText": text, "Type": "LINE", "Id": 0, "Confidence": 99.0},
    }


class _Bucket:
    """The one S3 call collect_job makes, recorded."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> None:  # noqa: N803 - boto3's names
        self.objects[f"{Bucket}/{Key}"] = Body


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_start_job_each_kind_calls_its_operation_on_the_rendition(
    rekognition: tuple[Any, Stubber], kind: str
) -> None:
    client, stubber = rekognition
    spec = KINDS[kind]
    # Face search's collection and threshold are the deployment's, from the template.
    configured = (
        {"CollectionId": "people", "FaceMatchThreshold": 80.0} if kind == "face_search" else {}
    )
    expected = {
        "Video": {"S3Object": {"Bucket": BUCKET, "Name": WEB_KEY}},
        "ClientRequestToken": client_token("0123456789abcdef", kind),
        "JobTag": "0123456789abcdef",
        **spec.start_parameters,
        **configured,
    }
    stubber.add_response(spec.start, {"JobId": JOB_ID}, expected)

    assert start_job(client, kind, BUCKET, WEB_KEY, "0123456789abcdef", configured) == JOB_ID


def test_start_job_segments_ask_for_shots_and_technical_cues() -> None:
    assert KINDS["shots"].start_parameters == {"SegmentTypes": ["SHOT", "TECHNICAL_CUE"]}


def test_start_job_refused_raises_not_started_with_the_plain_reason(
    rekognition: tuple[Any, Stubber],
) -> None:
    client, stubber = rekognition
    stubber.add_client_error(
        "start_label_detection",
        service_error_code="AccessDeniedException",
        service_message="No offline model ships for label detection.",
    )

    with pytest.raises(VisionJobNotStartedError) as raised:
        start_job(client, "labels", BUCKET, WEB_KEY, "0123456789abcdef")
    assert str(raised.value) == (
        "Rekognition start_label_detection failed (AccessDeniedException): "
        "No offline model ships for label detection."
    )


def test_start_job_throttled_raises_the_retried_busy_error(
    rekognition: tuple[Any, Stubber],
) -> None:
    client, stubber = rekognition
    stubber.add_client_error("start_text_detection", service_error_code="ThrottlingException")

    with pytest.raises(VisionServiceBusyError):
        start_job(client, "text", BUCKET, WEB_KEY, "0123456789abcdef")


def test_start_job_over_the_concurrent_job_limit_raises_the_job_limit_error(
    rekognition: tuple[Any, Stubber],
) -> None:
    # Given Rekognition answers that the account runs as many video jobs as its quota allows
    client, stubber = rekognition
    stubber.add_client_error(
        "start_face_detection",
        service_error_code="LimitExceededException",
        service_message="Too many concurrent jobs.",
    )
    # Then the start raises the error the state machine retries for minutes, not seconds
    with pytest.raises(VisionJobLimitError, match="LimitExceededException"):
        start_job(client, "faces", BUCKET, WEB_KEY, "0123456789abcdef")


def test_start_vision_job_at_the_job_limit_backs_off_for_minutes() -> None:
    # Given the state that starts each job
    states = json.loads(ASL.read_text())["States"]["Start Video Analysis"]["ItemProcessor"]
    retriers = states["States"]["Start Vision Job"]["Retry"]
    (retrier,) = [r for r in retriers if "VisionJobLimitError" in r["ErrorEquals"]]
    delays = [
        min(retrier["IntervalSeconds"] * retrier["BackoffRate"] ** n, retrier["MaxDelaySeconds"])
        for n in range(retrier["MaxAttempts"])
    ]
    # Then the limit is asked about again a minute apart at last, for an hour on average (full
    # jitter halves each delay on average, and spreads many uploads' retries apart)
    assert max(delays) >= 60
    assert sum(delays) / 2 >= 3600
    assert retrier["JitterStrategy"] == "FULL"


def test_collect_job_in_progress_stores_nothing(rekognition: tuple[Any, Stubber]) -> None:
    client, stubber = rekognition
    stubber.add_response(
        "get_text_detection",
        {"JobStatus": "IN_PROGRESS"},
        {"JobId": JOB_ID, "MaxResults": 1000},
    )
    bucket = _Bucket()

    state = collect_job(client, bucket, BUCKET, "text", JOB_ID, RAW_KEY)

    assert (state.status, state.items) == ("IN_PROGRESS", 0)
    assert bucket.objects == {}


def test_collect_job_three_pages_are_merged_into_one_raw_document(
    rekognition: tuple[Any, Stubber],
) -> None:
    # Given a succeeded job whose detections come in three pages
    client, stubber = rekognition
    pages = [
        ([_text("Quarterly results", 0), _text("Quarterly results", 500)], "token-1"),
        ([_text("Revenue up", 1000)], "token-2"),
        ([_text("Revenue up", 1500)], None),
    ]
    previous: str | None = None
    for detections, token in pages:
        response: dict[str, Any] = {
            "JobStatus": "SUCCEEDED",
            "VideoMetadata": {"Codec": "h264", "DurationMillis": 2000, "FrameRate": 25.0},
            "TextDetections": detections,
        }
        if token:
            response["NextToken"] = token
        expected: dict[str, Any] = {"JobId": JOB_ID, "MaxResults": 1000}
        if previous:
            expected["NextToken"] = previous
        stubber.add_response("get_text_detection", response, expected)
        previous = token
    bucket = _Bucket()
    # When it is collected
    state = collect_job(client, bucket, BUCKET, "text", JOB_ID, RAW_KEY)
    # Then every page's items are in one document, in Rekognition's own shape
    raw = json.loads(bucket.objects[f"{BUCKET}/{RAW_KEY}"])
    assert (state.status, state.items) == ("SUCCEEDED", 4)
    assert [d["Timestamp"] for d in raw["TextDetections"]] == [0, 500, 1000, 1500]
    assert raw["VideoMetadata"]["DurationMillis"] == 2000
    assert "NextToken" not in raw
    assert "ResponseMetadata" not in raw


def test_collect_job_failed_reports_rekognitions_message(rekognition: tuple[Any, Stubber]) -> None:
    client, stubber = rekognition
    stubber.add_response(
        "get_segment_detection",
        {"JobStatus": "FAILED", "StatusMessage": "Unsupported codec/format."},
        {"JobId": JOB_ID, "MaxResults": 1000},
    )
    bucket = _Bucket()

    state = collect_job(client, bucket, BUCKET, "shots", JOB_ID, RAW_KEY)

    assert (state.status, state.message) == ("FAILED", "Unsupported codec/format.")
    assert bucket.objects == {}
