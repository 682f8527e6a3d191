"""S3's Object Deleted event, read for the uploads it takes out of the library."""

from __future__ import annotations

from typing import Any

from video_pipeline.deleted_upload import ObjectDeletedEvent, deleted_video_ids
from video_pipeline.upload import video_id

BUCKET = "reelscribe-uploadbucket"


def _deleted(key: str, deletion_type: str, version: str | None = None) -> ObjectDeletedEvent:
    obj: dict[str, Any] = {"key": key, "sequencer": "0062E99A88DC407460"}
    if version:
        obj["version-id"] = version
    return ObjectDeletedEvent.model_validate(
        {
            "version": "0",
            "id": "17793124-05d4-b198-2fde-7ededc63b103",
            "detail-type": "Object Deleted",
            "source": "aws.s3",
            "account": "123456789012",
            "time": "2026-11-22T10:15:30Z",
            "region": "us-east-1",
            "resources": [f"arn:aws:s3:::{BUCKET}"],
            "detail": {
                "version": "0",
                "bucket": {"name": BUCKET},
                "object": obj,
                "request-id": "N4N7GDK58NMKJ12R",
                "requester": "123456789012",
                "source-ip-address": "1.2.3.4",
                "reason": "DeleteObject",
                "deletion-type": deletion_type,
            },
        }
    )


class _Table:
    """The videos table's Query, answering from the items given, a page at a time."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.queries: list[dict[str, Any]] = []

    def query(self, **params: Any) -> dict[str, Any]:
        self.queries.append(params)
        values = params["ExpressionAttributeValues"]
        matching = [
            {"videoId": item["videoId"]}
            for item in self.items
            if item["userId"] == values[":owner"] and item["sourceUri"] == values[":source"]
        ]
        start = int(params.get("ExclusiveStartKey", {}).get("page", 0))
        page: dict[str, Any] = {"Items": matching[start : start + 1]}
        if start + 1 < len(matching):
            page["LastEvaluatedKey"] = {"page": start + 1}
        return page


def test_deleted_version_names_its_upload_without_a_lookup() -> None:
    # Given one version deleted for good: its id is the upload's, hashed from the decoded key
    event = _deleted("alice/My+Trip+to+M%C3%BCnchen.mp4", "Permanently Deleted", "v3")
    table = _Table([])
    found = deleted_video_ids(table, "videos", event.detail)  # type: ignore[arg-type]
    assert found == [video_id(BUCKET, "alice/My Trip to München.mp4", "v3")]
    assert table.queries == []


def test_delete_marker_names_every_upload_of_the_key_by_owner_and_source() -> None:
    # Given two uploads of the key (two versions), one of another key, and another owner's
    source = f"s3://{BUCKET}/alice/My Trip.mp4"
    table = _Table(
        [
            {"userId": {"S": "alice"}, "videoId": {"S": "a1"}, "sourceUri": {"S": source}},
            {"userId": {"S": "alice"}, "videoId": {"S": "a2"}, "sourceUri": {"S": source}},
            {"userId": {"S": "alice"}, "videoId": {"S": "a3"}, "sourceUri": {"S": source + "x"}},
            {"userId": {"S": "bob"}, "videoId": {"S": "b1"}, "sourceUri": {"S": source}},
        ]
    )
    # When the key is deleted (a delete marker, whose version names no upload)
    event = _deleted("alice/My+Trip.mp4", "Delete Marker Created", "marker")
    # Then both its uploads are found, over pages
    assert deleted_video_ids(table, "videos", event.detail) == ["a1", "a2"]  # type: ignore[arg-type]
    assert len(table.queries) == 2


def test_delete_unversioned_key_with_no_upload_names_none() -> None:
    event = _deleted("nobody.mp4", "Permanently Deleted")
    assert deleted_video_ids(_Table([]), "videos", event.detail) == []  # type: ignore[arg-type]
