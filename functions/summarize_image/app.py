"""Summarize Image: write the raw responses and merged view, build the record and email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.image_summary import summarize_image
from video_pipeline.models import ImageSummaryRequest
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.people import display_names

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
s3: S3Client = boto3.client("s3")
dynamodb: DynamoDBClient = boto3.client("dynamodb")


def _names(ids: set[str]) -> dict[str, str]:
    return display_names(dynamodb, CONFIG.people_table, ids)


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, ImageSummaryRequest)
    metrics.add_metric(name="ImagesCompleted", unit=MetricUnit.Count, value=1)
    return summarize_image(
        s3, request, CONFIG.output_bucket, CONFIG.moderation_min_confidence, names=_names
    )
