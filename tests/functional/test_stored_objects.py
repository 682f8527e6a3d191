"""The emulated store read in place answers as ListObjectsV2 and GetObject answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelscribe.results.objects import ClientObjects
from reelscribe.runtime.local import LocalRuntime

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "stored-objects"
BIG = bytes(range(256)) * 2048  # 512 KiB: kept in a temporary file, not in memory


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(ROOT / "template.yaml") as local:
        s3 = local.s3
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        s3.put_object(Bucket=BUCKET, Key="output/web/alice/v1/clip.mp4", Body=BIG)
        s3.put_object(Bucket=BUCKET, Key="output/web/alice/v1/clip.json", Body=b"old")
        s3.put_object(Bucket=BUCKET, Key="output/web/alice/v1/clip.json", Body=b'{"new": 1}')
        s3.put_object(Bucket=BUCKET, Key="output/gif/alice/v1/clip.gif", Body=b"GIF89a")
        s3.put_object(Bucket=BUCKET, Key="output/gone/alice/v1/deleted.txt", Body=b"x")
        s3.delete_object(Bucket=BUCKET, Key="output/gone/alice/v1/deleted.txt")
        s3.put_object(Bucket=BUCKET, Key="output-not-a-folder.txt", Body=b"y")
        yield local


def test_emulated_objects_listed_in_process_match_list_objects_v2(runtime: LocalRuntime) -> None:
    through_api = ClientObjects(runtime.s3)
    in_process = runtime.objects

    for prefix in ("output/", "output/web/alice/v1/", "output/gone/", "nothing/"):
        assert in_process.objects(BUCKET, prefix) == through_api.objects(BUCKET, prefix)
    # S3 lists no common prefix for a folder whose keys are all deleted (moto still lists
    # it, and the writer finds nothing under it either way).
    assert in_process.folders(BUCKET, "output/") == ["output/gif/", "output/web/"]
    assert set(in_process.folders(BUCKET, "output/")) <= set(through_api.folders(BUCKET, "output/"))
    # Only the newest version of a key is listed.
    listed = {o.key: o.size for o in in_process.objects(BUCKET, "output/")}
    assert listed == {
        "output/gif/alice/v1/clip.gif": 6,
        "output/web/alice/v1/clip.json": 10,
        "output/web/alice/v1/clip.mp4": len(BIG),
    }


def test_emulated_objects_copied_in_process_match_get_object(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    for key in ("output/web/alice/v1/clip.mp4", "output/web/alice/v1/clip.json"):
        ClientObjects(runtime.s3).copy(BUCKET, key, tmp_path / "api")
        runtime.objects.copy(BUCKET, key, tmp_path / "in-process")
        assert (tmp_path / "in-process").read_bytes() == (tmp_path / "api").read_bytes()
    assert (tmp_path / "in-process").read_bytes() == b'{"new": 1}'


def test_emulated_objects_copy_of_a_deleted_key_raises_file_not_found(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match=r"deleted\.txt is gone"):
        runtime.objects.copy(BUCKET, "output/gone/alice/v1/deleted.txt", tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_service_side_put_sends_the_body_as_is_unsigned_and_stores_it_whole(
    runtime: LocalRuntime,
) -> None:
    # Given the request the runtime's S3 client sends, caught before it goes
    sent: list[dict[str, str]] = []

    def catch(request: Any, **_: object) -> None:
        sent.append(dict(request.headers.items()))

    runtime.s3.meta.events.register("before-send.s3.PutObject", catch)
    try:
        # When it puts a body of several hundred KiB
        runtime.s3.put_object(Bucket=BUCKET, Key="output/put/body.bin", Body=BIG)
    finally:
        runtime.s3.meta.events.unregister("before-send.s3.PutObject", catch)
    # Then the body went as it is, neither hashed for the signature nor chunked with a checksum
    # trailer, and the store holds every byte of it
    headers = {
        name.lower(): value.decode() if isinstance(value, bytes) else value
        for name, value in sent[0].items()
    }
    assert headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert "aws-chunked" not in headers.get("content-encoding", "")
    assert "x-amz-trailer" not in headers
    stored = runtime.s3.get_object(Bucket=BUCKET, Key="output/put/body.bin")["Body"].read()
    assert stored == BIG
