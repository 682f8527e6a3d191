"""Reporting an execution that was stopped or timed out, which ran no failure path of its own:
its history read, its video's record marked FAILED, and the failure email published."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .execution_history import history_events
from .failure_report import report_failure
from .observability import logger
from .stopped import ExecutionStatusChange, stopped_state

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_stepfunctions import SFNClient


class StoppedReport(BaseModel):
    """What the reporter did: `reported` is False when another delivery or execution had, or
    when the execution does not exist (`reason` says so)."""

    reported: bool
    state: str | None = None
    error: str | None = None
    reason: str | None = None


def report_stopped_execution(
    change: ExecutionStatusChange,
    *,
    sfn: SFNClient,
    dynamodb: DynamoDBClient,
    sns: SNSClient,
    videos_table: str,
    failure_topic_arn: str,
) -> StoppedReport:
    try:
        state = stopped_state(change, history_events(sfn, change.executionArn, include_data=True))
    except sfn.exceptions.ExecutionDoesNotExist:
        # No history, no video to mark: a retry would find none either. A sample event whose
        # execution was never run locally, or one from another account, ends here.
        reason = f"Execution {change.executionArn} does not exist, so there is nothing to report"
        logger.warning(reason)
        return StoppedReport(reported=False, reason=reason)
    report = report_failure(state, change.executionArn, [])
    video = state.get("video")
    if video is not None and not _mark_failed(
        dynamodb, videos_table, video, change.executionArn, report["values"]
    ):
        logger.info("Video already reported", extra={"videoId": video["videoId"]})
        return StoppedReport(reported=False)
    sns.publish(
        TopicArn=failure_topic_arn,
        Subject=report["subject"],
        Message=report["message"],
        MessageAttributes=report["attributes"],
    )
    logger.error(
        "Video stopped", extra={"failure": {k: report[k] for k in ("state", "error", "reason")}}
    )
    return StoppedReport(reported=True, state=report["state"], error=report["error"])


def _mark_failed(
    dynamodb: DynamoDBClient,
    table: str,
    video: dict[str, Any],
    execution_arn: str,
    values: dict[str, Any],
) -> bool:
    """Only the record this execution registered, and only while it is still PROCESSING: a
    redelivered event, or a duplicate upload's execution, changes nothing."""
    try:
        dynamodb.update_item(
            TableName=table,
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
