"""Remove Person: delete an enrolled person's faces, enrolment photos, rows and indexed
moments. Invoked directly with {"name": "<display name>"}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.people import RemovalRequest, remove_person
from video_pipeline.search_index import Cluster, Library

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_rds_data import RDSDataServiceClient
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
rekognition: RekognitionClient = boto3.client("rekognition")
dynamodb: DynamoDBClient = boto3.client("dynamodb")
s3: S3Client = boto3.client("s3")
rds_data: RDSDataServiceClient = boto3.client("rds-data")
library = Library(rds_data, Cluster.of(CONFIG))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, RemovalRequest)
    removed = remove_person(
        rekognition,
        dynamodb,
        s3,
        CONFIG.face_collection_id,
        CONFIG.people_table,
        library,
        request.name,
    )
    logger.info("Person removed", extra={"personId": removed["personId"]})
    return removed
