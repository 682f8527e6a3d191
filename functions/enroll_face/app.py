"""Enroll Face: index the one clear face of a photo uploaded under known-faces/<Name>/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.people import EnrolmentRequest, enroll_face

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_rekognition import RekognitionClient

CONFIG = load_config()
rekognition: RekognitionClient = boto3.client("rekognition")
dynamodb: DynamoDBClient = boto3.client("dynamodb")


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, EnrolmentRequest)
    enrolled = enroll_face(
        rekognition,
        dynamodb,
        CONFIG.face_collection_id,
        CONFIG.people_table,
        request.video,
        request.etag,
    )
    logger.info("Face enrolled", extra={"personId": enrolled["personId"]})
    return enrolled
