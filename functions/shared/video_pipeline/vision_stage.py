"""Summarize Vision: the jobs' raw results become the merged view, its WebVTT tracks, a
thumbnail per shot and a poster, all beside each other under output/vision/<user>/<videoId>/."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import BaseModel

from .errors import ThumbnailCopyError
from .failures import plain_reason
from .output_keys import s3_uri
from .upload import Video, slug
from .vision_plan import FrameCaptures, VisionPlan
from .vision_tracks import TRACK_KINDS, metadata_track, people_track
from .vision_view import build_view, text_excerpt

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# A shot's thumbnail is taken a little after its cut, past any transition's first frames.
THUMBNAIL_OFFSET_SECONDS = 0.5


class VisionResult(BaseModel):
    """One Analyze Video iteration's outcome, as the state machine leaves it."""

    kind: str
    available: bool
    rawKey: str | None = None
    error: str | None = None
    reason: str | None = None


class SummarizeVisionRequest(BaseModel):
    video: Video
    durationSeconds: float
    vision: VisionPlan
    results: list[VisionResult] = []


def capture_key(captures: FrameCaptures, seconds: float, duration: float) -> str:
    """MediaConvert's frame capture names files <destination>.NNNNNNN.jpg, one per interval
    from the start; the last is the one before the end."""
    last = max(0, min(captures.maxCaptures, math.ceil(duration / captures.intervalSeconds)) - 1)
    index = min(last, max(0, round(seconds / captures.intervalSeconds)))
    return f"{captures.prefix}.{index:07d}.jpg"


def _copy(s3: S3Client, bucket: str, source: str, target: str) -> str | None:
    """The copy's key, or None when the capture is not there (the video is not failed for a
    missing thumbnail). Any other refusal, such as AccessDenied, fails the state with it."""
    try:
        s3.copy_object(
            Bucket=bucket,
            Key=target,
            CopySource={"Bucket": bucket, "Key": source},
            ContentType="image/jpeg",
            MetadataDirective="REPLACE",
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NoSuchKey":
            return None
        message = error.response.get("Error", {}).get("Message", "") or str(error)
        raise ThumbnailCopyError(
            f"The frame capture {s3_uri(bucket, source)} could not be copied to "
            f"{s3_uri(bucket, target)}: {code} ({message})"
        ) from error
    return target


def _read_raws(
    s3: S3Client, bucket: str, results: list[VisionResult]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    raws: dict[str, dict[str, Any]] = {}
    unavailable: dict[str, str] = {}
    for result in results:
        if not result.available or not result.rawKey:
            unavailable[result.kind] = plain_reason(result.reason or "")
            continue
        try:
            body = s3.get_object(Bucket=bucket, Key=result.rawKey)["Body"].read()
            raws[result.kind] = json.loads(body)
        except (ClientError, ValueError) as error:
            unavailable[result.kind] = (
                f"Its results at {s3_uri(bucket, result.rawKey)} could not be read: {error}"
            )
    return raws, unavailable


def _put(s3: S3Client, bucket: str, key: str, body: str, content_type: str) -> str:
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode(), ContentType=content_type)
    return key


def _images(
    s3: S3Client, bucket: str, request: SummarizeVisionRequest, view: dict[str, Any]
) -> None:
    captures, duration = request.vision.captures, request.durationSeconds
    name, prefix = slug(request.video.baseName), request.vision.prefix
    for shot in view["shots"]:
        shot["thumbnailKey"] = None
        if captures is not None:
            moment = min(
                shot["start"] + THUMBNAIL_OFFSET_SECONDS, (shot["start"] + shot["end"]) / 2
            )
            target = f"{prefix}shots/{name}-{shot['index']:03d}.jpg"
            shot["thumbnailKey"] = _copy(
                s3, bucket, capture_key(captures, moment, duration), target
            )
    if captures is not None:
        longest = max(view["shots"], key=lambda s: s["end"] - s["start"], default=None)
        middle = (longest["start"] + longest["end"]) / 2 if longest else duration / 2
        source = capture_key(captures, middle, duration)
        view["posterKey"] = _copy(s3, bucket, source, f"{prefix}{name}-poster.jpg") or ""


def name_people(view: dict[str, Any], names: Callable[[set[str]], dict[str, str]]) -> None:
    """Face search names a person by the ExternalImageId of their faces; the view, its track,
    the record and the email show the display name. A person removed since is left out."""
    known = names({p["name"] for p in view["people"]})
    view["people"] = [{**p, "name": known[p["name"]]} for p in view["people"] if p["name"] in known]


def summarize_vision(
    s3: S3Client,
    bucket: str,
    request: SummarizeVisionRequest,
    min_confidence: float,
    names: Callable[[set[str]], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """`names` maps the people's ids to their display names (the people table)."""
    if not request.vision.jobs:
        return {
            "analysed": False,
            "viewKey": "",
            "shotCount": 0,
            "textExcerpt": "",
            "needsReview": False,
            "reviewLabels": [],
            "posterKey": "",
            "unavailable": [],
        }
    raws, unavailable = _read_raws(s3, bucket, request.results)
    view = build_view(
        analysed_key=request.vision.analysedKey,
        raws=raws,
        unavailable=unavailable,
        min_confidence=min_confidence,
    )
    _images(s3, bucket, request, view)
    if view["people"] and names is not None:
        name_people(view, names)
    name, prefix = slug(request.video.baseName), request.vision.prefix
    for kind in TRACK_KINDS:
        if view["branches"][kind]["available"]:
            track = metadata_track(kind, view[kind])
            view["tracks"][kind] = _put(s3, bucket, f"{prefix}{name}-{kind}.vtt", track, "text/vtt")
    if view["people"]:
        track = people_track(view["people"])
        view["tracks"]["people"] = _put(s3, bucket, f"{prefix}{name}-people.vtt", track, "text/vtt")
    view_key = _put(
        s3,
        bucket,
        f"{prefix}{name}.json",
        json.dumps(view, ensure_ascii=False, indent=1),
        "application/json",
    )
    return {
        "analysed": True,
        "viewKey": view_key,
        "shotCount": len(view["shots"]),
        "textExcerpt": text_excerpt(view["text"]),
        "people": sorted({p["name"] for p in view["people"]}),
        "needsReview": view["needsReview"],
        "reviewLabels": view["reviewLabels"],
        "posterKey": view["posterKey"],
        "unavailable": sorted(k for k, b in view["branches"].items() if not b["available"]),
    }
