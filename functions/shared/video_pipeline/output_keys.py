"""Where outputs live in the output bucket: output/<kind>/<user>/<videoId>/<name>.<ext>.

The seed's folders (output/web, output/phone, ...) are kept; the user and video id below them
keep two uploads of the same file name, or two users' files, from overwriting each other.
"""

from __future__ import annotations

from .upload import Video, slug


def output_prefix(kind: str, video: Video) -> str:
    return f"output/{kind}/{slug(video.userId, 'user')}/{video.videoId}/"


def output_key(kind: str, video: Video, extension: str, modifier: str = "") -> str:
    """`modifier` is MediaConvert's NameModifier, which it puts between the name and the
    extension (`-track2`)."""
    return f"{output_prefix(kind, video)}{slug(video.baseName)}{modifier}.{extension}"


def s3_uri(bucket: str, key: str) -> str:
    """The key goes in as written: MediaConvert and Transcribe read an s3:// URI as a bucket and
    a key, not as a URL, so '#', '?' and '%' in it are not escaped."""
    return f"s3://{bucket}/{key}"
