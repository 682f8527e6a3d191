"""The merged vision view of a picture: Rekognition Image's raw responses, in the same document
as a video's view (vision_model.VisionView), with no times, shots or tracks."""

from __future__ import annotations

from typing import Any

from .vision_model import VISION_KINDS, view_document
from .vision_view import bounding_box, branch_table, review_labels

# The image APIs, one per kind a picture is analysed for; a picture has no shots.
IMAGE_KINDS = tuple(kind for kind in VISION_KINDS if kind != "shots")


def _confidence(item: dict[str, Any]) -> float:
    return round(float(item.get("Confidence") or 0.0), 3)


def text_lines(raw: dict[str, Any]) -> list[dict[str, Any]]:
    lines = []
    for found in raw.get("TextDetections") or []:
        text = " ".join(str(found.get("DetectedText") or "").split())
        if found.get("Type") == "LINE" and text:
            box = bounding_box((found.get("Geometry") or {}).get("BoundingBox"))
            lines.append(
                {"text": text, "start": None, "end": None, "confidence": _confidence(found)}
                | {"box": box}
            )
    return lines


def faces(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"start": None, "end": None, "confidence": _confidence(face)}
        | {"box": bounding_box(face.get("BoundingBox"))}
        for face in raw.get("FaceDetails") or []
    ]


def moderation(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": str(label.get("Name") or ""),
            "parentName": str(label.get("ParentName") or ""),
            "confidence": _confidence(label),
            "start": None,
            "end": None,
        }
        for label in raw.get("ModerationLabels") or []
        if label.get("Name")
    ]


def labels(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": str(label["Name"]), "confidence": _confidence(label), "start": None, "end": None}
        for label in raw.get("Labels") or []
        if label.get("Name")
    ]


def people(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Search Image Faces' Persons: each face the collection matched, named by its best match's
    ExternalImageId (Summarize Image puts the display name in its place), where it is."""
    found = []
    for item in raw.get("Persons") or []:
        best: dict[str, Any] = max(
            item.get("FaceMatches") or [], key=lambda m: m.get("Similarity", 0), default={}
        )
        name = str((best.get("Face") or {}).get("ExternalImageId") or "")
        if name:
            found.append(
                {
                    "name": name,
                    "similarity": round(float(best.get("Similarity") or 0.0), 3),
                    "start": None,
                    "end": None,
                    "box": bounding_box((item.get("Person") or {}).get("BoundingBox")),
                }
            )
    return found


def celebrities(raw: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for celebrity in raw.get("CelebrityFaces") or []:
        face = celebrity.get("Face") or {}
        found.append(
            {
                "name": str(celebrity.get("Name") or ""),
                "confidence": round(float(celebrity.get("MatchConfidence") or 0.0), 3),
                "start": None,
                "end": None,
                "box": bounding_box(face.get("BoundingBox")),
            }
        )
    return found


def build_image_view(
    *,
    analysed_key: str,
    poster_key: str,
    raws: dict[str, dict[str, Any]],
    unavailable: dict[str, str],
    min_confidence: float,
) -> dict[str, Any]:
    """`raws` holds the responses that came back, `unavailable` the reason for each that did
    not; a picture has no shots, so that branch is always unavailable. A moderation label at
    `min_confidence` or above (the template's ModerationMinConfidence) asks for a review."""
    branches = {
        "shots": {"available": False, "reason": "A picture has no shots."},
        **branch_table(IMAGE_KINDS, raws, unavailable, "The call was not made for this picture."),
    }
    flagged = moderation(raws.get("moderation") or {})
    review = review_labels(flagged, min_confidence)
    return view_document(
        mediaKind="image",
        analysedKey=analysed_key,
        branches=branches,
        shots=[],
        technicalCues=[],
        text=text_lines(raws.get("text") or {}),
        faces=faces(raws.get("faces") or {}),
        people=people(raws.get("face_search") or {}),
        moderation=flagged,
        labels=labels(raws.get("labels") or {}),
        celebrities=celebrities(raws.get("celebrities") or {}),
        needsReview=bool(review),
        reviewLabels=review,
        posterKey=poster_key,
        tracks={},
    )
