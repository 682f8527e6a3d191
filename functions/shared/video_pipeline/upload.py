"""Who uploaded what: decoding an S3 Object Created event into a video's identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from urllib.parse import unquote_plus

from pydantic import BaseModel

ANONYMOUS_USER = "anonymous"
# MediaConvert's Probe reads no picture formats (its Format enum has none), so a picture is told
# by its name; Make Image Renditions then reads its bytes and refuses what is not a picture.
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "heic", "heif"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# A photo under known-faces/<Name>/ enrols Name's face: it goes to Enroll Face, not the media path.
KNOWN_FACES_PREFIX = "known-faces/"


class Video(BaseModel):
    userId: str
    videoId: str
    bucket: str
    key: str
    versionId: str | None = None
    size: int
    fileName: str
    baseName: str
    sourceUri: str
    uploadedAt: str
    isImage: bool = False
    knownFace: bool = False


def decode_key(raw_key: str) -> str:
    """S3 event keys are URL-encoded: '+' is a space and %XX an escaped byte."""
    return unquote_plus(raw_key)


def split_owner(key: str) -> tuple[str, str]:
    """`<userId>/<...>/<file>` belongs to userId; a key with no prefix belongs to anonymous."""
    owner, sep, _ = key.partition("/")
    file_name = key.rsplit("/", 1)[-1]
    if not sep or not owner:
        return ANONYMOUS_USER, file_name
    return owner, file_name


def base_name(file_name: str) -> str:
    """Drop only the last extension: 'my.trip.mp4' -> 'my.trip'; words inside the name stay."""
    stem, dot, _ = file_name.rpartition(".")
    return stem if dot and stem else file_name


def slug(text: str, fallback: str = "video") -> str:
    """A name that is safe in S3 keys, MediaConvert destinations and Transcribe job names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_text).strip("-.")
    return cleaned[:100] or fallback


def is_image_name(file_name: str) -> bool:
    _, dot, extension = file_name.rpartition(".")
    return bool(dot) and extension.lower() in IMAGE_EXTENSIONS


def video_id(bucket: str, key: str, version: str) -> str:
    """Deterministic per object version, so a redelivered event maps to the same video."""
    digest = hashlib.sha256(f"{bucket}\n{key}\n{version}".encode()).hexdigest()
    return digest[:16]


def video_from_event(
    bucket: str,
    raw_key: str,
    size: float | None,
    version_id: str | None,
    sequencer: str | None,
    etag: str,
    time: datetime,
) -> Video:
    key = decode_key(raw_key)
    owner, file_name = split_owner(key)
    # Unversioned buckets have no version id; the sequencer still differs per write.
    version = version_id or sequencer or etag
    return Video(
        userId=owner,
        videoId=video_id(bucket, key, version),
        bucket=bucket,
        key=key,
        versionId=version_id,
        size=int(size or 0),
        fileName=file_name,
        baseName=base_name(file_name),
        # The decoded key, verbatim: see output_keys.s3_uri.
        sourceUri=f"s3://{bucket}/{key}",
        uploadedAt=time.isoformat().replace("+00:00", "Z"),
        isImage=is_image_name(file_name),
        knownFace=key.startswith(KNOWN_FACES_PREFIX) and key.count("/") >= 2,
    )
