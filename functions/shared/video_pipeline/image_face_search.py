"""Search Image Faces: each face Detect Image Faces found in a picture, searched in the face
collection with SearchFacesByImage.

SearchFacesByImage searches only the largest face of the image it is given, so a picture with
one face is searched as it is (the S3 object Rekognition already read), and a picture with
several is searched one crop per face: the face's box with a margin around it, which the
detector needs to find a face again. A crop's search counts only when the face it searched is
the one it was cut around (its centre inside the box), not a larger neighbour in the margin.

The result has GetFaceSearch's shape, `Persons` with each face's box in the picture and its
`FaceMatches`, so the picture's view reads it as a video's view reads face search.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from PIL import Image
from pydantic import BaseModel

from .errors import FaceCollectionError, UnreadableImageError, VisionServiceBusyError
from .upload import Video

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

MARGIN = 0.4  # of the face's width and height, on each side of a crop
MIN_CROP_SIDE = 160  # Rekognition reads pictures from 80 pixels a side; a small face is enlarged
MAX_CROP_SIDE = 1024  # Bytes take at most 5 MB: a crop is kept well under it
MAX_MATCHES = 5
_BUSY = {"ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"}
_UNREADABLE = {"InvalidImageFormatException", "ImageTooLargeException", "InvalidS3ObjectException"}


class ImageFaceSearchRequest(BaseModel):
    video: Video
    image: dict[str, Any]  # Make Image Renditions' result: analysisImage is what was analysed
    vision: list[dict[str, Any]]  # Analyze Image's branches


def found_faces(branches: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Detect Image Faces' FaceDetails, or None when that branch failed."""
    for branch in branches:
        if branch.get("kind") == "faces":
            if "response" not in branch:
                return None
            return list((branch["response"] or {}).get("FaceDetails") or [])
    return None


def crop_face(picture: Image.Image, box: dict[str, float]) -> tuple[bytes, dict[str, float]]:
    """The face in `box` with a margin, as a JPEG, and the box's place in the crop (ratios)."""
    width, height = picture.size
    left, top = box["Left"] * width, box["Top"] * height
    face_w, face_h = box["Width"] * width, box["Height"] * height
    x0 = max(0, round(left - MARGIN * face_w))
    y0 = max(0, round(top - MARGIN * face_h))
    x1 = min(width, round(left + face_w + MARGIN * face_w))
    y1 = min(height, round(top + face_h + MARGIN * face_h))
    crop = picture.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))).convert("RGB")
    scale = max(MIN_CROP_SIDE / min(crop.size), 1.0)
    scale = min(scale, MAX_CROP_SIDE / max(crop.size))
    if scale != 1.0:
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        crop = crop.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    crop.save(out, format="JPEG", quality=92)
    cw, ch = x1 - x0 or 1, y1 - y0 or 1
    inside = {
        "Left": (left - x0) / cw,
        "Top": (top - y0) / ch,
        "Width": face_w / cw,
        "Height": face_h / ch,
    }
    return out.getvalue(), inside


def _is_centred_in(searched: dict[str, Any], box: dict[str, float]) -> bool:
    x = float(searched.get("Left", 0)) + float(searched.get("Width", 0)) / 2
    y = float(searched.get("Top", 0)) + float(searched.get("Height", 0)) / 2
    return (
        box["Left"] <= x <= box["Left"] + box["Width"]
        and box["Top"] <= y <= box["Top"] + box["Height"]
    )


def _search(
    rekognition: RekognitionClient, collection: str, threshold: float, image: dict[str, Any]
) -> dict[str, Any] | None:
    """SearchFacesByImage's answer, or None when it found no face in the image."""
    try:
        return dict(
            rekognition.search_faces_by_image(
                CollectionId=collection,
                Image=image,  # type: ignore[arg-type]
                MaxFaces=MAX_MATCHES,
                FaceMatchThreshold=threshold,
            )
        )
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        message = str(error.response.get("Error", {}).get("Message", "")) or code
        if code == "InvalidParameterException":
            return None  # a face too small or unclear to search again: it names no one
        if code in _BUSY:
            raise VisionServiceBusyError(f"SearchFacesByImage: {code}: {message}") from error
        if code in _UNREADABLE:
            raise UnreadableImageError(f"SearchFacesByImage: {message}") from error
        raise FaceCollectionError(f"SearchFacesByImage failed ({code}): {message}") from error


def search_image_faces(
    rekognition: RekognitionClient,
    s3: S3Client,
    request: ImageFaceSearchRequest,
    collection: str,
    threshold: float,
) -> dict[str, Any]:
    """Analyze Image's face search branch: `{"kind", "response"}`, or `{"kind", "error"}`
    when the faces could not be found, so there was nothing to search."""
    details = found_faces(request.vision)
    if details is None:
        cause = "Faces were not detected in this picture, so none could be searched."
        return {"kind": "face_search", "error": {"Error": "FacesUnavailable", "Cause": cause}}
    image: dict[str, Any] = dict(request.image.get("analysisImage") or {})
    persons: list[dict[str, Any]] = []
    picture: Image.Image | None = None
    for index, detail in enumerate(details):
        box = detail["BoundingBox"]
        if len(details) == 1:
            answer = _search(rekognition, collection, threshold, image)
        else:
            picture = picture or _open(s3, image)
            crop, inside = crop_face(picture, box)
            answer = _search(rekognition, collection, threshold, {"Bytes": crop})
            searched = (answer or {}).get("SearchedFaceBoundingBox") or {}
            if answer is not None and not _is_centred_in(searched, inside):
                answer = None  # the crop's largest face was a neighbour's
        matches = list((answer or {}).get("FaceMatches") or [])
        persons.append({"Person": {"Index": index, "BoundingBox": box}, "FaceMatches": matches})
    return {"kind": "face_search", "response": {"Persons": persons}}


def _open(s3: S3Client, image: dict[str, Any]) -> Image.Image:
    location = image.get("S3Object") or {}
    version = {"VersionId": location["Version"]} if location.get("Version") else {}
    try:
        body = s3.get_object(Bucket=location["Bucket"], Key=location["Name"], **version)
    except ClientError as error:
        raise UnreadableImageError(f"The picture analysed cannot be read: {error}") from error
    picture = Image.open(io.BytesIO(body["Body"].read()))
    picture.load()
    return picture
