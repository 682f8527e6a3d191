"""Summarize Vision against moto's S3: the view, its tracks, a thumbnail per shot and a poster
taken from MediaConvert's frame captures."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from tests.support.videos import CLIP, CLIP_WEB
from video_pipeline.errors import ThumbnailCopyError
from video_pipeline.vision_plan import plan_vision
from video_pipeline.vision_stage import SummarizeVisionRequest, VisionResult, summarize_vision

BUCKET = "out"
VIDEO, WEB = CLIP, CLIP_WEB
SHOTS = {
    "Segments": [
        {"Type": "SHOT", "StartTimestampMillis": 0, "EndTimestampMillis": 2000},
        {"Type": "SHOT", "StartTimestampMillis": 3000, "EndTimestampMillis": 7000},
    ]
}


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    return client


def _request(s3: Any, captures: int, *failed: str) -> SummarizeVisionRequest:
    plan = plan_vision(VIDEO, 8.0, {"web": WEB}, 1, 60)
    assert plan.captures is not None
    for index in range(captures):
        key = f"{plan.captures.prefix}.{index:07d}.jpg"
        s3.put_object(Bucket=BUCKET, Key=key, Body=f"frame {index}".encode())
    results = []
    for job in plan.jobs:
        if job.kind in failed:
            results.append(VisionResult(kind=job.kind, available=False, reason="It failed."))
            continue
        raw = SHOTS if job.kind == "shots" else {}
        s3.put_object(Bucket=BUCKET, Key=job.rawKey, Body=json.dumps(raw).encode())
        results.append(VisionResult(kind=job.kind, available=True, rawKey=job.rawKey))
    return SummarizeVisionRequest(video=VIDEO, durationSeconds=8.0, vision=plan, results=results)


def _body(s3: Any, key: str) -> bytes:
    body: bytes = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def test_summarize_vision_writes_view_thumbnails_poster_and_tracks(s3: Any) -> None:
    # Given two shots, eight one-second captures, and labels unavailable
    request = _request(s3, 8, "labels", "celebrities")
    # When Summarize Vision runs
    summary = summarize_vision(s3, BUCKET, request, 80.0)
    view = json.loads(_body(s3, summary["viewKey"]))
    # Then each shot's thumbnail is the capture just after its start, the poster the middle of
    # the longest shot, and a track is written per available kind
    prefix = "output/vision/alice/0123456789abcdef/"
    assert summary["viewKey"] == f"{prefix}clip.json"
    assert [s["thumbnailKey"] for s in view["shots"]] == [
        f"{prefix}shots/clip-001.jpg",
        f"{prefix}shots/clip-002.jpg",
    ]
    assert _body(s3, f"{prefix}shots/clip-001.jpg") == b"frame 0"
    assert _body(s3, f"{prefix}shots/clip-002.jpg") == b"frame 4"
    assert view["posterKey"] == summary["posterKey"] == f"{prefix}clip-poster.jpg"
    assert _body(s3, summary["posterKey"]) == b"frame 5"
    assert set(view["tracks"]) == {"shots", "text", "faces", "moderation"}
    assert _body(s3, view["tracks"]["shots"]).startswith(b"WEBVTT")
    assert summary["shotCount"] == 2
    assert summary["unavailable"] == ["celebrities", "labels"]
    assert view["branches"]["labels"] == {"available": False, "reason": "It failed."}


def test_summarize_vision_missing_capture_leaves_no_thumbnail_not_a_failure(s3: Any) -> None:
    request = _request(s3, 0)

    summary = summarize_vision(s3, BUCKET, request, 80.0)
    view = json.loads(_body(s3, summary["viewKey"]))

    assert [s["thumbnailKey"] for s in view["shots"]] == [None, None]
    assert summary["posterKey"] == ""


def test_summarize_vision_capture_copy_denied_fails_naming_the_error(s3: Any) -> None:
    # Given every capture there, but S3 refusing the copy as a bucket policy denying it would
    request = _request(s3, 8)

    def deny(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        error = {"Code": "AccessDenied", "Message": "Access Denied"}
        return AWSResponse("", 403, {}, None), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    s3.meta.events.register("before-call.s3.CopyObject", deny)
    # When Summarize Vision runs, then it fails with S3's error named, not a missing thumbnail
    with pytest.raises(ThumbnailCopyError) as raised:
        summarize_vision(s3, BUCKET, request, 80.0)
    message = str(raised.value)
    assert "AccessDenied (Access Denied)" in message
    assert f"s3://{BUCKET}/output/frames/alice/0123456789abcdef/clip.0000000.jpg" in message


def test_summarize_vision_empty_plan_writes_nothing(s3: Any) -> None:
    request = SummarizeVisionRequest(
        video=VIDEO, durationSeconds=8.0, vision=plan_vision(VIDEO, 8.0, {}, 1, 60)
    )

    summary = summarize_vision(s3, BUCKET, request, 80.0)

    assert summary["analysed"] is False
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
