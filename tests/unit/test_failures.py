"""Which state failed, with which error and why: from the execution history and the error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from video_pipeline.failure_report import report_failure
from video_pipeline.failures import (
    FAILURE_DETAIL_KEYS,
    STATE_FAILURE_KEYS,
    describe,
    failed_state,
    plain_cause,
    plain_reason,
)

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:reelscribe-pipeline:5b1c0ffee0ddba11"
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
VIDEO = {
    "userId": "alice",
    "videoId": "5b1c0ffee0ddba11",
    "fileName": "portrait clip.mp4",
    "sourceUri": "s3://reelscribe-uploadbucket/alice/portrait clip.mp4",
}
LAMBDA_CAUSE = json.dumps(
    {
        "errorMessage": (
            "s3://reelscribe-uploadbucket/alice/song.m4a has no video track (found: audio)."
        ),
        "errorType": "NotAVideoError",
        "requestId": "4f1c2b8e-9f0a-4d1e-b1a7-2c3d4e5f6a7b",
        "stackTrace": ['  File "/var/task/app.py", line 21, in lambda_handler\n'],
    }
)
SDK_CAUSE = (
    "Unable to open input file [s3://reelscribe-uploadbucket/alice/clip.mp4]: [Failed probe/open:"
    " [No such file]] (Service: MediaConvert, Status Code: 400, Request ID: "
    "1f2e3d4c-5b6a-7988-a1b2-c3d4e5f6a7b8)"
)


class History:
    """Builds an execution history as boto3's get_execution_history returns its events."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._start = datetime(2026, 11, 22, 10, 15, 31, tzinfo=UTC)
        self._add(
            "ExecutionStarted",
            executionStartedEventDetails={
                "input": "{}",
                "inputDetails": {"truncated": False},
                "roleArn": "arn:aws:iam::123456789012:role/reelscribe-PipelineStateMachineRole",
            },
        )

    def _add(self, kind: str, **details: Any) -> History:
        event_id = len(self.events) + 1
        self.events.append(
            {
                "timestamp": self._start + timedelta(seconds=event_id),
                "type": kind,
                "id": event_id,
                "previousEventId": event_id - 1,
                **details,
            }
        )
        return self

    def entered(self, state: str, kind: str = "Task") -> History:
        return self._add(
            f"{kind}StateEntered",
            stateEnteredEventDetails={
                "name": state,
                "input": "{}",
                "inputDetails": {"truncated": False},
            },
        )

    def exited(self, state: str, kind: str = "Task") -> History:
        return self._add(
            f"{kind}StateExited",
            stateExitedEventDetails={
                "name": state,
                "output": "{}",
                "outputDetails": {"truncated": False},
            },
        )

    def lambda_ok(self, state: str) -> History:
        return (
            self.entered(state)
            ._add(
                "LambdaFunctionScheduled",
                lambdaFunctionScheduledEventDetails={
                    "resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "input": "{}",
                    "inputDetails": {"truncated": False},
                },
            )
            ._add("LambdaFunctionStarted")
            ._add(
                "LambdaFunctionSucceeded",
                lambdaFunctionSucceededEventDetails={
                    "output": "{}",
                    "outputDetails": {"truncated": False},
                },
            )
            .exited(state)
        )

    def lambda_failed(self, state: str, error: str, cause: str) -> History:
        return (
            self.entered(state)
            ._add(
                "LambdaFunctionScheduled",
                lambdaFunctionScheduledEventDetails={
                    "resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "input": "{}",
                    "inputDetails": {"truncated": False},
                },
            )
            ._add("LambdaFunctionStarted")
            ._add(
                "LambdaFunctionFailed",
                lambdaFunctionFailedEventDetails={"error": error, "cause": cause},
            )
            .exited(state)
        )

    def task(
        self, state: str, resource: str, *failures: tuple[str, str], ok: bool = True
    ) -> History:
        """A service task; each failure is one failed attempt, retried if more follow."""
        service, _, action = resource.partition(":")
        self.entered(state)
        for error, cause in failures:
            self._add(
                "TaskScheduled",
                taskScheduledEventDetails={
                    "resourceType": service,
                    "resource": action,
                    "region": "us-east-1",
                    "parameters": "{}",
                },
            )
            self._add(
                "TaskStarted", taskStartedEventDetails={"resourceType": service, "resource": action}
            )
            self._add(
                "TaskFailed",
                taskFailedEventDetails={
                    "resourceType": service,
                    "resource": action,
                    "error": error,
                    "cause": cause,
                },
            )
        if ok:
            self._add(
                "TaskScheduled",
                taskScheduledEventDetails={
                    "resourceType": service,
                    "resource": action,
                    "region": "us-east-1",
                    "parameters": "{}",
                },
            )
            self._add(
                "TaskSucceeded",
                taskSucceededEventDetails={
                    "resourceType": service,
                    "resource": action,
                    "output": "{}",
                    "outputDetails": {"truncated": False},
                },
            )
        return self.exited(state)

    def describing_failure(self) -> History:
        """Describe Failure is running: its function has been scheduled and started."""
        return (
            self.entered("Describe Failure")
            ._add(
                "LambdaFunctionScheduled",
                lambdaFunctionScheduledEventDetails={
                    "resource": "arn:aws:lambda:us-east-1:123456789012:function:df",
                    "input": "{}",
                    "inputDetails": {"truncated": False},
                },
            )
            ._add("LambdaFunctionStarted")
        )

    def newest_first(self) -> list[dict[str, Any]]:
        return list(reversed(self.events))


def _up_to_probe() -> History:
    return History().lambda_ok("Parse Upload").task("Register Video", "dynamodb:putItem")


def _never_read() -> Iterator[dict[str, Any]]:
    raise AssertionError("the history was read although the error names its state")
    yield {}  # pragma: no cover


# ------------------------------------------------------------------ failed_state


def test_failed_state_lambda_error_gives_the_lambda_state() -> None:
    # Given Plan Transcode raised NotAVideoError, and Describe Failure is now running
    history = (
        _up_to_probe()
        .task("Probe Media", "mediaconvert:probe")
        .lambda_failed("Plan Transcode", "NotAVideoError", LAMBDA_CAUSE)
        .describing_failure()
    )

    # Then the newest failure is traced back to the state it happened in
    assert failed_state(history.newest_first()) == "Plan Transcode"


def test_failed_state_sdk_task_failure_after_retries_gives_that_state() -> None:
    throttled = ("MediaConvert.TooManyRequestsException", "Slow down")
    bad = ("MediaConvert.BadRequestException", SDK_CAUSE)
    history = (
        _up_to_probe()
        .task("Probe Media", "mediaconvert:probe", throttled, throttled, bad, ok=False)
        .describing_failure()
    )

    assert failed_state(history.newest_first()) == "Probe Media"


def test_failed_state_earlier_caught_error_ignored_for_the_newest_failure() -> None:
    # Given Start Transcription Job hit a ConflictException (caught: the job already exists),
    # and later Read Transcript failed
    history = (
        _up_to_probe()
        .task(
            "Start Transcription Job",
            "transcribe:startTranscriptionJob",
            ("Transcribe.ConflictException", "The job already exists"),
            ok=False,
        )
        .entered("Wait for Transcription", "Wait")
        .exited("Wait for Transcription", "Wait")
        .task("Get Transcription Job", "transcribe:getTranscriptionJob")
        .lambda_failed(
            "Read Transcript",
            "TranscriptReadError",
            json.dumps(
                {"errorMessage": "Cannot read s3://x/y.json", "errorType": "TranscriptReadError"}
            ),
        )
        .describing_failure()
    )

    # Then the state named is the one that ended the run
    assert failed_state(history.newest_first()) == "Read Transcript"


def test_failed_state_lambda_timeout_gives_the_lambda_state() -> None:
    history = (
        _up_to_probe()
        .entered("Plan Transcode")
        ._add(
            "LambdaFunctionScheduled",
            lambdaFunctionScheduledEventDetails={
                "resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "input": "{}",
                "inputDetails": {"truncated": False},
            },
        )
        ._add("LambdaFunctionStarted")
        ._add(
            "LambdaFunctionTimedOut",
            lambdaFunctionTimedOutEventDetails={
                "error": "States.Timeout",
                "cause": "Task timed out after 30.00 seconds",
            },
        )
        .exited("Plan Transcode")
        .describing_failure()
    )

    assert failed_state(history.newest_first()) == "Plan Transcode"


def test_failed_state_history_without_failure_gives_none() -> None:
    history = _up_to_probe().describing_failure()
    assert failed_state(history.newest_first()) is None


def test_failed_state_empty_history_gives_none() -> None:
    assert failed_state([]) is None


@pytest.mark.parametrize(
    ("event_type", "details_key", "error"),
    [
        ("LambdaFunctionFailed", "lambdaFunctionFailedEventDetails", "NotAVideoError"),
        ("TaskFailed", "taskFailedEventDetails", "Lambda.ServiceException"),
        (
            "LambdaFunctionStartFailed",
            "lambdaFunctionStartFailedEventDetails",
            "Lambda.AWSLambdaException",
        ),
        (
            "LambdaFunctionScheduleFailed",
            "lambdaFunctionScheduleFailedEventDetails",
            "States.DataLimitExceeded",
        ),
        ("TaskStartFailed", "taskStartFailedEventDetails", "States.TaskFailed"),
        ("TaskSubmitFailed", "taskSubmitFailedEventDetails", "States.TaskFailed"),
    ],
)
def test_failed_state_every_task_failure_event_gives_the_state(
    event_type: str, details_key: str, error: str
) -> None:
    # Given Plan Transcode's function could not even be run (for example the state machine's
    # role may not invoke it) and Describe Failure is running
    history = (
        _up_to_probe()
        .entered("Plan Transcode")
        ._add(event_type, **{details_key: {"error": error, "cause": "It went wrong."}})
        .exited("Plan Transcode")
        .describing_failure()
    )

    assert failed_state(history.newest_first()) == "Plan Transcode"


# ------------------------------------------------------------------ plain_reason


def test_plain_reason_lambda_cause_gives_its_error_message() -> None:
    assert plain_reason(LAMBDA_CAUSE) == (
        "s3://reelscribe-uploadbucket/alice/song.m4a has no video track (found: audio)."
    )


def test_plain_reason_sdk_cause_loses_the_service_suffix() -> None:
    assert plain_reason(SDK_CAUSE) == (
        "Unable to open input file [s3://reelscribe-uploadbucket/alice/clip.mp4]: "
        "[Failed probe/open: [No such file]]"
    )


def test_plain_reason_semicolon_sdk_cause_loses_the_service_suffix() -> None:
    cause = (
        "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; "
        "Error Code: ConditionalCheckFailedException; Request ID: ABCD; Proxy: null)"
    )
    assert plain_reason(cause) == "The conditional request failed"


def test_plain_reason_parentheses_inside_the_message_kept() -> None:
    cause = "Video has no audio (found: video) and cannot be transcribed."
    assert plain_reason(cause) == cause


@pytest.mark.parametrize("cause", ["", "   ", " (Service: S3, Status Code: 500, Request ID: X)"])
def test_plain_reason_empty_cause_says_none_was_given(cause: str) -> None:
    assert plain_reason(cause) == "No cause was given."


def test_plain_cause_botocore_preamble_dropped() -> None:
    cause = json.dumps(
        {
            "errorMessage": "An error occurred (AccessDenied) when calling the GetObject "
            "operation (reached max retries: 4): Access Denied",
            "errorType": "TranscriptReadError",
        }
    )
    assert plain_cause(cause) == "Access Denied"


def test_plain_cause_long_cause_cut_at_the_limit() -> None:
    cleaned = plain_cause("x" * 1000, limit=400)
    assert len(cleaned) == 400
    assert cleaned.endswith("\u2026")


def test_plain_cause_no_cause_gives_empty_text() -> None:
    assert plain_cause(None) == ""


def test_failure_detail_keys_state_failures_and_the_execution_own() -> None:
    assert set(FAILURE_DETAIL_KEYS) - set(STATE_FAILURE_KEYS) == {"executionFailedEventDetails"}


# ------------------------------------------------------------------ describe and report_failure


def test_describe_explicit_state_wins_over_history() -> None:
    error = {
        "Error": "TranscodeJobError",
        "Cause": "MediaConvert job 17-abc failed: bad input",
        "State": "Get Transcode Job",
    }

    failure = describe(error, "Count Transcode Poll")

    assert failure.state == "Get Transcode Job"
    assert failure.reason == "MediaConvert job 17-abc failed: bad input"


def test_describe_no_error_details_gives_unknown_placeholders() -> None:
    failure = describe({}, None)
    assert (failure.state, failure.error, failure.reason) == (
        "Unknown state",
        "States.Unknown",
        "No cause was given.",
    )


def test_report_failure_explicit_state_does_not_read_the_history() -> None:
    # Given a Pass state named the failed state itself / Then no history call is needed
    state = {
        "video": VIDEO,
        "error": {
            "Error": "TranscriptionJobError",
            "Cause": "Transcribe job x failed: unsupported media",
            "State": "Get Transcription Job",
        },
    }

    report = report_failure(state, EXECUTION, _never_read(), now=NOW)

    assert report["state"] == "Get Transcription Job"


def test_report_failure_lambda_failure_gives_subject_message_attributes_and_values() -> None:
    history = (
        _up_to_probe()
        .task("Probe Media", "mediaconvert:probe")
        .lambda_failed("Plan Transcode", "NotAVideoError", LAMBDA_CAUSE)
        .describing_failure()
    )
    state = {"video": VIDEO, "error": {"Error": "NotAVideoError", "Cause": LAMBDA_CAUSE}}

    report = report_failure(state, EXECUTION, iter(history.newest_first()), now=NOW)

    assert (report["state"], report["error"]) == ("Plan Transcode", "NotAVideoError")
    assert report["reason"].endswith("has no video track (found: audio).")
    assert report["subject"] == "reelscribe: portrait clip.mp4 failed in Plan Transcode"
    assert "Failed state: Plan Transcode" in report["message"]
    assert EXECUTION in report["message"]
    assert report["attributes"]["status"]["StringValue"] == "FAILED"
    assert report["attributes"]["failedState"]["StringValue"] == "Plan Transcode"
    assert report["values"][":status"] == {"S": "FAILED"}
    assert report["values"][":updatedAt"] == {"S": "2026-11-22T10:30:00Z"}
    failure = report["values"][":failure"]["M"]
    assert failure["execution"] == {"S": EXECUTION}
    assert failure["cause"] == {"S": LAMBDA_CAUSE}


def test_report_failure_before_the_video_was_parsed_speaks_of_an_upload() -> None:
    cause = json.dumps(
        {
            "errorMessage": "Not an S3 Object Created event: 2 validation errors",
            "errorType": "InvalidUploadEventError",
        }
    )
    history = History().lambda_failed("Parse Upload", "InvalidUploadEventError", cause)
    state = {"error": {"Error": "InvalidUploadEventError", "Cause": cause}}

    report = report_failure(state, EXECUTION, history.describing_failure().newest_first(), now=NOW)

    assert report["state"] == "Parse Upload"
    assert report["subject"] == "reelscribe: an upload failed in Parse Upload"
    assert "userId" not in report["attributes"]


def test_report_failure_huge_cause_kept_under_dynamodb_limits() -> None:
    state = {
        "video": VIDEO,
        "error": {"Error": "States.TaskFailed", "Cause": "x" * 300_000, "State": "Probe Media"},
    }

    report = report_failure(state, EXECUTION, _never_read(), now=NOW)

    assert len(report["values"][":failure"]["M"]["cause"]["S"]) <= 4000


@pytest.mark.parametrize(
    ("upload", "plan", "said"),
    [
        ({"fileName": "holiday.jpg", "isImage": True}, None, "Your picture holiday.jpg"),
        ({"fileName": "talk.m4a"}, {"media": {"kind": "audio"}}, "Your audio file talk.m4a"),
        ({"fileName": "clip.mp4"}, {"media": {"kind": "video"}}, "Your video clip.mp4"),
        ({"fileName": "song.m4a"}, None, "Your file song.m4a"),
    ],
)
def test_report_failure_email_names_the_upload_by_its_kind(
    upload: dict[str, Any], plan: dict[str, Any] | None, said: str
) -> None:
    # Given an execution that failed on a picture, an audio file, a video, or before probing
    state: dict[str, Any] = {
        "video": {**VIDEO, **upload},
        "error": {"Error": "UnreadableImageError", "Cause": "bad", "State": "Some State"},
    }
    if plan is not None:
        state["plan"] = plan
    # When its failure is reported
    report = report_failure(state, EXECUTION, [], now=NOW)
    # Then the email says what the upload is
    assert report["message"].startswith(f"{said} could not be processed.")
