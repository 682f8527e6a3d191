"""Local Wait states: a finished job ends them early; nothing else shortens them."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reelscribe.runtime import moto_patches
from reelscribe.runtime.local import LocalRuntime
from reelscribe.runtime.moto_patches import wait_states

ROOT = Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/local"
LONG_WAIT = 30


@pytest.fixture
def sfn(aws_credentials: None) -> Iterator[Any]:
    moto_patches.install()
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield boto3.client("stepfunctions", region_name="us-east-1")
    finally:
        moto_patches.uninstall()


def _start(sfn: Any, states: dict[str, Any], start_at: str, job_id: str | None = None) -> str:
    """Start a machine; its input names `job_id` as a poll loop's state carries its job."""
    definition = json.dumps({"StartAt": start_at, "States": states})
    machine = sfn.create_state_machine(
        name=f"m-{uuid.uuid4().hex[:8]}", definition=definition, roleArn=ROLE
    )["stateMachineArn"]
    payload = json.dumps({"job": {"Id": job_id}} if job_id else {})
    return str(
        sfn.start_execution(stateMachineArn=machine, name=uuid.uuid4().hex, input=payload)[
            "executionArn"
        ]
    )


def _job_id() -> str:
    return f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:6]}"


WAIT_THEN_CHECK = {
    "Wait for Job": {"Type": "Wait", "Seconds": LONG_WAIT, "Next": "Check Job"},
    "Check Job": {"Type": "Pass", "Result": "checked", "End": True},
}


def _events(sfn: Any, arn: str) -> list[dict[str, Any]]:
    return list(sfn.get_execution_history(executionArn=arn)["events"])


def _await(sfn: Any, arn: str, condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            status = sfn.describe_execution(executionArn=arn)["status"]
            raise AssertionError(f"{arn} is {status} after {timeout} s")
        time.sleep(0.02)


def _status(sfn: Any, arn: str) -> str:
    return str(sfn.describe_execution(executionArn=arn)["status"])


def _waiting(sfn: Any, arn: str) -> bool:
    return any(e["type"] == "WaitStateEntered" for e in _events(sfn, arn))


def test_wait_state_when_its_job_finishes_ends_early_and_moves_on(sfn: Any) -> None:
    # Given an execution waiting thirty seconds before it checks its job
    job = _job_id()
    arn = _start(sfn, WAIT_THEN_CHECK, "Wait for Job", job)
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When the job finishes
    wait_states.job_finished(job)
    # Then the wait ends well before its thirty seconds, and the execution goes on as written
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    wait_states.job_read(job)
    types = [e["type"] for e in _events(sfn, arn)]
    assert types == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_wait_state_whose_job_finished_just_before_it_began_does_not_wait(sfn: Any) -> None:
    # Given a job that finished before the execution's Wait began, its status not yet read
    job = _job_id()
    wait_states.job_finished(job)
    # When the execution waits on it
    arn = _start(sfn, WAIT_THEN_CHECK, "Wait for Job", job)
    # Then the wait ends at once, and the execution goes on to check its job
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    wait_states.job_read(job)
    stamps = {e["type"]: e["timestamp"] for e in _events(sfn, arn)}
    waited = (stamps["WaitStateExited"] - stamps["WaitStateEntered"]).total_seconds()
    assert waited < 1, f"waited {waited:.1f} s of {LONG_WAIT}"
    assert "PassStateEntered" in stamps


def test_wait_state_when_another_job_finishes_keeps_waiting(sfn: Any) -> None:
    # Given an execution waiting on one job
    arn = _start(sfn, WAIT_THEN_CHECK, "Wait for Job", _job_id())
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When some other execution's job finishes
    other = _job_id()
    wait_states.job_finished(other)
    time.sleep(0.5)
    # Then this one is still waiting
    assert _status(sfn, arn) == "RUNNING"
    wait_states.job_read(other)
    sfn.stop_execution(executionArn=arn)


def test_wait_state_after_its_job_status_was_read_waits_its_full_time(sfn: Any) -> None:
    # Given a job that finished and whose final status was read (its poll loop is over)
    job = _job_id()
    wait_states.job_finished(job)
    wait_states.job_read(job)
    # When a later Wait's input still names it
    arn = _start(sfn, WAIT_THEN_CHECK, "Wait for Job", job)
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    time.sleep(0.5)
    # Then that Wait is not cut short
    assert _status(sfn, arn) == "RUNNING"
    sfn.stop_execution(executionArn=arn)


def test_wait_state_with_no_job_finishing_waits_its_full_seconds(sfn: Any) -> None:
    # Given an execution with a one-second Wait, and no job finishing meanwhile
    arn = _start(sfn, {"Pause": {"Type": "Wait", "Seconds": 1, "End": True}}, "Pause")
    # When it runs to the end
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    # Then the Wait lasted its whole second
    stamps = {e["type"]: e["timestamp"] for e in _events(sfn, arn)}
    waited = (stamps["WaitStateExited"] - stamps["WaitStateEntered"]).total_seconds()
    assert waited >= 0.99


def test_wait_state_when_a_sibling_branch_fails_ends_with_the_execution(sfn: Any) -> None:
    # Given a Parallel state whose first branch waits thirty seconds and whose second fails
    arn = _start(
        sfn,
        {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "Wait Long",
                        "States": {
                            "Wait Long": {"Type": "Wait", "Seconds": LONG_WAIT, "End": True}
                        },
                    },
                    {
                        "StartAt": "Break",
                        "States": {
                            "Break": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}
                        },
                    },
                ],
            }
        },
        "Both",
    )
    # When the second branch fails, with no job finishing
    # Then the execution fails promptly, not after the first branch's thirty seconds
    _await(sfn, arn, lambda: _status(sfn, arn) == "FAILED")
    assert sfn.describe_execution(executionArn=arn)["error"] == "Broken"


def test_wait_state_when_the_execution_is_stopped_ends_it_aborted(sfn: Any) -> None:
    # Given an execution in a thirty-second Wait
    job = _job_id()
    arn = _start(sfn, WAIT_THEN_CHECK, "Wait for Job", job)
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When it is stopped
    sfn.stop_execution(executionArn=arn, error="Stopped", cause="by the test")
    # Then it is aborted, and its job finishing later does not carry it on to the next state
    _await(sfn, arn, lambda: _status(sfn, arn) == "ABORTED")
    wait_states.job_finished(job)
    time.sleep(0.2)
    wait_states.job_read(job)
    assert all(e["type"] != "PassStateEntered" for e in _events(sfn, arn))


def test_poll_loop_wait_when_the_emulated_job_ends_moves_on_to_the_status_check() -> None:
    # Given the local runtime, a MediaConvert job that will end in ERROR (its input is text),
    # and an execution that starts it and then waits thirty seconds before checking it
    with LocalRuntime(ROOT / "template.yaml") as runtime:
        runtime.s3.put_object(Bucket=runtime.upload_bucket, Key="u/fake.mp4", Body=b"not a video")
        settings = {
            "Inputs": [{"FileInput": f"s3://{runtime.upload_bucket}/u/fake.mp4"}],
            "OutputGroups": [],
        }
        arn = _start(
            runtime.sfn,
            {
                "Start Job": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:mediaconvert:createJob",
                    "Parameters": {"Role": ROLE, "Settings": settings},
                    "ResultSelector": {"id.$": "$.Job.Id"},
                    "Next": "Wait for Job",
                },
                "Wait for Job": {"Type": "Wait", "Seconds": LONG_WAIT, "Next": "Get Job"},
                "Get Job": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:mediaconvert:getJob",
                    "Parameters": {"Id.$": "$.id"},
                    "ResultSelector": {"status.$": "$.Job.Status"},
                    "End": True,
                },
            },
            "Start Job",
        )
        # When the job ends
        # Then the execution checks it without sitting out the thirty seconds, and sees it ended
        _await(runtime.sfn, arn, lambda: _status(runtime.sfn, arn) == "SUCCEEDED")
        output = runtime.sfn.describe_execution(executionArn=arn)["output"]
    assert json.loads(output) == {"status": "ERROR"}
