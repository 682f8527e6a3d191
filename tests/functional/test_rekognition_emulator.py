"""The Rekognition emulator answers a real boto3 client as Amazon Rekognition does, over real
detectors on media the tests make."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from PIL import Image

from reelscribe.emulators.rekognition import RekognitionEmulator
from reelscribe.emulators.storage import ObjectStore
from reelscribe.runtime import interception
from tests.support.images import make_eight_bit_copy, make_sixteen_bit_png
from tests.support.vision_media import (
    SLIDE_LINES,
    CutClip,
    character_error_rate,
    make_cut_clip,
    make_face_photo,
    make_slide,
)

pytestmark = pytest.mark.slow
BUCKET = "media"
CER_BUDGET = 0.05


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> CutClip:
    return make_cut_clip(tmp_path_factory.mktemp("clip"), size=(1280, 720))


@pytest.fixture
def emulator() -> RekognitionEmulator:
    """Its job limit is the AWS default until a test lowers it."""
    return RekognitionEmulator(ObjectStore("us-east-1"))


@pytest.fixture
def rekognition(aws: None, emulator: RekognitionEmulator) -> Iterator[Any]:
    # Activated before any client is made: a session copies the handlers when it is created.
    router = interception.Router()
    interception.activate(router)
    emulator.register(router)
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    try:
        yield boto3.client("rekognition", region_name="us-east-1")
    finally:
        interception.deactivate(router)
        emulator.close()


def _put(path: Path, key: str) -> dict[str, Any]:
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=BUCKET, Key=key, Body=path.read_bytes()
    )
    return {"S3Object": {"Bucket": BUCKET, "Name": key}}


def _wait(get: Any, job_id: str, timeout: float = 180) -> list[str]:
    statuses = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = get(JobId=job_id, MaxResults=1)["JobStatus"]
        statuses.append(status)
        if status != "IN_PROGRESS":
            return statuses
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still IN_PROGRESS after {timeout} s")


def _all_pages(get: Any, job_id: str, key: str, page: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    pages = 0
    token = None
    while True:
        answer = get(JobId=job_id, MaxResults=page, **({"NextToken": token} if token else {}))
        items += answer[key]
        pages += 1
        token = answer.get("NextToken")
        if not token:
            return items, pages


def test_video_jobs_on_cut_clip_find_shots_black_text_faces_and_no_moderation(
    rekognition: Any, clip: CutClip
) -> None:
    # Given the clip in S3 and all four jobs started on it
    video = _put(clip.path, "u/cuts.mp4")
    segments = rekognition.start_segment_detection(
        Video=video, SegmentTypes=["SHOT", "TECHNICAL_CUE"]
    )["JobId"]
    text = rekognition.start_text_detection(Video=video)["JobId"]
    faces = rekognition.start_face_detection(Video=video)["JobId"]
    moderation = rekognition.start_content_moderation(Video=video)["JobId"]

    # When they are polled to the end
    statuses = _wait(rekognition.get_segment_detection, segments)
    for get, job in (
        (rekognition.get_text_detection, text),
        (rekognition.get_face_detection, faces),
        (rekognition.get_content_moderation, moderation),
    ):
        assert _wait(get, job)[-1] == "SUCCEEDED"

    # Then the status went IN_PROGRESS -> SUCCEEDED and every shot boundary is within two frames
    assert statuses[0] == "IN_PROGRESS"
    assert statuses[-1] == "SUCCEEDED"
    found, pages = _all_pages(rekognition.get_segment_detection, segments, "Segments", 2)
    assert pages > 1
    shot_starts = [s["StartTimestampMillis"] / 1000 for s in found if s["Type"] == "SHOT"]
    tolerance = 2 / clip.frame_rate
    for cut in clip.cuts:
        assert min(abs(cut - start) for start in shot_starts) <= tolerance, (cut, shot_starts)
    assert len(shot_starts) == len(clip.cuts) + 1
    black = [s for s in found if s.get("TechnicalCueSegment", {}).get("Type") == "BlackFrames"]
    assert len(black) == 1
    assert abs(black[0]["StartTimestampMillis"] / 1000 - clip.black[0]) <= tolerance
    assert abs(black[0]["EndTimestampMillis"] / 1000 - clip.black[1]) <= tolerance

    # And the slide's lines are read within the error budget while it is on screen
    detections, pages = _all_pages(rekognition.get_text_detection, text, "TextDetections", 5)
    assert pages > 1
    on_slide = {
        d["TextDetection"]["DetectedText"]
        for d in detections
        if d["TextDetection"]["Type"] == "LINE"
        and clip.slide[0] <= d["Timestamp"] / 1000 < clip.slide[1]
    }
    for line in SLIDE_LINES:
        assert min(character_error_rate(line, read) for read in on_slide) <= CER_BUDGET, on_slide

    # And the face is found in its span, and only there
    appearances, _ = _all_pages(rekognition.get_face_detection, faces, "Faces", 1000)
    times = [f["Timestamp"] / 1000 for f in appearances]
    assert times
    assert all(clip.face[0] <= t < clip.face[1] for t in times)
    assert min(times) - clip.face[0] <= 0.5

    # And clean footage is not flagged
    assert rekognition.get_content_moderation(JobId=moderation)["ModerationLabels"] == []


def test_start_label_detection_locally_is_refused_with_reason(
    rekognition: Any, tmp_path: Path
) -> None:
    video = _put(make_slide(tmp_path / "s.png"), "u/s.mp4")
    for start in (rekognition.start_label_detection, rekognition.start_celebrity_recognition):
        with pytest.raises(ClientError) as raised:
            start(Video=video)
        assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "no offline model" in raised.value.response["Error"]["Message"]


def test_video_jobs_over_the_default_limit_of_twenty_are_refused_as_limit_exceeded(
    rekognition: Any, clip: CutClip
) -> None:
    # Given twenty jobs running, each on its own object (the first analysis holds the rest back)
    videos = [_put(clip.path, f"u/many-{n}.mp4") for n in range(21)]
    for video in videos[:20]:
        rekognition.start_face_detection(Video=video)
    # When one more is started / Then Rekognition's answer for its concurrent-job quota comes back
    with pytest.raises(ClientError) as raised:
        rekognition.start_face_detection(Video=videos[20])
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_video_jobs_over_a_lowered_limit_start_once_a_running_job_ends(
    rekognition: Any, emulator: RekognitionEmulator, clip: CutClip
) -> None:
    # Given a limit of two and two jobs running
    emulator.job_limit = 2
    video = _put(clip.path, "u/limited.mp4")
    text = rekognition.start_text_detection(Video=video)["JobId"]
    faces = rekognition.start_face_detection(Video=video)["JobId"]
    # When a third is started / Then it is refused while they run
    with pytest.raises(ClientError) as raised:
        rekognition.start_content_moderation(Video=video)
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"
    # ... and accepted, and analysed, once they have ended
    assert _wait(rekognition.get_text_detection, text)[-1] == "SUCCEEDED"
    assert _wait(rekognition.get_face_detection, faces)[-1] == "SUCCEEDED"
    moderation = rekognition.start_content_moderation(Video=video)["JobId"]
    assert _wait(rekognition.get_content_moderation, moderation)[-1] == "SUCCEEDED"


def test_video_job_on_missing_object_is_invalid_s3_object(rekognition: Any) -> None:
    with pytest.raises(ClientError) as raised:
        rekognition.start_face_detection(Video={"S3Object": {"Bucket": BUCKET, "Name": "gone.mp4"}})
    assert raised.value.response["Error"]["Code"] == "InvalidS3ObjectException"


def test_video_job_on_non_h264_video_fails_unsupported(rekognition: Any, tmp_path: Path) -> None:
    # Given a GIF, which Rekognition Video does not read
    import subprocess

    from tests.support.media import ffmpeg_exe

    gif = tmp_path / "a.gif"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x120:duration=1",
            str(gif),
        ],
        check=True,
    )
    job = rekognition.start_face_detection(Video=_put(gif, "u/a.gif"))["JobId"]
    assert _wait(rekognition.get_face_detection, job)[-1] == "FAILED"
    assert rekognition.get_face_detection(JobId=job)["StatusMessage"] == "Unsupported codec/format."


def test_get_with_foreign_token_is_invalid_pagination(rekognition: Any, clip: CutClip) -> None:
    job = rekognition.start_segment_detection(
        Video=_put(clip.path, "u/c.mp4"), SegmentTypes=["SHOT"]
    )["JobId"]
    _wait(rekognition.get_segment_detection, job)
    with pytest.raises(ClientError) as raised:
        rekognition.get_segment_detection(JobId=job, NextToken="bm90LWEtdG9rZW4=")
    assert raised.value.response["Error"]["Code"] == "InvalidPaginationException"


def test_detect_text_on_slide_reads_its_lines(rekognition: Any, tmp_path: Path) -> None:
    data = make_slide(tmp_path / "slide.png").read_bytes()
    answer = rekognition.detect_text(Image={"Bytes": data})
    lines = [d["DetectedText"] for d in answer["TextDetections"] if d["Type"] == "LINE"]
    assert len(lines) == len(SLIDE_LINES)
    for expected, read in zip(SLIDE_LINES, lines, strict=True):
        assert character_error_rate(expected, read) <= CER_BUDGET
    words = [d for d in answer["TextDetections"] if d["Type"] == "WORD"]
    assert {w["ParentId"] for w in words} == {
        d["Id"] for d in answer["TextDetections"] if d["Type"] == "LINE"
    }


def test_detect_faces_on_photograph_from_s3_finds_one_face(
    rekognition: Any, tmp_path: Path
) -> None:
    image = _put(make_face_photo(tmp_path / "a.jpg"), "u/a.jpg")
    details = rekognition.detect_faces(Image=image)["FaceDetails"]
    assert len(details) == 1
    box = details[0]["BoundingBox"]
    # The astronaut's face: left of centre, in the top third of the picture.
    assert 0.3 < box["Left"] < 0.45
    assert 0.05 < box["Top"] < 0.2
    assert details[0]["Confidence"] > 80


def test_detect_moderation_labels_on_photograph_flags_nothing(
    rekognition: Any, tmp_path: Path
) -> None:
    data = make_face_photo(tmp_path / "a.jpg").read_bytes()
    answer = rekognition.detect_moderation_labels(Image={"Bytes": data})
    assert answer["ModerationLabels"] == []
    assert answer["ModerationModelVersion"] == "7.0"


def test_detect_faces_on_sixteen_bit_png_finds_the_face_of_its_8_bit_copy(
    rekognition: Any, tmp_path: Path
) -> None:
    # Given the astronaut as a 16-bit greyscale PNG (Pillow's mode I;16) and as an 8-bit one
    sixteen = make_sixteen_bit_png(tmp_path / "sixteen.png").read_bytes()
    eight = make_eight_bit_copy(tmp_path / "eight.png").read_bytes()

    # When faces are detected in each
    (ours,) = rekognition.detect_faces(Image={"Bytes": sixteen})["FaceDetails"]
    (reference,) = rekognition.detect_faces(Image={"Bytes": eight})["FaceDetails"]

    # Then the 16-bit picture's face is the 8-bit copy's, as bright
    for side in ("Left", "Top", "Width", "Height"):
        assert abs(ours["BoundingBox"][side] - reference["BoundingBox"][side]) < 0.01
    assert abs(ours["Quality"]["Brightness"] - reference["Quality"]["Brightness"]) < 1


def test_detect_text_on_picture_over_analysed_size_reads_a_copy_with_the_same_boxes(
    rekognition: Any, tmp_path: Path
) -> None:
    # Given a slide of 7680x4320 pixels (33 megapixels) and the same slide at 1280x720
    large = make_slide(tmp_path / "large.png", (7680, 4320)).read_bytes()
    small = make_slide(tmp_path / "small.png", (1280, 720)).read_bytes()
    expected = rekognition.detect_text(Image={"Bytes": small})["TextDetections"]

    # When its text is read
    tracemalloc.start()
    try:
        found = rekognition.detect_text(Image={"Bytes": large})["TextDetections"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # Then no full-size copy of its pixels was made, and the lines and their boxes, as
    # fractions of the picture, are the small slide's
    assert peak < 7680 * 4320 * 3, f"peak {peak / 2**20:.0f} MB"
    lines = [d for d in found if d["Type"] == "LINE"]
    assert len(lines) == len(SLIDE_LINES)
    for line, read in zip(SLIDE_LINES, lines, strict=True):
        assert character_error_rate(line, read["DetectedText"]) <= CER_BUDGET
    for ours, reference in zip(lines, (d for d in expected if d["Type"] == "LINE"), strict=True):
        for side in ("Left", "Top", "Width", "Height"):
            ours_side = ours["Geometry"]["BoundingBox"][side]
            assert abs(ours_side - reference["Geometry"]["BoundingBox"][side]) < 0.01


def _png_bytes(size: tuple[int, int], noise: bool = False) -> bytes:
    import numpy as np

    array = (
        np.random.default_rng(1).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
        if noise
        else np.zeros((size[1], size[0], 3), dtype=np.uint8)
    )
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image", "code"),
    [
        ({"Bytes": b"These are my notes, not a picture."}, "InvalidImageFormatException"),
        ({"Bytes": b"\xff\xd8\xff\xe0" + b"\x00" * 64}, "InvalidImageFormatException"),
        ({"Bytes": _png_bytes((1, 1))}, "InvalidParameterException"),
        ({"Bytes": _png_bytes((1400, 1400), noise=True)}, "ImageTooLargeException"),
        ({"S3Object": {"Bucket": BUCKET, "Name": "missing.png"}}, "InvalidS3ObjectException"),
    ],
    ids=["text", "truncated-jpeg", "one-pixel", "over-5-mb", "missing-object"],
)
def test_image_apis_on_bad_image_raise_service_error(
    rekognition: Any, image: dict[str, Any], code: str
) -> None:
    for detect in (
        rekognition.detect_text,
        rekognition.detect_faces,
        rekognition.detect_moderation_labels,
    ):
        with pytest.raises(ClientError) as raised:
            detect(Image=image)
        assert raised.value.response["Error"]["Code"] == code


def test_image_over_15_mb_in_s3_is_too_large(rekognition: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_png_bytes((80, 80)) + b"\x00" * (15 * 1024 * 1024))
    with pytest.raises(ClientError) as raised:
        rekognition.detect_faces(Image=_put(path, "u/big.png"))
    assert raised.value.response["Error"]["Code"] == "ImageTooLargeException"


def test_detect_labels_locally_is_refused_with_reason(rekognition: Any, tmp_path: Path) -> None:
    data = make_face_photo(tmp_path / "a.jpg").read_bytes()
    for detect in (rekognition.detect_labels, rekognition.recognize_celebrities):
        with pytest.raises(ClientError) as raised:
            detect(Image={"Bytes": data})
        assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def test_operation_without_local_engine_is_refused_not_answered_by_moto(rekognition: Any) -> None:
    # moto's own Rekognition backend would answer these with canned results.
    for call, params in (
        (rekognition.list_users, {"CollectionId": "c"}),
        (rekognition.get_label_detection, {"JobId": "0" * 64}),
        (
            rekognition.start_face_search,
            {"Video": {"S3Object": {"Bucket": BUCKET, "Name": "v.mp4"}}, "CollectionId": "c"},
        ),
        (rekognition.describe_projects, {}),
    ):
        with pytest.raises(ClientError) as raised:
            call(**params)
        assert raised.value.response["Error"]["Code"] in {
            "AccessDeniedException",
            "ResourceNotFoundException",
        }


def test_local_runtime_answers_rekognition_with_emulator(tmp_path: Path) -> None:
    # Given the local runtime stood up from the template, and a clip in its upload bucket
    from reelscribe.runtime.local import LocalRuntime

    clip = make_cut_clip(tmp_path, size=(320, 180))
    root = Path(__file__).resolve().parents[2]
    with LocalRuntime(root / "template.yaml") as runtime:
        runtime.s3.put_object(
            Bucket=runtime.upload_bucket, Key="u/c.mp4", Body=clip.path.read_bytes()
        )
        client = runtime.session.client("rekognition")
        video = {"S3Object": {"Bucket": runtime.upload_bucket, "Name": "u/c.mp4"}}

        # When a segment job runs there
        job = client.start_segment_detection(Video=video, SegmentTypes=["SHOT"])["JobId"]
        assert _wait(client.get_segment_detection, job)[-1] == "SUCCEEDED"

        # Then its shots are the clip's, not canned ones
        shots = client.get_segment_detection(JobId=job)["Segments"]
        assert len(shots) == len(clip.cuts) + 1
