"""Report Stopped Execution: mark a stopped or timed-out execution's video FAILED and send the
failure email, which the execution, ended from outside, could not do itself."""

from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.failure_report import report_failure
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.stopped import ExecutionStatusChange, stopped_state

CONFIG = load_config()
sfn = boto3.client("stepfunctions")
dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")


def newest_events(execution_arn: str) -> list[dict[str, Any]]:
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution_arn, reverseOrder=True, includeExecutionData=True
    )
    return [dict(event) for page in pages for event in page["events"]]


def mark_failed(video: dict[str, Any], execution_arn: str, values: dict[str, Any]) -> bool:
    """Only the record this execution registered, and only while it is still PROCESSING: a
    redelivered event, or a duplicate upload's execution, changes nothing."""
    try:
        dynamodb.update_item(
            TableName=CONFIG.videos_table,
            Key={"userId": {"S": video["userId"]}, "videoId": {"S": video["videoId"]}},
            UpdateExpression="SET #status = :status, failure = :failure, updatedAt = :updatedAt",
            ConditionExpression="execution = :execution AND #status = :processing",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                **values,
                ":execution": {"S": execution_arn},
                ":processing": {"S": "PROCESSING"},
            },
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False
    return True


@logger.inject_lambda_context(correlation_id_path="detail.executionArn")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    change = ExecutionStatusChange.model_validate(event["detail"])
    state = stopped_state(change, newest_events(change.executionArn))
    report = report_failure(state, change.executionArn, [])
    video = state.get("video")
    if video is not None and not mark_failed(video, change.executionArn, report["values"]):
        logger.info("Video already reported", extra={"videoId": video["videoId"]})
        return {"reported": False}
    sns.publish(
        TopicArn=CONFIG.failure_topic_arn,
        Subject=report["subject"],
        Message=report["message"],
        MessageAttributes=report["attributes"],
    )
    logger.error(
        "Video stopped", extra={"failure": {k: report[k] for k in ("state", "error", "reason")}}
    )
    metrics.add_metric(name="VideosFailed", unit=MetricUnit.Count, value=1)
    return {"reported": True, "state": report["state"], "error": report["error"]}
