"""Summarize Vision: the merged vision view, its WebVTT tracks, shot thumbnails and a poster."""

from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.vision_stage import SummarizeVisionRequest, summarize_vision

CONFIG = load_config()
s3 = boto3.client("s3")


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, SummarizeVisionRequest)
    return summarize_vision(s3, CONFIG.output_bucket, request, CONFIG.moderation_min_confidence)
