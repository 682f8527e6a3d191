"""Describe Failure: name the failed state, the error and the cause for the record and the email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.execution_history import history_events
from video_pipeline.failure_report import report_failure
from video_pipeline.handler_input import parse_event
from video_pipeline.models import FailureRequest
from video_pipeline.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient

sfn: SFNClient = boto3.client("stepfunctions")


@logger.inject_lambda_context(correlation_id_path="state.video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, FailureRequest)
    history = history_events(sfn, request.executionArn)
    report = report_failure(request.state, request.executionArn, history)
    logger.error(
        "Video failed", extra={"failure": {k: report[k] for k in ("state", "error", "reason")}}
    )
    metrics.add_metric(name="VideosFailed", unit=MetricUnit.Count, value=1)
    return report
