"""Detect Key Phrases: Comprehend key phrases, placed in time through the transcript."""

from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.analysis_branches import (
    COMPREHEND_CLIENT_CONFIG,
    AnalysisRequest,
    detect_key_phrases,
)
from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer

CONFIG = load_config()
s3 = boto3.client("s3")
comprehend = boto3.client("comprehend", config=COMPREHEND_CLIENT_CONFIG)


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, AnalysisRequest)
    return detect_key_phrases(s3, comprehend, CONFIG.output_bucket, request)
