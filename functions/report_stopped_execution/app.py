"""Report Stopped Execution: mark a stopped or timed-out execution's video FAILED and send the
failure email, which the execution, ended from outside, could not do itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.envelopes import EventBridgeEnvelope
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.stopped import ExecutionStatusChange
from video_pipeline.stopped_reporter import report_stopped_execution

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_stepfunctions import SFNClient

CONFIG = load_config()
sfn: SFNClient = boto3.client("stepfunctions")
dynamodb: DynamoDBClient = boto3.client("dynamodb")
sns: SNSClient = boto3.client("sns")


@logger.inject_lambda_context(correlation_id_path="detail.executionArn")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    change = parse_event(
        event,
        ExecutionStatusChange,
        envelope=EventBridgeEnvelope,
        expected="a Step Functions Execution Status Change event",
    )
    report = report_stopped_execution(
        change,
        sfn=sfn,
        dynamodb=dynamodb,
        sns=sns,
        videos_table=CONFIG.videos_table,
        failure_topic_arn=CONFIG.failure_topic_arn,
    )
    if report.reported:
        metrics.add_metric(name="VideosFailed", unit=MetricUnit.Count, value=1)
    return report.model_dump(exclude_none=True)
