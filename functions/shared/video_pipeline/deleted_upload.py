"""An upload deleted from its bucket leaves the library: S3's Object Deleted event to the
uploads it names.

A video's id hashes its object's version, which a delete event gives only when that version
itself is deleted; a plain delete in a versioned bucket adds a delete marker (the event carries
the marker's version), and then every upload of the key is gone from view: they are found in
the videos table by their owner and source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, Field

from .search_index import Library, remove_upload
from .upload import decode_key, split_owner, video_id

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PERMANENTLY_DELETED = "Permanently Deleted"


class DeletedBucket(BaseModel):
    name: str


class DeletedObject(BaseModel):
    key: str
    version_id: str | None = Field(default=None, alias="version-id")


class ObjectDeletedDetail(BaseModel):
    bucket: DeletedBucket
    object: DeletedObject
    deletion_type: str = Field(alias="deletion-type")


class ObjectDeletedEvent(EventBridgeModel):
    detail: ObjectDeletedDetail


def is_object_deleted(event: Any) -> bool:
    return isinstance(event, dict) and event.get("detail-type") == "Object Deleted"


def deleted_video_ids(
    dynamodb: DynamoDBClient, table: str, deleted: ObjectDeletedDetail
) -> list[str]:
    """The uploads the delete takes out of view."""
    bucket, key = deleted.bucket.name, decode_key(deleted.object.key)
    if deleted.deletion_type == PERMANENTLY_DELETED and deleted.object.version_id:
        return [video_id(bucket, key, deleted.object.version_id)]
    owner, _ = split_owner(key)
    query: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "userId = :owner",
        "FilterExpression": "sourceUri = :source",
        "ProjectionExpression": "videoId",
        "ExpressionAttributeValues": {
            ":owner": {"S": owner},
            ":source": {"S": f"s3://{bucket}/{key}"},
        },
    }
    found: list[str] = []
    while True:
        page = dynamodb.query(**query)
        found += [item["videoId"]["S"] for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return found
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def remove_deleted(
    dynamodb: DynamoDBClient, library: Library, table: str, event: ObjectDeletedEvent
) -> dict[str, Any]:
    """Each upload the delete names leaves the index; a key never indexed changes nothing."""
    removed = deleted_video_ids(dynamodb, table, event.detail)
    for video in removed:
        remove_upload(library, video)
    return {"searchable": False, "removed": removed}
