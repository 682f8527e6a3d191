"""Detect Key Phrases: Comprehend key phrases, placed in time through the transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from mypy_boto3_comprehend import ComprehendClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
s3: S3Client = boto3.client("s3")
comprehend: ComprehendClient = boto3.client("comprehend", config=COMPREHEND_CLIENT_CONFIG)


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, AnalysisRequest)
    return detect_key_phrases(s3, comprehend, CONFIG.output_bucket, request)
