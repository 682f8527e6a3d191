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
from tests.support.vision_media import make_cut_clip

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
