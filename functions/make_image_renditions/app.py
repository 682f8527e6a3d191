"""Make Image Renditions: the web, phone and thumbnail JPEGs of a picture, upright and stripped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.image_stage import make_image_renditions
from video_pipeline.models import ImageRequest
from video_pipeline.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
s3: S3Client = boto3.client("s3")


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, ImageRequest)
    return make_image_renditions(s3, request.video, CONFIG.output_bucket).model_dump()
