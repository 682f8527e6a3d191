"""A picture's merged vision view and its summary: Rekognition Image's raw responses made into
the view's shape, the branches that failed made into plain reasons, and where the analysis
reads from."""

from __future__ import annotations

from typing import Any

from tests.support.events import load_event
from video_pipeline.image_stage import REKOGNITION_S3_BYTES, analysis_source
from video_pipeline.image_summary import split_branches
from video_pipeline.image_view import build_image_view
from video_pipeline.upload import Video
from video_pipeline.vision_plan import VISION_KINDS
from video_pipeline.vision_view import text_excerpt

TEXT = {
    "TextDetections": [
        {
            "DetectedText": "Revenue  up 12 percent",
            "Type": "LINE",
            "Confidence": 98.76543,
            "Geometry": {"BoundingBox": {"Width": 0.4, "Height": 0.1, "Left": 0.1, "Top": 0.5}},
        },
        {"DetectedText": "Revenue", "Type": "WORD", "Confidence": 99.0, "Geometry": {}},
    ]
}
FACES = {"FaceDetails": [{"BoundingBox": {"Width": 0.2, "Height": 0.3, "Left": 0.4, "Top": 0.1},
                          "Confidence": 99.5}]}  # fmt: skip
MODERATION = {
    "ModerationLabels": [
        {"Name": "Explicit Nudity", "ParentName": "", "Confidence": 91.0},
        {"Name": "Suggestive", "ParentName": "", "Confidence": 60.0},
    ]
}


def _view(min_confidence: float = 80.0, **raws: dict[str, Any]) -> dict[str, Any]:
    return build_image_view(
        analysed_key="u/photo.jpg",
        poster_key="output/web/u/v/photo.jpg",
        raws=raws,
        unavailable={"labels": "Label detection is not available offline."},
        min_confidence=min_confidence,
    )


def test_image_view_every_kind_has_a_branch_and_a_picture_has_no_shots() -> None:
    view = _view(text=TEXT)
    assert list(view["branches"]) == list(VISION_KINDS)
    assert view["branches"]["shots"]["available"] is False
    assert view["branches"]["text"] == {"available": True}
    assert view["branches"]["labels"] == {
        "available": False,
        "reason": "Label detection is not available offline.",
    }
    assert view["branches"]["faces"]["available"] is False  # not run: it says so
    assert (view["shots"], view["technicalCues"], view["tracks"]) == ([], [], {})
    assert (view["version"], view["mediaKind"]) == (1, "image")
    assert view["posterKey"] == "output/web/u/v/photo.jpg"


def test_image_view_keeps_lines_not_words_with_boxes_and_no_times() -> None:
    (line,) = _view(text=TEXT)["text"]
    assert line == {
        "text": "Revenue up 12 percent",
        "start": None,
        "end": None,
        "confidence": 98.765,
        "box": {"Left": 0.1, "Top": 0.5, "Width": 0.4, "Height": 0.1},
    }


def test_image_view_faces_and_moderation_flag_review_above_threshold() -> None:
    view = _view(faces=FACES, moderation=MODERATION)
    assert view["faces"][0]["box"]["Left"] == 0.4
    assert [m["name"] for m in view["moderation"]] == ["Explicit Nudity", "Suggestive"]
    assert view["needsReview"] is True
    assert view["reviewLabels"] == ["Explicit Nudity"]


def test_image_view_lower_moderation_threshold_flags_more_labels() -> None:
    # ModerationMinConfidence reaches pictures as it reaches videos
    view = _view(min_confidence=50.0, moderation=MODERATION)
    assert view["reviewLabels"] == ["Explicit Nudity", "Suggestive"]


def test_split_branches_failed_branch_gives_plain_reason() -> None:
    raws, unavailable = split_branches(
        [
            {"kind": "text", "response": TEXT},
            {
                "kind": "labels",
                "error": {
                    "Error": "Rekognition.AccessDeniedException",
                    "Cause": "No offline model ships for labels (Service: Rekognition, "
                    "Status Code: 400, Request ID: abc)",
                },
            },
        ]
    )
    assert set(raws) == {"text"}
    assert unavailable == {"labels": "No offline model ships for labels"}


def _video(**changes: Any) -> Video:
    return Video.model_validate(load_event("plan_transcode.json")["video"] | changes)


def test_analysis_source_original_jpeg_within_limits_is_read_in_place() -> None:
    assert analysis_source(_video(), "JPEG", False, 1_000_000) == "original"
    assert analysis_source(_video(), "PNG", False, REKOGNITION_S3_BYTES) == "original"


def test_analysis_source_large_rotated_or_webp_original_is_read_through_web_rendition() -> None:
    assert analysis_source(_video(), "JPEG", False, REKOGNITION_S3_BYTES + 1) == "web"
    assert analysis_source(_video(), "WEBP", False, 1000) == "web"
    assert analysis_source(_video(), "JPEG", True, 1000) == "web"


def test_text_excerpt_joins_each_line_once_and_cuts_long_text() -> None:
    lines = [{"text": "Agenda"}, {"text": "Agenda"}, {"text": "Budget"}]
    assert text_excerpt(lines) == "Agenda / Budget"
    long = text_excerpt([{"text": "word " * 100}], limit=20)
    assert len(long) == 20
    assert long.endswith("…")


def test_image_view_people_are_the_faces_a_search_matched_with_their_boxes() -> None:
    # Given Search Image Faces' answer: one face matched twice, another matched no one
    left = {"Width": 0.1, "Height": 0.2, "Left": 0.1, "Top": 0.1}
    right = {"Width": 0.1, "Height": 0.2, "Left": 0.7, "Top": 0.1}
    searched = {
        "Persons": [
            {
                "Person": {"Index": 0, "BoundingBox": left},
                "FaceMatches": [
                    {"Similarity": 84.0, "Face": {"ExternalImageId": "ada-1"}},
                    {"Similarity": 97.5, "Face": {"ExternalImageId": "bo-2"}},
                ],
            },
            {"Person": {"Index": 1, "BoundingBox": right}, "FaceMatches": []},
        ]
    }
    # When the view is built
    view = build_image_view(
        analysed_key="a.jpg",
        poster_key="",
        raws={"face_search": searched},
        unavailable={},
        min_confidence=80.0,
    )
    # Then the matched face is its best match, where it was; the other face names no one
    assert view["people"] == [
        {"name": "bo-2", "similarity": 97.5, "start": None, "end": None, "box": left}
    ]
    assert view["branches"]["face_search"] == {"available": True}
