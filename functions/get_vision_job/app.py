"""Get Vision Job: a Rekognition Video job's status; once it succeeded, every page of its
results stored in Rekognition's own shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.rekognition_jobs import StartedVisionJob, collect_job

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
rekognition: RekognitionClient = boto3.client("rekognition")
s3: S3Client = boto3.client("s3")


@logger.inject_lambda_context(correlation_id_path="videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = parse_event(event, StartedVisionJob)
    state = collect_job(rekognition, s3, CONFIG.output_bucket, job.kind, job.job.jobId, job.rawKey)
    return {
        "jobId": job.job.jobId,
        "status": state.status,
        "statusMessage": state.message,
        "items": state.items,
    }
