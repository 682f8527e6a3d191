"""The emulated S3's objects, read in the runtime's own process for the folders a run writes.

Through the API, each of a video's twenty-odd outputs and each listing was a request through
botocore and moto (1.5-2.5 ms of the interpreter apiece), on the thread that also starts the
next video: about 65 ms a video, at the moment two videos hand over. What is read is what
ListObjectsV2 and GetObject would answer: each key's current version, delete markers left out.
"""

from __future__ import annotations

from pathlib import Path

from moto.s3.models import FakeBucket, FakeKey, s3_backends

from ..results.objects import StoredObject


class EmulatedObjects:
    def __init__(self, account: str, partition: str = "aws") -> None:
        self._account, self._partition = account, partition

    def _bucket(self, name: str) -> FakeBucket:
        bucket: FakeBucket = s3_backends[self._account][self._partition].get_bucket(name)
        return bucket

    def _current(self, bucket: str, prefix: str) -> list[tuple[str, FakeKey]]:
        keys = self._bucket(bucket).keys
        # list() of a dict is one call under the interpreter lock: other videos write meanwhile.
        names = [name for name in list(keys) if name.startswith(prefix)]
        current = ((name, keys.get(name)) for name in names)
        return sorted((name, key) for name, key in current if isinstance(key, FakeKey))

    def folders(self, bucket: str, prefix: str) -> list[str]:
        found = {
            prefix + name[len(prefix) :].split("/", 1)[0] + "/"
            for name, _ in self._current(bucket, prefix)
            if "/" in name[len(prefix) :]
        }
        return sorted(found)

    def objects(self, bucket: str, prefix: str) -> list[StoredObject]:
        return [StoredObject(name, key.size) for name, key in self._current(bucket, prefix)]

    def copy(self, bucket: str, key: str, target: Path) -> None:
        found = self._bucket(bucket).keys.get(key)
        if not isinstance(found, FakeKey):
            raise FileNotFoundError(f"s3://{bucket}/{key} is gone")
        target.write_bytes(found.value)
