"""The merged vision view and its WebVTT tracks, from Rekognition Video's own item shapes."""

from __future__ import annotations

import json
from typing import Any

from tests.support.events import load_event
from video_pipeline.config import PipelineConfig
from video_pipeline.plan import plan_pipeline
from video_pipeline.renditions import load_frame_capture
from video_pipeline.upload import Video
from video_pipeline.vision_plan import VISION_KINDS, capture_interval
from video_pipeline.vision_tracks import metadata_track, vtt_time
from video_pipeline.vision_view import build_view, text_excerpt


def _box(left: float, top: float) -> dict[str, float]:
    return {"Left": left, "Top": top, "Width": 0.2, "Height": 0.2}


def _segments() -> dict[str, Any]:
    def segment(kind: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
        return {"Type": kind, "StartTimestampMillis": start, "EndTimestampMillis": end, **extra}

    return {
        "Segments": [
            segment("SHOT", 3000, 6000, ShotSegment={"Index": 1, "Confidence": 99.0}),
            segment("SHOT", 0, 2500, ShotSegment={"Index": 0, "Confidence": 99.0}),
            segment("TECHNICAL_CUE", 2500, 3000, TechnicalCueSegment={"Type": "BlackFrames"}),
        ]
    }


def _text(text: str, millis: int, kind: str = "LINE") -> dict[str, Any]:
    return {
        "Timestamp": millis,
        "TextDetection": {
            "DetectedText": text,
            "Type": kind,
            "Confidence": 98.0 + millis / 10000,
            "Geometry": {"BoundingBox": _box(0.1, 0.2)},
        },
    }


def _view(raws: dict[str, dict[str, Any]], **unavailable: str) -> dict[str, Any]:
    return build_view(
        analysed_key="output/web/u/v/clip.mp4",
        raws=raws,
        unavailable=unavailable,
        min_confidence=80,
    )


def test_view_shots_are_ordered_and_numbered_and_cues_kept_apart() -> None:
    view = _view({"shots": _segments()})

    assert view["shots"] == [
        {"index": 1, "start": 0.0, "end": 2.5},
        {"index": 2, "start": 3.0, "end": 6.0},
    ]
    assert view["technicalCues"] == [{"type": "BlackFrames", "start": 2.5, "end": 3.0}]


def test_view_text_seen_in_many_frames_is_one_line_per_span() -> None:
    # Given a slide read every half second, its words too, and read again much later
    frames = [_text("Quarterly  results", ms) for ms in range(1000, 4500, 500)]
    frames += [_text("Quarterly", 1000, kind="WORD"), _text("Quarterly results", 9000)]
    view = _view({"text": {"TextDetections": frames}})
    # Then each span is one line, words are left out, and spaces are normalised
    assert [(t["text"], t["start"], t["end"]) for t in view["text"]] == [
        ("Quarterly results", 1.0, 4.0),
        ("Quarterly results", 9.0, 9.0),
    ]
    assert view["text"][0]["box"] == _box(0.1, 0.2)
    assert text_excerpt(view["text"]) == "Quarterly results"


def test_view_faces_follow_overlapping_boxes_and_split_on_distant_ones() -> None:
    faces = [
        {"Timestamp": ms, "Face": {"BoundingBox": _box(0.1 + ms / 100000, 0.1), "Confidence": 99.0}}
        for ms in range(0, 2500, 500)
    ]
    faces.append({"Timestamp": 1000, "Face": {"BoundingBox": _box(0.7, 0.6), "Confidence": 95.0}})

    view = _view({"faces": {"Faces": faces}})

    assert [(f["start"], f["end"]) for f in view["faces"]] == [(0.0, 2.0), (1.0, 1.0)]


def test_view_moderation_label_reaching_the_threshold_needs_review() -> None:
    def label(name: str, confidence: float, millis: int) -> dict[str, Any]:
        return {
            "Timestamp": millis,
            "ModerationLabel": {"Name": name, "ParentName": "", "Confidence": confidence},
        }

    raw = {"ModerationLabels": [label("Violence", 60.0, 0), label("Explicit Nudity", 80.0, 500)]}
    view = _view({"moderation": raw})

    assert view["needsReview"] is True
    assert view["reviewLabels"] == ["Explicit Nudity"]
    assert {m["name"] for m in view["moderation"]} == {"Violence", "Explicit Nudity"}


def test_view_clean_moderation_needs_no_review() -> None:
    view = _view({"moderation": {"ModerationLabels": []}})

    assert (view["needsReview"], view["reviewLabels"]) == (False, [])
    assert view["branches"]["moderation"] == {"available": True}


def test_view_every_kind_has_a_branch_and_unavailable_ones_say_why() -> None:
    view = _view({"shots": _segments()}, labels="No offline model ships for label detection.")

    assert list(view["branches"]) == list(VISION_KINDS)
    assert view["branches"]["labels"] == {
        "available": False,
        "reason": "No offline model ships for label detection.",
    }
    assert view["branches"]["celebrities"]["available"] is False
    assert view["labels"] == []
    assert view["celebrities"] == []


def test_track_cues_carry_json_payloads_and_last_at_least_half_a_second() -> None:
    track = metadata_track("text", [{"text": "Hi", "start": 1.0, "end": 1.0, "confidence": 99.0}])
    lines = track.splitlines()

    assert lines[:2] == ["WEBVTT", "Kind: metadata"]
    assert lines[3:5] == ["text-1", "00:00:01.000 --> 00:00:01.500"]
    assert json.loads(lines[5]) == {"type": "text", "text": "Hi", "confidence": 99.0}
    assert vtt_time(3723.25) == "01:02:03.250"


def test_plan_vision_analyses_the_web_rendition_for_every_kind() -> None:
    event = load_event("plan_transcode.json")
    config = PipelineConfig.model_validate({"OUTPUT_BUCKET": "out"})
    plan = plan_pipeline(Video.model_validate(event["video"]), event["probe"], config)

    assert [job.kind for job in plan.vision.jobs] == list(VISION_KINDS)
    assert {job.analysedKey for job in plan.vision.jobs} == {plan.renditions["web"]}
    assert plan.vision.jobs[0].rawKey == f"{plan.vision.prefix}raw/shots.json"
    assert plan.vision.prefix.startswith("output/vision/alice/")
    assert plan.vision.captures is not None
    assert plan.vision.captures.prefix.startswith("output/frames/alice/")


def test_capture_interval_grows_so_captures_cover_a_long_video() -> None:
    assert capture_interval(60) == 1
    assert capture_interval(load_frame_capture().maxCaptures * 2.5) == 3
