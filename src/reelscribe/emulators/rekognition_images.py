"""Amazon Rekognition's synchronous image calls: DetectText, DetectFaces and
DetectModerationLabels, answered by the same detectors as the video jobs.

Limits and errors as the service has them: an image is JPEG or PNG
(InvalidImageFormatException otherwise, or when it does not decode), at most 5 MB sent as
Bytes and 15 MB read from S3 (ImageTooLargeException), and at least 80 pixels on each side
(InvalidParameterException); a missing S3 object is InvalidS3ObjectException. DetectLabels and
RecognizeCelebrities are refused with AccessDeniedException: no offline model ships for them.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from typing import Any

from ..runtime.interception import Router, ServiceError
from .storage import ObjectStore

# The detectors (and Pillow, numpy, OpenCV) are imported by the calls that use them, so that
# registering these operations costs a run's start nothing.

MAX_BYTES = 5 * 1024 * 1024
MAX_S3_BYTES = 15 * 1024 * 1024
MIN_SIDE = 80
MAX_WORDS = 100  # DetectText reads at most 100 words in an image
MAX_FACES = 100
_FORMATS = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
NO_OBJECT = (
    "Unable to get object metadata from S3. Check object key, region and/or access permissions."
)


def unavailable(
    what: str, reason: str = "no offline model for it ships in a wheel"
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An operation that cannot be served here: refused, never answered with made-up results."""

    def refuse(_params: dict[str, Any]) -> dict[str, Any]:
        raise ServiceError("AccessDeniedException", f"{what} is unavailable locally: {reason}.")

    return refuse


def s3_object(value: Any, what: str) -> tuple[str, str, str]:
    """The bucket, key and version of ``{"S3Object": {...}}``."""
    location = (value or {}).get("S3Object") if isinstance(value, dict) else None
    if not isinstance(location, dict) or not location.get("Bucket") or not location.get("Name"):
        raise ServiceError(
            "InvalidParameterException", f"{what}.S3Object needs a Bucket and a Name"
        )
    return str(location["Bucket"]), str(location["Name"]), str(location.get("Version") or "")


def filter_words(
    items: list[dict[str, Any]], min_confidence: float, min_height: float, min_width: float
) -> list[dict[str, Any]]:
    """A WordFilter applied: words under its minimums go, and so does a line left with none."""

    def kept(item: dict[str, Any]) -> bool:
        found = item["Geometry"]["BoundingBox"]
        return bool(
            item["Confidence"] >= min_confidence
            and found["Height"] >= min_height
            and found["Width"] >= min_width
        )

    words = [i for i in items if i["Type"] == "WORD" and kept(i)]
    lines = {w["ParentId"] for w in words}
    return [i for i in items if (i["Type"] == "LINE" and i["Id"] in lines) or i in words]


def limit_words(items: list[dict[str, Any]], most: int) -> list[dict[str, Any]]:
    """Whole lines, in reading order, while their words number at most `most`."""
    kept: list[dict[str, Any]] = []
    words = 0
    for index, item in enumerate(items):
        if item["Type"] != "LINE":
            continue
        own = [i for i in items[index + 1 :] if i.get("ParentId") == item["Id"]]
        if words + len(own) > most:
            break
        words += len(own)
        kept += [item, *own]
    return kept


class ImageApis:
    def __init__(self, store: ObjectStore) -> None:
        self._store = store

    def register(self, router: Router) -> None:
        router.answer("rekognition", "DetectText", self.detect_text)
        router.answer("rekognition", "DetectFaces", self.detect_faces)
        router.answer("rekognition", "DetectModerationLabels", self.detect_moderation_labels)
        router.answer("rekognition", "DetectLabels", unavailable("Label detection"))
        router.answer("rekognition", "RecognizeCelebrities", unavailable("Celebrity recognition"))

    def detect_text(self, params: dict[str, Any]) -> dict[str, Any]:
        from ..vision import text

        picture = self.picture(params)
        word_filter = (params.get("Filters") or {}).get("WordFilter") or {}
        minimums = [
            float(word_filter.get(k, 0.0))
            for k in ("MinConfidence", "MinBoundingBoxHeight", "MinBoundingBoxWidth")
        ]
        height, width = picture.shape[:2]
        found = filter_words(text.detections(text.read_lines(picture), width, height), *minimums)
        return {"TextDetections": limit_words(found, MAX_WORDS), "TextModelVersion": "3.0"}

    def detect_faces(self, params: dict[str, Any]) -> dict[str, Any]:
        attributes = params.get("Attributes") or ["DEFAULT"]
        if any(a not in ("DEFAULT", "ALL") for a in attributes):
            # The other attribute names (AGE_RANGE, EMOTIONS, ...) have no local model.
            raise ServiceError(
                "InvalidParameterException",
                "Only the DEFAULT face attributes are available locally",
            )
        from ..vision import faces

        found = faces.detect(self.picture(params))
        # The service reports the largest faces, 100 at most.
        found.sort(key=lambda d: -d["BoundingBox"]["Width"] * d["BoundingBox"]["Height"])
        return {"FaceDetails": found[:MAX_FACES]}

    def detect_moderation_labels(self, params: dict[str, Any]) -> dict[str, Any]:
        from ..vision import moderation

        minimum = params.get("MinConfidence", moderation.DEFAULT_MIN_CONFIDENCE)
        if (
            isinstance(minimum, bool)
            or not isinstance(minimum, (int, float))
            or not 0 <= minimum <= 100
        ):
            raise ServiceError("InvalidParameterException", "MinConfidence must be 0 to 100")
        labels = moderation.detect(self.picture(params), float(minimum))
        return {
            "ModerationLabels": labels,
            "ModerationModelVersion": moderation.MODEL_VERSION,
            "ContentTypes": [],
        }

    # ------------------------------------------------------------------ the image
    def picture(self, params: dict[str, Any]) -> Any:
        image = params.get("Image")
        if not isinstance(image, dict) or ("Bytes" in image) == ("S3Object" in image):
            raise ServiceError(
                "InvalidParameterException", "Image needs either Bytes or an S3Object"
            )
        if "Bytes" in image:
            data = image["Bytes"]
            data = data.encode() if isinstance(data, str) else bytes(data)
            if len(data) > MAX_BYTES:
                raise ServiceError(
                    "ImageTooLargeException",
                    f"Image size is too large: {len(data)} bytes; Bytes take at most 5 MB",
                )
        else:
            bucket, key, version = s3_object(image, "Image")
            head = self._store.head(bucket, key, version)
            if head is None:
                raise ServiceError("InvalidS3ObjectException", NO_OBJECT)
            size = head[0]
            if size > MAX_S3_BYTES:
                raise ServiceError(
                    "ImageTooLargeException",
                    f"Image size is too large: {size} bytes; an S3 object takes at most 15 MB",
                )
            data = self._store.read(bucket, key, version)
        return decode(data)


def decode(data: bytes) -> Any:
    """An RGB array of a JPEG or PNG, or the service's error for anything else.

    The three image calls Analyze Image makes at once read the same object: one decodes it while
    the others wait, then they share the (read-only) array, so a large picture is in memory
    once rather than three times. The last two pictures stay decoded (a few tens of MB each).
    """
    if not any(data.startswith(magic) for magic in _FORMATS):
        raise ServiceError("InvalidImageFormatException", "Request has invalid image format")
    with _decoding:
        return _decode(data)


_decoding = threading.Lock()


@functools.lru_cache(maxsize=2)
def _decode(data: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    from ..vision import pictures

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format not in _FORMATS.values():
                raise ServiceError(
                    "InvalidImageFormatException", "Request has invalid image format"
                )
            width, height = opened.size
            if min(width, height) < MIN_SIDE:
                raise ServiceError(
                    "InvalidParameterException",
                    f"The image is {width}x{height}; the minimum is {MIN_SIDE} pixels on each side",
                )
            picture = pictures.analysable(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ServiceError(
            "InvalidImageFormatException", "Request has invalid image format"
        ) from None
    except Image.DecompressionBombError:
        raise ServiceError("ImageTooLargeException", "Image dimensions are too large") from None
    picture.flags.writeable = False  # shared by the calls that read the same picture
    return picture
