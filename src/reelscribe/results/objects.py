"""Reading a video's outputs out of S3, for its folder: through the S3 API (an execution on
AWS, or any client), or straight from the local runtime's emulated store."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, NamedTuple, Protocol


class StoredObject(NamedTuple):
    key: str
    size: int


class Objects(Protocol):
    """What the folder writer asks of a bucket."""

    def folders(self, bucket: str, prefix: str) -> list[str]:
        """The common prefixes one level under `prefix`, each ending in '/'."""

    def objects(self, bucket: str, prefix: str) -> list[StoredObject]:
        """Every object whose key starts with `prefix` (its current version)."""

    def copy(self, bucket: str, key: str, target: Path) -> None:
        """Write the object's body to `target`."""


class ClientObjects:
    """Through an S3 client: ListObjectsV2 and GetObject."""

    def __init__(self, s3: Any) -> None:
        self._s3 = s3

    def folders(self, bucket: str, prefix: str) -> list[str]:
        found: list[str] = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix, Delimiter="/"
        ):
            found += [str(p["Prefix"]) for p in page.get("CommonPrefixes", [])]
        return found

    def objects(self, bucket: str, prefix: str) -> list[StoredObject]:
        found: list[StoredObject] = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix
        ):
            found += [
                StoredObject(str(entry["Key"]), int(entry.get("Size") or 0))
                for entry in page.get("Contents", [])
            ]
        return found

    def copy(self, bucket: str, key: str, target: Path) -> None:
        body = self._s3.get_object(Bucket=bucket, Key=key)["Body"]
        with target.open("wb") as copy:
            shutil.copyfileobj(body, copy)
