"""Moving objects between the emulated S3 and local files, for the engines that need files."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import boto3
from botocore.config import Config

from ..runtime.interception import ServiceError


def split_s3_uri(uri: str) -> tuple[str, str]:
    """The bucket and key an AWS service reads for `uri`.

    An `s3://bucket/key` URI is not a URL: MediaConvert's FileInput and Probe FileUrl and
    Transcribe's MediaFileUri take the key verbatim, so `#`, `?`, `%` and spaces in it are
    part of the key. An https URL is a URL, and its path is percent-decoded.
    """
    if uri.startswith("s3://"):
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        if bucket and key.strip("/"):
            return bucket, key.lstrip("/")
    parsed = urlparse(uri)
    if parsed.scheme == "https" and parsed.netloc.startswith("s3"):
        bucket, _, key = unquote(parsed.path).lstrip("/").partition("/")
        if bucket and key:
            return bucket, key
    raise ServiceError("BadRequestException", f"Not an S3 object URI: {uri}")


SERVICE_SIDE = Config(
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
    # Nothing checks a signature in the emulator: no SHA-256 pass over every body either.
    s3={"payload_signing_enabled": False},
)


class ObjectStore:
    def __init__(self, region: str, session: boto3.Session | None = None) -> None:
        # A client of the caller's session shares its loaded service models: a new session
        # would load and parse them again. The service's own writes carry no checksum: the
        # SDK would send each body as aws-chunked with a trailer, which moto finds by running
        # a regular expression over the whole body, a rendition's megabytes at a time.
        self._s3: Any = (session or boto3.Session()).client(
            "s3", region_name=region, config=SERVICE_SIDE
        )

    def download(self, uri: str, path: Path, version: str = "") -> Path:
        bucket, key = split_s3_uri(uri)
        try:
            body = self._s3.get_object(Bucket=bucket, Key=key, **_version(version))["Body"]
        except self._s3.exceptions.NoSuchKey:
            raise ServiceError("NotFoundException", f"{uri} does not exist", 404) from None
        except self._s3.exceptions.ClientError as error:
            raise ServiceError("BadRequestException", f"Cannot read {uri}: {error}") from None
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            for chunk in iter(lambda: body.read(1 << 20), b""):
                handle.write(chunk)
        return path

    def head(self, bucket: str, key: str, version: str = "") -> tuple[int, str] | None:
        """The object's size in bytes and its ETag, or None when it cannot be read."""
        try:
            head = self._s3.head_object(Bucket=bucket, Key=key, **_version(version))
        except self._s3.exceptions.ClientError:
            return None
        return int(head["ContentLength"]), str(head.get("ETag", ""))

    def read(self, bucket: str, key: str, version: str = "") -> bytes:
        return bytes(
            self._s3.get_object(Bucket=bucket, Key=key, **_version(version))["Body"].read()
        )

    def upload(self, path: Path, uri: str, content_type: str | None = None) -> None:
        bucket, key = split_s3_uri(uri)
        extra = {"ContentType": content_type} if content_type else {}
        with path.open("rb") as handle:
            self._s3.put_object(Bucket=bucket, Key=key, Body=handle, **extra)

    def put_bytes(self, uri: str, data: bytes, content_type: str) -> None:
        bucket, key = split_s3_uri(uri)
        self._s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)


def _version(version: str) -> dict[str, str]:
    return {"VersionId": version} if version else {}
