"""Summarize Vision: the merged vision view, its WebVTT tracks, shot thumbnails and a poster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.people import display_names
from video_pipeline.vision_stage import SummarizeVisionRequest, summarize_vision

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
    request = parse_event(event, SummarizeVisionRequest)
    return summarize_vision(
        s3, CONFIG.output_bucket, request, CONFIG.moderation_min_confidence, _names
    )
