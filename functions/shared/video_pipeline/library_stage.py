"""Index Media: an upload's moments into the library, read from what the pipeline stored.

The index is a copy that can be rebuilt: S3 and the videos table stay the truth, and the same
`index_record` serves the pipeline (the record's values as Summarize gives them) and a rebuild
(the record as the table holds it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field, model_validator

from .errors import IndexSourceError
from .search_index import Library, index_upload, remove_upload
from .search_rows import UploadRecord, upload_moments
from .upload import Video

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

_DESERIALIZER = TypeDeserializer()


class IndexRequest(BaseModel):
    """`index` (the pipeline's), `remove` (a failed upload), or `rebuild`: one page of the
    videos table's completed records indexed again, from `startKey`."""

    video: Video | None = None
    # Summarize Video's or Summarize Image's record values (":name" -> attribute value).
    values: dict[str, Any] = {}
    action: Literal["index", "remove", "rebuild"] = "index"
    startKey: dict[str, Any] | None = None
    pageSize: int = Field(default=25, ge=1, le=100)

    @model_validator(mode="after")
    def _names_an_upload(self) -> IndexRequest:
        if self.action != "rebuild" and self.video is None:
            raise ValueError(f"{self.action} needs the video")
        return self


def record_from_values(video: Video, values: dict[str, Any]) -> UploadRecord:
    """The record the videos table will hold, from the upload and the update's values."""
    fields = {name.lstrip(":"): _DESERIALIZER.deserialize(value) for name, value in values.items()}
    return UploadRecord.model_validate(
        {
            **fields,
            "videoId": video.videoId,
            "userId": video.userId,
            "fileName": video.fileName,
            "uploadedAt": video.uploadedAt,
            "durationSeconds": float(fields["durationSeconds"])
            if fields.get("durationSeconds") is not None
            else None,
        }
    )


def _document(s3: S3Client, bucket: str, key: str) -> dict[str, Any] | None:
    if not key:
        return None
    try:
        document = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as error:
        raise IndexSourceError(f"cannot read s3://{bucket}/{key}: {error}") from error
    except ValueError as error:
        raise IndexSourceError(f"s3://{bucket}/{key} is not JSON: {error}") from error
    return document if isinstance(document, dict) else None


def index_record(s3: S3Client, library: Library, bucket: str, record: UploadRecord) -> int:
    """Replace the upload's rows with the moments its stored documents hold."""
    moments = upload_moments(
        record,
        _document(s3, bucket, record.transcriptKey),
        _document(s3, bucket, record.analysisKey),
        _document(s3, bucket, record.visionKey),
    )
    return index_upload(library, record, moments)


def rebuild_page(
    s3: S3Client,
    dynamodb: DynamoDBClient,
    library: Library,
    bucket: str,
    table: str,
    request: IndexRequest,
) -> dict[str, Any]:
    """Index again one page of the videos table's completed uploads; `nextKey` is where the
    next page starts (None after the last), so a loop of calls rebuilds the whole library."""
    scan: dict[str, Any] = {"TableName": table, "Limit": request.pageSize}
    if request.startKey:
        scan["ExclusiveStartKey"] = request.startKey
    page = dynamodb.scan(**scan)
    uploads = moments = 0
    for item in page.get("Items", []):
        record = {name: _DESERIALIZER.deserialize(value) for name, value in item.items()}
        if record.get("status") != "COMPLETED":
            continue
        moments += index_record(s3, library, bucket, UploadRecord.model_validate(record))
        uploads += 1
    return {"uploads": uploads, "moments": moments, "nextKey": page.get("LastEvaluatedKey")}


def index_media(
    s3: S3Client, library: Library, bucket: str, request: IndexRequest
) -> dict[str, Any]:
    """The state's result: whether the upload is searchable, and the value its record takes."""
    if request.video is None:  # refused by the model; kept for the type checker
        raise ValueError("index and remove name the video")
    if request.action == "remove":
        remove_upload(library, request.video.videoId)
        return {"searchable": False, "moments": 0}
    count = index_record(s3, library, bucket, record_from_values(request.video, request.values))
    return {"searchable": True, "moments": count, "values": {":searchable": {"BOOL": True}}}
