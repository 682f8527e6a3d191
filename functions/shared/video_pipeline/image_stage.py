"""Make Image Renditions: read the upload, write its renditions, choose what Rekognition reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from pydantic import BaseModel

from .errors import ImageTooLargeError
from .image_renditions import IMAGE_RENDITIONS, REKOGNITION_FORMATS, read_picture, render
from .output_keys import output_key
from .upload import Video

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# Rekognition's image limits: 15 MB for an S3 object (5 MB as bytes; the pipeline always
# passes S3 objects). Larger originals, and formats it does not read, are analysed through the
# web rendition, which is a JPEG of at most 1280x720.
REKOGNITION_S3_BYTES = 15 * 1024 * 1024
# Read no more than this into Lambda's memory; a picture beyond it is refused before decoding.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImageInfo(BaseModel):
    kind: str = "image"
    width: int
    height: int
    format: str
    rotated: bool
    sizeBytes: int


class ImagePlan(BaseModel):
    media: ImageInfo
    renditions: dict[str, str]
    analysedKey: str  # the object Rekognition reads, in analysisImage's bucket
    analysedFrom: str  # "original" or the rendition's name
    analysisImage: dict[str, Any]  # Rekognition's Image parameter: {"S3Object": {...}}


def analysis_source(video: Video, fmt: str, rotated: bool, size: int) -> str:
    """Which object Rekognition reads: the original when it can, else the web rendition.

    A turned original would give boxes on the stored pixels, not the picture as shown, so a
    picture with an EXIF rotation is analysed upright, through its rendition, too.
    """
    if fmt in REKOGNITION_FORMATS and size <= REKOGNITION_S3_BYTES and not rotated:
        return "original"
    return "web"


def make_image_renditions(s3: S3Client, video: Video, output_bucket: str) -> ImagePlan:
    source = video.fileName
    head = s3.head_object(Bucket=video.bucket, Key=video.key, **_version(video))
    size = int(head["ContentLength"])
    if size > MAX_UPLOAD_BYTES:
        raise ImageTooLargeError(
            f"{source} is {size:,} bytes; pictures of up to {MAX_UPLOAD_BYTES:,} bytes are taken."
        )
    body = s3.get_object(Bucket=video.bucket, Key=video.key, **_version(video))["Body"].read()
    picture = read_picture(body, source)
    keys: dict[str, str] = {}
    for box in IMAGE_RENDITIONS:
        key = output_key(box.name, video, "jpg")
        s3.put_object(
            Bucket=output_bucket, Key=key, Body=render(picture, box), ContentType="image/jpeg"
        )
        keys[box.name] = key
    chosen = analysis_source(video, picture.format, picture.rotated, size)
    if chosen == "original":
        s3_object: dict[str, Any] = {
            "Bucket": video.bucket,
            "Name": video.key,
            **_s3_version(video),
        }
        analysed = video.key
    else:
        s3_object = {"Bucket": output_bucket, "Name": keys[chosen]}
        analysed = keys[chosen]
    return ImagePlan(
        media=ImageInfo(
            width=picture.width,
            height=picture.height,
            format=picture.format,
            rotated=picture.rotated,
            sizeBytes=size,
        ),
        renditions=keys,
        analysedKey=analysed,
        analysedFrom=chosen,
        analysisImage={"S3Object": s3_object},
    )


class _VersionId(TypedDict, total=False):
    VersionId: str


def _version(video: Video) -> _VersionId:
    """The uploaded version's id for S3's reads, when the bucket keeps versions."""
    return {"VersionId": video.versionId} if video.versionId else {}


def _s3_version(video: Video) -> dict[str, str]:
    return {"Version": video.versionId} if video.versionId else {}
