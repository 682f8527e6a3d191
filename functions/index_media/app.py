"""Index Media: the upload's moments into the library's search index (or out of it); also
one page of a rebuild of the whole library from the videos table, and S3's Object Deleted
event: the deleted upload out of the index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.deleted_upload import ObjectDeletedEvent, is_object_deleted, remove_deleted
from video_pipeline.handler_input import parse_event
from video_pipeline.library_stage import IndexRequest, index_media, rebuild_page
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.search_index import Cluster, Library

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_rds_data import RDSDataServiceClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
s3: S3Client = boto3.client("s3")
dynamodb: DynamoDBClient = boto3.client("dynamodb")
rds_data: RDSDataServiceClient = boto3.client("rds-data")
library = Library(rds_data, Cluster.of(CONFIG))


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if is_object_deleted(event):
        deleted = parse_event(event, ObjectDeletedEvent, expected="an S3 Object Deleted event")
        return remove_deleted(dynamodb, library, CONFIG.videos_table, deleted)
    request = parse_event(event, IndexRequest)
    if request.action == "rebuild":
        return rebuild_page(
            s3, dynamodb, library, CONFIG.output_bucket, CONFIG.videos_table, request
        )
    return index_media(s3, library, CONFIG.output_bucket, request)
