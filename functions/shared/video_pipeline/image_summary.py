"""Summarize Image: the raw Rekognition responses and the merged view in S3, the completed
record's values and the success email."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .analysis_branches import put_json
from .dynamo import to_attribute_values
from .failures import plain_reason
from .image_view import IMAGE_KINDS, build_image_view
from .models import ImageSummaryRequest
from .notifications import attributes_for, sns_subject
from .output_keys import output_key
from .upload import Video
from .vision_plan import raw_key
from .vision_stage import name_people
from .vision_view import text_excerpt

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def split_branches(
    branches: list[dict[str, Any]],
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Analyze Image's branches, each `{"kind", "response"}` or `{"kind", "error"}`."""
    raws: dict[str, dict[str, Any]] = {}
    unavailable: dict[str, str] = {}
    for branch in branches:
        kind = str(branch.get("kind") or "")
        if kind not in IMAGE_KINDS:
            continue
        if "response" in branch:
            raws[kind] = dict(branch["response"] or {})
        else:
            error = branch.get("error") or {}
            unavailable[kind] = plain_reason(str(error.get("Cause") or error.get("Error") or ""))
    return raws, unavailable


def summarize_image(
    s3: S3Client,
    request: ImageSummaryRequest,
    output_bucket: str,
    min_confidence: float,
    now: datetime | None = None,
    names: Callable[[set[str]], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """`names` maps the people's ids to their display names (the people table)."""
    video, image = request.video, request.image
    searched = [request.faceSearch] if request.faceSearch else []
    raws, unavailable = split_branches([*request.vision, *searched])
    for kind, raw in raws.items():
        put_json(s3, output_bucket, raw_key(video, kind), raw)
    renditions: dict[str, str] = dict(image.get("renditions") or {})
    view = build_image_view(
        analysed_key=str(image.get("analysedKey") or ""),
        poster_key=renditions.get("web", ""),
        raws=raws,
        unavailable=unavailable,
        min_confidence=min_confidence,
    )
    if view["people"] and names is not None:
        name_people(view, names)
    view_key = put_json(s3, output_bucket, output_key("vision", video, "json"), view)
    timestamp = (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
    values = {
        ":status": "COMPLETED",
        ":mediaKind": "image",
        ":renditions": renditions,
        ":visionKey": view_key,
        ":needsReview": view["needsReview"],
        ":reviewLabels": view["reviewLabels"],
        ":onScreenText": text_excerpt(view["text"]),
        ":people": sorted({p["name"] for p in view["people"]}),
        ":posterKey": view["posterKey"],
        ":updatedAt": timestamp,
    }
    return {
        "subject": sns_subject(f"reelscribe: {video.fileName} is ready"),
        "message": image_message(video, image, view, output_bucket),
        "attributes": attributes_for(
            "COMPLETED",
            userId=video.userId,
            videoId=video.videoId,
            mediaKind="image",
            needsReview=str(view["needsReview"]).lower(),
        ),
        "visionKey": view_key,
        "values": to_attribute_values(values),
    }


def image_message(video: Video, image: dict[str, Any], view: dict[str, Any], bucket: str) -> str:
    media = image.get("media") or {}
    lines = [
        f"Your picture {video.fileName} has been processed.",
        "",
        f"User: {video.userId}",
        f"Video id: {video.videoId}",
        f"Size: {media.get('width')}x{media.get('height')} {media.get('format') or ''}".rstrip(),
        "",
        "Renditions:",
        *(
            f"  {name:<9} s3://{bucket}/{key}"
            for name, key in (image.get("renditions") or {}).items()
        ),
        "",
        f"Analysed: {_analysed_uri(image, view)}",
    ]
    branches = view["branches"]
    texts = [line["text"] for line in view["text"]]
    lines.append(_finding(branches["text"], "Text", " / ".join(texts) if texts else "none"))
    lines.append(_finding(branches["faces"], "Faces", str(len(view["faces"]))))
    named = ", ".join(sorted({p["name"] for p in view["people"]})) or "none"
    lines.append(_finding(branches["face_search"], "People", named))
    flagged = ", ".join(view["reviewLabels"]) or "none"
    lines.append(_finding(branches["moderation"], "Needs review", flagged))
    found = ", ".join(label["name"] for label in view["labels"][:10]) or "none"
    lines.append(_finding(branches["labels"], "Labels", found))
    people = ", ".join(c["name"] for c in view["celebrities"]) or "none"
    lines.append(_finding(branches["celebrities"], "Celebrities", people))
    return "\n".join(lines) + "\n"


def _analysed_uri(image: dict[str, Any], view: dict[str, Any]) -> str:
    location = (image.get("analysisImage") or {}).get("S3Object") or {}
    bucket = location.get("Bucket")
    return f"s3://{bucket}/{view['analysedKey']}" if bucket else str(view["analysedKey"])


def _finding(branch: dict[str, Any], title: str, found: str) -> str:
    if branch.get("available"):
        return f"{title}: {found}"
    return f"{title}: unavailable ({branch.get('reason')})"
