"""Start Vision Job: start one kind of Rekognition Video analysis on the web rendition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.rekognition_jobs import face_search_parameters, start_job
from video_pipeline.vision_plan import VisionJob

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient

CONFIG = load_config()
rekognition: RekognitionClient = boto3.client("rekognition")


@logger.inject_lambda_context(correlation_id_path="videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = parse_event(event, VisionJob)
    configured = face_search_parameters(CONFIG) if job.kind == "face_search" else {}
    job_id = start_job(
        rekognition, job.kind, CONFIG.output_bucket, job.analysedKey, job.videoId, configured
    )
    return {"jobId": job_id}
