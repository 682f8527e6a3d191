"""What a stopped or timed-out execution's report says, from its status change and history."""

from __future__ import annotations

import json
from typing import Any

from video_pipeline.stopped import ExecutionStatusChange, stopped_state

ARN = "arn:aws:states:us-east-1:123456789012:execution:reelscribe-pipeline:clip-1"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:reelscribe-pipeline"
VIDEO = {"userId": "alice", "videoId": "0123456789abcdef", "fileName": "clip.mp4"}


def _entered(name: str) -> dict[str, Any]:
    return {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": name}}


def _exited(name: str, output: Any) -> dict[str, Any]:
    details = {"name": name, "output": json.dumps(output)}
    return {"type": "TaskStateExited", "stateExitedEventDetails": details}


def test_stopped_state_timed_out_without_error_names_the_state_and_the_timeout() -> None:
    # Given an execution that timed out in its transcode poll, its history newest first
    change = ExecutionStatusChange(executionArn=ARN, stateMachineArn=MACHINE, status="TIMED_OUT")
    history = [
        {"type": "ExecutionTimedOut"},
        _entered("Get Transcode Job"),
        _exited("Wait for Transcode", {"video": VIDEO, "plan": {}}),
        _entered("Wait for Transcode"),
    ]
    # When its report is made
    state = stopped_state(change, history)
    # Then it names the state it was in, Step Functions' timeout error, and the video
    assert state["error"] == {
        "Error": "States.Timeout",
        "Cause": "The execution ran past its time limit.",
        "State": "Get Transcode Job",
    }
    assert state["video"] == VIDEO


def test_stopped_state_stopped_before_the_upload_was_decoded_has_no_video() -> None:
    change = ExecutionStatusChange(
        executionArn=ARN, stateMachineArn=MACHINE, status="ABORTED", error="E", cause="C"
    )
    history = [{"type": "ExecutionAborted"}, _entered("Parse Upload")]
    state = stopped_state(change, history)
    assert "video" not in state
    assert state["error"] == {"Error": "E", "Cause": "C", "State": "Parse Upload"}


def test_stopped_state_stopped_before_any_state_says_so() -> None:
    change = ExecutionStatusChange(executionArn=ARN, stateMachineArn=MACHINE, status="ABORTED")
    state = stopped_state(change, [{"type": "ExecutionAborted"}, {"type": "ExecutionStarted"}])
    assert state["error"]["State"] == "the start of the execution"
    assert state["error"]["Error"] == "States.Aborted"
