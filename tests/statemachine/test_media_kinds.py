"""The kind of media decides the path: a picture by its name (Is It a Picture?), then a video or
an audio file by its probe (What Kind of Media Is It?)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.statemachine.conftest import Pipeline
from tests.support.images import make_photo


def test_media_kind_probe_with_picture_track_takes_the_video_plan(pipeline: Pipeline) -> None:
    # Given a probe that finds a video track and an audio track
    outcome = pipeline.run("HappyPath")

    # Then the Choice sends it to Plan Transcode, and the audio plan is not run
    assert outcome.status == "SUCCEEDED"
    choice = outcome.states.index("What Kind of Media Is It?")
    assert outcome.states[choice - 1 : choice + 2] == [
        "Probe Media",
        "What Kind of Media Is It?",
        "Plan Transcode",
    ]
    assert "Plan Audio Transcode" not in outcome.states


def test_media_kind_probe_with_sound_only_plans_the_mp3_alone(pipeline: Pipeline) -> None:
    # Given a probe that finds one audio track and no video track (an MP3)
    outcome = pipeline.run("AudioFilePath", key="alice/episode 12.mp3")

    # Then the audio plan runs, the job writes the MP3 only, and the rest is as for a video:
    # transcript, analysis, record and email
    assert outcome.status == "SUCCEEDED"
    assert "Plan Audio Transcode" in outcome.states
    assert "Plan Transcode" not in outcome.states
    settings = outcome.run("Plan Audio Transcode").output["plan"]["transcode"]["settings"]
    assert [group["Name"] for group in settings["OutputGroups"]] == ["audio"]
    assert "VideoSelector" not in settings["Inputs"][0]
    assert "Read Transcript" in outcome.states
    assert "Analyze Transcript" in outcome.states
    (record,) = pipeline.items("VideosTable")
    (metadata,) = pipeline.items("MetadataTable")
    (mail,) = pipeline.notifications()
    assert record["status"] == "COMPLETED"
    assert set(record["renditions"]) == {"audio"}
    assert record["noAudio"] is False
    assert metadata["transcript"] == "Hello world."
    assert "Hello world." in mail.message


def _photo_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        return make_photo(Path(scratch) / "photo.jpg").read_bytes()


def test_media_kind_picture_name_takes_the_image_path(pipeline: Pipeline) -> None:
    # Given a real photograph uploaded as .jpg, with Rekognition's answers scripted (labels and
    # celebrities failing as they do locally)
    event = pipeline.upload_event("alice/Holiday Photo.JPG", _photo_bytes())
    outcome = pipeline.outcome(pipeline.start(event, "ImagePath"))

    # Then it never reaches MediaConvert: renditions, the five image calls, the view and email
    assert outcome.status == "SUCCEEDED", outcome.description
    assert "Probe Media" not in outcome.states
    assert outcome.states[outcome.states.index("Is It a Picture?") + 1] == "Make Image Renditions"
    for state in ("Analyze Image", "Summarize Image", "Mark Image Completed", "Notify Success"):
        assert state in outcome.states
    assert {"Image Labels Unavailable", "Image Celebrities Unavailable"} <= set(outcome.states)
    assert "Image Text Unavailable" not in outcome.states
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert record["mediaKind"] == "image"
    assert set(record["renditions"]) == {"web", "phone", "thumbnail"}
    assert record["onScreenText"] == "Quarterly results 2026"
    assert record["posterKey"] == record["renditions"]["web"]
    assert record["reviewLabels"] == []
    view = pipeline.json_object(record["visionKey"])
    assert view["mediaKind"] == "image"
    assert view["posterKey"] == record["renditions"]["web"]
    assert view["text"][0]["text"] == "Quarterly results 2026"
    assert view["text"][0]["start"] is None
    assert len(view["faces"]) == 1
    assert view["branches"]["labels"]["available"] is False
    assert "no offline model" in view["branches"]["labels"]["reason"]
    assert "Service:" not in view["branches"]["labels"]["reason"]
    prefix = record["visionKey"].rsplit("/", 1)[0]
    raw = pipeline.json_object(f"{prefix}/raw/faces.json")
    assert raw["FaceDetails"][0]["Confidence"] == 99.9
    (mail,) = pipeline.notifications()
    assert "Your picture Holiday Photo.JPG has been processed." in mail.message
    assert "Faces: 1" in mail.message
    assert "Analysed: s3://" in mail.message
    assert "Labels: unavailable" in mail.message
    assert mail.attributes["mediaKind"] == "image"


def test_media_kind_text_named_png_fails_in_make_image_renditions(pipeline: Pipeline) -> None:
    event = pipeline.upload_event("alice/notes.png", b"These are my notes, not a picture.\n")
    outcome = pipeline.outcome(pipeline.start(event, "ImagePath"))

    assert outcome.status == "FAILED"
    assert "Analyze Image" not in outcome.states
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "FAILED"
    assert record["failure"]["state"] == "Make Image Renditions"
    assert record["failure"]["error"] == "UnreadableImageError"
    assert "notes.png is not a picture" in record["failure"]["reason"]
