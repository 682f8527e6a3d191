"""A MediaConvert job with a FRAME_CAPTURE output writes real JPEG stills to S3 beside its
rendition, in the same ffmpeg pass."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from PIL import Image

from reelscribe.emulators.mediaconvert import MediaConvertEmulator
from reelscribe.emulators.storage import ObjectStore
from reelscribe.runtime import interception
from tests.support.media import AudioKind, make_colour_clip, make_video
from tests.support.vision_media import make_cut_clip
from video_pipeline.config import PipelineConfig
from video_pipeline.plan import plan_pipeline
from video_pipeline.upload import Video
from video_pipeline.vision_stage import capture_key

pytestmark = pytest.mark.slow


@pytest.fixture
def mediaconvert(aws: None) -> Iterator[Any]:
    router = interception.Router()
    interception.activate(router)  # before any client: sessions copy the handlers
    emulator = MediaConvertEmulator(ObjectStore("us-east-1"), "us-east-1", "123456789012")
    emulator.register(router)
    try:
        yield boto3.client("mediaconvert", region_name="us-east-1")
    finally:
        interception.deactivate(router)
        emulator.close()


def test_job_with_frame_capture_writes_numbered_jpegs_at_one_per_second(
    mediaconvert: Any, tmp_path: Path
) -> None:
    # Given an 11-second clip in S3 and a job with a web rendition and 1 fps stills
    clip = make_cut_clip(tmp_path)
    s3 = boto3.client("s3", region_name="us-east-1")
    for bucket in ("uploads", "out"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="uploads", Key="u/cuts.mp4", Body=clip.path.read_bytes())
    capture = {"FramerateNumerator": 1, "FramerateDenominator": 1, "MaxCaptures": 100}
    settings = {
        "Inputs": [{"FileInput": "s3://uploads/u/cuts.mp4"}],
        "OutputGroups": [
            {
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": "s3://out/output/vision/u/v/"},
                },
                "Outputs": [
                    {
                        "NameModifier": "-web",
                        "ContainerSettings": {"Container": "MP4"},
                        "VideoDescription": {
                            "CodecSettings": {
                                "Codec": "H_264",
                                "H264Settings": {"Bitrate": 1000000},
                            }
                        },
                    },
                    {
                        "NameModifier": "-frame",
                        "ContainerSettings": {"Container": "RAW"},
                        "VideoDescription": {
                            "Width": 320,
                            "Height": 180,
                            "CodecSettings": {
                                "Codec": "FRAME_CAPTURE",
                                "FrameCaptureSettings": {**capture, "Quality": 80},
                            },
                        },
                    },
                ],
            }
        ],
    }

    # When the job runs to the end
    job = mediaconvert.create_job(Role="arn:aws:iam::123456789012:role/r", Settings=settings)
    deadline = time.monotonic() + 120
    while (status := mediaconvert.get_job(Id=job["Job"]["Id"])["Job"])["Status"] not in (
        "COMPLETE",
        "ERROR",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)

    # Then one still a second is in S3, named <base><modifier>.NNNNNNN.jpg, each a 320x180 JPEG
    assert status["Status"] == "COMPLETE", status.get("ErrorMessage")
    listed = s3.list_objects_v2(Bucket="out", Prefix="output/vision/u/v/cuts-frame.")
    keys = sorted(item["Key"] for item in listed.get("Contents", []))
    assert keys == [f"output/vision/u/v/cuts-frame.{n:07d}.jpg" for n in range(11)]
    still = s3.get_object(Bucket="out", Key=keys[-1])
    assert still["ContentType"] == "image/jpeg"
    with Image.open(io.BytesIO(still["Body"].read())) as picture:
        assert (picture.format, picture.size) == ("JPEG", (320, 180))
    paths = status["OutputGroupDetails"][0]["OutputDetails"][1]["OutputFilePaths"]
    assert paths[0] == "s3://out/output/vision/u/v/cuts-frame.0000000.jpg"


def _run_job(mediaconvert: Any, settings: dict[str, Any]) -> dict[str, Any]:
    job = mediaconvert.create_job(Role="arn:aws:iam::123456789012:role/r", Settings=settings)
    deadline = time.monotonic() + 120
    while (status := mediaconvert.get_job(Id=job["Job"]["Id"])["Job"])["Status"] not in (
        "COMPLETE",
        "ERROR",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    result: dict[str, Any] = status
    return result


def _upload(s3: Any, path: Path, key: str) -> Video:
    for bucket in ("uploads", "out"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="uploads", Key=key, Body=path.read_bytes())
    name = key.rsplit("/", 1)[-1]
    return Video(
        userId="u",
        videoId="v",
        bucket="uploads",
        key=key,
        size=path.stat().st_size,
        fileName=name,
        baseName=name.rsplit(".", 1)[0],
        sourceUri=f"s3://uploads/{key}",
        uploadedAt="2026-12-07T00:00:00Z",
    )


@pytest.mark.parametrize(
    ("seconds", "audio"),
    [(0.4, "silent"), (0.1, "silent"), (0.04, "silent"), (0.04, "none")],
    ids=["0.4s", "0.1s", "one-frame", "one-frame-no-audio"],
)
def test_planned_job_for_clip_shorter_than_capture_interval_writes_every_output(
    mediaconvert: Any, tmp_path: Path, seconds: float, audio: AudioKind
) -> None:
    # Given a clip shorter than the one-second capture interval (0.04 s: a single frame at 25
    # fps), probed and planned as Plan Transcode plans it
    clip = make_video(tmp_path / "short.mp4", duration=seconds, audio=audio)
    s3 = boto3.client("s3", region_name="us-east-1")
    video = _upload(s3, clip, "u/short.mp4")
    probe = mediaconvert.probe(InputFiles=[{"FileUrl": video.sourceUri}])
    config = PipelineConfig.model_validate({"OUTPUT_BUCKET": "out"})
    plan = plan_pipeline(video, probe, config)

    # When MediaConvert runs the planned job
    status = _run_job(mediaconvert, plan.transcode["settings"])

    # Then it completes with every rendition (the MP3 when there is sound) and the capture the
    # poster is copied from
    assert status["Status"] == "COMPLETE", status.get("ErrorMessage")
    expected = {"web", "phone", "gif"} | ({"audio"} if audio != "none" else set())
    assert set(plan.renditions) == expected
    for key in plan.renditions.values():
        assert s3.head_object(Bucket="out", Key=key)["ContentLength"] > 0
    assert plan.vision.captures is not None
    poster = capture_key(plan.vision.captures, seconds / 2, plan.media.durationSeconds)
    body = s3.get_object(Bucket="out", Key=poster)["Body"].read()
    with Image.open(io.BytesIO(body)) as still:
        assert still.format == "JPEG"


def test_frame_capture_takes_first_frame_then_one_each_interval(
    mediaconvert: Any, tmp_path: Path
) -> None:
    # Given a clip red for 0.3 s, then blue to 1.9 s, then green to 2.5 s, and stills one a
    # second (MediaConvert: the first frame, then one frame every interval)
    clip = make_colour_clip(tmp_path / "colours.mp4", [("red", 0.3), ("blue", 1.6), ("lime", 0.6)])
    s3 = boto3.client("s3", region_name="us-east-1")
    video = _upload(s3, clip, "u/colours.mp4")
    capture = {"FramerateNumerator": 1, "FramerateDenominator": 1, "MaxCaptures": 10}
    settings = {
        "Inputs": [{"FileInput": video.sourceUri}],
        "OutputGroups": [
            {
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": "s3://out/frames/"},
                },
                "Outputs": [
                    {
                        "ContainerSettings": {"Container": "RAW"},
                        "VideoDescription": {
                            "CodecSettings": {
                                "Codec": "FRAME_CAPTURE",
                                "FrameCaptureSettings": capture,
                            },
                        },
                    }
                ],
            }
        ],
    }

    # When the job runs
    status = _run_job(mediaconvert, settings)

    # Then the stills are the frames shown at 0 s, 1 s and 2 s: red, blue, green, and no more
    assert status["Status"] == "COMPLETE", status.get("ErrorMessage")
    listed = s3.list_objects_v2(Bucket="out", Prefix="frames/")
    keys = sorted(item["Key"] for item in listed.get("Contents", []))
    assert keys == [f"frames/colours.{n:07d}.jpg" for n in range(3)]
    colours = []
    for key in keys:
        body = s3.get_object(Bucket="out", Key=key)["Body"].read()
        with Image.open(io.BytesIO(body)) as still:
            red, green, blue = still.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
        colours.append(max(("red", red), ("green", green), ("blue", blue), key=lambda c: c[1])[0])
    assert colours == ["red", "blue", "green"]
