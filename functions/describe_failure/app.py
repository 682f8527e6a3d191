"""Describe Failure: name the failed state, the error and the cause for the record and the email."""

from collections.abc import Iterator
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.failure_report import report_failure
from video_pipeline.models import FailureRequest
from video_pipeline.observability import logger, metrics, tracer

sfn = boto3.client("stepfunctions")


def newest_events(execution_arn: str) -> Iterator[dict[str, Any]]:
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution_arn, reverseOrder=True, includeExecutionData=False
    )
    for page in pages:
        for event in page["events"]:
            yield dict(event)


@logger.inject_lambda_context(correlation_id_path="state.video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = FailureRequest.model_validate(event)
    report = report_failure(
        request.state, request.executionArn, newest_events(request.executionArn)
    )
    logger.error(
        "Video failed", extra={"failure": {k: report[k] for k in ("state", "error", "reason")}}
    )
    metrics.add_metric(name="VideosFailed", unit=MetricUnit.Count, value=1)
    return report
