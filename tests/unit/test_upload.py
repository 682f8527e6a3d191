"""Who uploaded what: the S3 key, the owner, the names and the video's identity."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.events import load_event
from video_pipeline.output_keys import output_key
from video_pipeline.upload import (
    ANONYMOUS_USER,
    base_name,
    decode_key,
    is_image_name,
    slug,
    split_owner,
    video_from_event,
    video_id,
)

SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def _video_from(event: dict[str, Any]) -> Any:
    detail = event["detail"]
    obj = detail["object"]
    return video_from_event(
        detail["bucket"]["name"],
        obj["key"],
        obj.get("size"),
        obj.get("version-id"),
        obj.get("sequencer"),
        obj["etag"],
        datetime.fromisoformat(event["time"]),
    )


# ------------------------------------------------------------------ decode_key


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("alice/My+Trip.mp4", "alice/My Trip.mp4"),
        ("alice/M%C3%BCnchen.mp4", "alice/München.mp4"),
        ("alice/My+Trip+to+M%C3%BCnchen.audio.mp4", "alice/My Trip to München.audio.mp4"),
        ("alice/1%2B1%3D2.mp4", "alice/1+1=2.mp4"),
        ("alice/plain.mp4", "alice/plain.mp4"),
    ],
)
def test_decode_key_url_encoded_key_gives_the_name_the_user_typed(raw: str, decoded: str) -> None:
    # Given a key as S3 puts it in the event / When decoded / Then it is the real object key
    assert decode_key(raw) == decoded


# ------------------------------------------------------------------ split_owner


@pytest.mark.parametrize(
    ("key", "owner", "file_name"),
    [
        ("alice/clip.mp4", "alice", "clip.mp4"),
        ("clip.mp4", ANONYMOUS_USER, "clip.mp4"),
        ("alice/trips/2024/summer/clip.mp4", "alice", "clip.mp4"),
        ("/clip.mp4", ANONYMOUS_USER, "clip.mp4"),
        ("bob smith/My Trip.mp4", "bob smith", "My Trip.mp4"),
    ],
)
def test_split_owner_key_layouts_give_first_folder_as_owner_and_last_segment_as_file(
    key: str, owner: str, file_name: str
) -> None:
    assert split_owner(key) == (owner, file_name)


# ------------------------------------------------------------------ base_name


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("my.trip.mp4", "my.trip"),
        ("audio.mp4", "audio"),
        ("mp4 review.mp4", "mp4 review"),
        ("how to transcribe audio.mov", "how to transcribe audio"),
        ("My Trip to München.audio.mp4", "My Trip to München.audio"),
        ("README", "README"),
        (".mp4", ".mp4"),
    ],
)
def test_base_name_only_last_extension_dropped_words_inside_survive(
    file_name: str, expected: str
) -> None:
    # The course code's replace("mp4", "") and replace("audio", ...) broke these names.
    assert base_name(file_name) == expected


# ------------------------------------------------------------------ slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My Trip to München", "My-Trip-to-Munchen"),
        ("  spaced   out  ", "spaced-out"),
        ("Crème brûlée (final) v2", "Creme-brulee-final-v2"),
        ("my.trip", "my.trip"),
        ("東京", "video"),
        ("---", "video"),
    ],
)
def test_slug_unicode_and_spaces_give_a_key_safe_name(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_slug_nothing_usable_left_gives_the_fallback() -> None:
    assert slug("🎬🎬", fallback="user") == "user"


@given(st.text(max_size=300))
def test_slug_any_text_gives_a_short_name_safe_for_s3_and_transcribe(text: str) -> None:
    name = slug(text)

    assert SAFE_NAME.match(name), name
    assert 0 < len(name) <= 100


# ------------------------------------------------------------------ video_id


def test_video_id_same_object_version_gives_same_id() -> None:
    # Given an event delivered twice / Then both deliveries name the same video
    first = video_id("uploads", "alice/clip.mp4", "v1")
    again = video_id("uploads", "alice/clip.mp4", "v1")

    assert first == again
    assert re.fullmatch(r"[0-9a-f]{16}", first)


def test_video_id_new_version_of_same_key_gives_new_id() -> None:
    # Given the user uploads clip.mp4 again / Then it is a new video, not an overwrite
    assert video_id("uploads", "alice/clip.mp4", "v1") != video_id(
        "uploads", "alice/clip.mp4", "v2"
    )


def test_video_id_other_key_or_bucket_gives_new_id() -> None:
    ids = {
        video_id("uploads", "alice/clip.mp4", "v1"),
        video_id("uploads", "bob/clip.mp4", "v1"),
        video_id("other", "alice/clip.mp4", "v1"),
    }
    assert len(ids) == 3


# ------------------------------------------------------------------ video_from_event


def test_video_from_event_sample_upload_gives_decoded_identity() -> None:
    # Given the sample Object Created event (URL-encoded key with '+' and %C3%BC)
    event = load_event("parse_upload.json")
    detail = event["detail"]

    # When it is decoded
    video = _video_from(event)

    # Then the user sees their own file name, and the video's identity comes from the version
    assert video.key == "alice/My Trip to München.audio.mp4"
    assert video.userId == "alice"
    assert video.fileName == "My Trip to München.audio.mp4"
    assert video.baseName == "My Trip to München.audio"
    assert video.bucket == detail["bucket"]["name"]
    assert video.sourceUri == f"s3://{detail['bucket']['name']}/{video.key}"
    assert video.size == detail["object"]["size"]
    assert video.versionId == detail["object"]["version-id"]
    assert video.uploadedAt == event["time"]
    assert video.videoId == video_id(video.bucket, video.key, detail["object"]["version-id"])


def test_video_from_event_redelivered_event_gives_same_video() -> None:
    assert _video_from(load_event("parse_upload.json")) == _video_from(
        load_event("parse_upload.json")
    )


def test_video_from_event_new_version_gives_new_video_id() -> None:
    event = load_event("parse_upload.json")
    newer = load_event("parse_upload.json")
    newer["detail"]["object"]["version-id"] = "Qq8ZdJcqL9zF3j0rI_GJmGw5Xq6YvX2p"

    assert _video_from(event).videoId != _video_from(newer).videoId


def test_video_from_event_unversioned_bucket_uses_sequencer_per_write() -> None:
    # Given a bucket without versioning: no version id, but each write has its own sequencer
    first = load_event("parse_upload.json")
    del first["detail"]["object"]["version-id"]
    second = load_event("parse_upload.json")
    del second["detail"]["object"]["version-id"]
    second["detail"]["object"]["sequencer"] = "0062E99A88DC407999"

    # Then the two writes are two videos, and neither has a version id
    one, two = _video_from(first), _video_from(second)
    assert one.versionId is None
    assert one.videoId != two.videoId


def test_video_from_event_key_without_folder_belongs_to_anonymous() -> None:
    event = load_event("parse_upload.json")
    event["detail"]["object"]["key"] = "Holiday+2024.mov"

    video = _video_from(event)

    assert (video.userId, video.fileName, video.baseName) == (
        ANONYMOUS_USER,
        "Holiday 2024.mov",
        "Holiday 2024",
    )


def test_video_from_event_key_with_url_syntax_keeps_it_verbatim_in_the_source_uri() -> None:
    # Given a user id and a file name holding '#' and '?', which S3 keys may hold
    event = load_event("parse_upload.json")
    event["detail"]["object"]["key"] = "%23team%3F/what%3F+%231.mp4"
    # When it is decoded
    video = _video_from(event)
    # Then the source URI names the key as written, which is how MediaConvert and Transcribe
    # read an s3:// URI (bucket and key, not a URL to escape), and the output keys are slugs
    assert (video.userId, video.fileName) == ("#team?", "what? #1.mp4")
    assert video.sourceUri == "s3://reelscribe-uploadbucket/#team?/what? #1.mp4"
    assert output_key("web", video, "mp4") == f"output/web/team/{video.videoId}/what-1.mp4"


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("holiday.jpg", True),
        ("Holiday.JPEG", True),
        ("slide 3.png", True),
        ("phone.heic", True),
        ("sticker.webp", True),
        ("episode.mp3", False),
        ("clip.mp4", False),
        ("png", False),
        ("notes.png.txt", False),
    ],
)
def test_is_image_name_picture_extensions_only(file_name: str, expected: bool) -> None:
    assert is_image_name(file_name) is expected
