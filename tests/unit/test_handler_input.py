"""A handler's event parsed into its model, or a typed error the state machine can name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.envelopes import EventBridgeEnvelope, SqsEnvelope

from tests.support.events import load_event
from video_pipeline.errors import InvalidEventError, InvalidUploadEventError
from video_pipeline.handler_input import parse_event
from video_pipeline.stopped import ExecutionStatusChange


def test_parse_event_eventbridge_envelope_gives_the_detail_model() -> None:
    event = load_event("report_stopped_execution.json")

    change = parse_event(event, ExecutionStatusChange, envelope=EventBridgeEnvelope)

    assert change.status == "ABORTED"
    assert change.executionArn == event["detail"]["executionArn"]


@pytest.mark.parametrize("event", [{}, [], "text", {"detail": {"status": "ABORTED"}}])
def test_parse_event_malformed_event_raises_invalid_event_error(event: Any) -> None:
    with pytest.raises(InvalidEventError, match="Not a status change"):
        parse_event(
            event, ExecutionStatusChange, envelope=EventBridgeEnvelope, expected="a status change"
        )


def test_parse_event_handler_error_class_is_raised() -> None:
    with pytest.raises(InvalidUploadEventError):
        parse_event({}, ExecutionStatusChange, error=InvalidUploadEventError)


def test_parse_event_envelope_of_many_records_refused() -> None:
    detail = load_event("report_stopped_execution.json")["detail"]
    record = {
        "messageId": "1",
        "receiptHandle": "r",
        "body": json.dumps(detail),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1795342542000",
            "SenderId": "s",
            "ApproximateFirstReceiveTimestamp": "1795342542000",
        },
        "messageAttributes": {},
        "md5OfBody": "m",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
        "awsRegion": "us-east-1",
    }
    event = {"Records": [record]}

    with pytest.raises(InvalidEventError, match="not one event"):
        parse_event(event, ExecutionStatusChange, envelope=SqsEnvelope)
