"""Get Vision Job: a Rekognition Video job's status; once it succeeded, every page of its
results stored in Rekognition's own shape."""

from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.rekognition_jobs import StartedVisionJob, collect_job

CONFIG = load_config()
rekognition = boto3.client("rekognition")
s3 = boto3.client("s3")


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
