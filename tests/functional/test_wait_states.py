"""Local Wait states: the job their own loop reads next ends them early; nothing else does."""

from __future__ import annotations

import io
import json
import random
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from moto import mock_aws

from reelscribe.emulators.mediaconvert import MediaConvertEmulator
from reelscribe.emulators.storage import ObjectStore
from reelscribe.runtime import interception
from reelscribe.runtime.local import LocalRuntime
from reelscribe.runtime.moto_patches import wait_states
from tests.support.media import espeak_available, make_video
from tests.support.poll_loops import EngineClock, excess_polls, loop_waits, wrong_waits

ROOT = Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/local"
VISION_FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:get-vision-job"
LONG_WAIT = 30


def _invoked(params: dict[str, Any]) -> dict[str, Any]:
    return {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(b"{}"), 2)}


@pytest.fixture
def sfn(aws_credentials: None) -> Iterator[Any]:
    # The poll Tasks' calls are answered in memory; the jobs' ends are told to wait_states here.
    router = interception.Router()
    router.answer(
        "mediaconvert", "GetJob", lambda p: {"Job": {"Id": p["Id"], "Status": "PROGRESSING"}}
    )
    router.answer(
        "transcribe",
        "GetTranscriptionJob",
        lambda p: {
            "TranscriptionJob": {
                "TranscriptionJobName": p["TranscriptionJobName"],
                "TranscriptionJobStatus": "IN_PROGRESS",
            }
        },
    )
    router.answer("lambda", "Invoke", _invoked)
    interception.activate(router)
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield boto3.client("stepfunctions", region_name="us-east-1")
    finally:
        interception.deactivate(router)


def _start(sfn: Any, states: dict[str, Any], start_at: str, payload: dict[str, Any]) -> str:
    definition = json.dumps({"StartAt": start_at, "States": states})
    machine = sfn.create_state_machine(
        name=f"m-{uuid.uuid4().hex[:8]}", definition=definition, roleArn=ROLE
    )["stateMachineArn"]
    return str(
        sfn.start_execution(
            stateMachineArn=machine, name=uuid.uuid4().hex, input=json.dumps(payload)
        )["executionArn"]
    )


def _job_id() -> str:
    return f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:6]}"


def _poll_loop(get_job: dict[str, Any]) -> dict[str, Any]:
    """A poll loop's Wait and the Task it goes on to (the loop's end is left out)."""
    return {
        "Wait for Job": {"Type": "Wait", "Seconds": LONG_WAIT, "Next": "Get Job"},
        "Get Job": {**get_job, "End": True},
    }


# The three ways the pipeline's loops read a job: the shapes of Get Transcode Job, Get
# Transcription Job and Get Vision Job (a Lambda whose payload is the state it is given: a Map
# iteration's, which holds its own job alone; here InputPath picks it out of a larger state).
GET_TRANSCODE_JOB = {
    "Type": "Task",
    "Resource": "arn:aws:states:::aws-sdk:mediaconvert:getJob",
    "Parameters": {"Id.$": "$.job.Id"},
}
GET_TRANSCRIPTION_JOB = {
    "Type": "Task",
    "Resource": "arn:aws:states:::aws-sdk:transcribe:getTranscriptionJob",
    "Parameters": {"TranscriptionJobName.$": "$.job.Id"},
}
GET_VISION_JOB = {"Type": "Task", "Resource": VISION_FUNCTION_ARN, "InputPath": "$.job"}
POLLS = [GET_TRANSCODE_JOB, GET_TRANSCRIPTION_JOB, GET_VISION_JOB]
POLL_IDS = ["mediaconvert getJob", "transcribe getTranscriptionJob", "lambda payload"]
WAIT_THEN_GET = _poll_loop(GET_TRANSCODE_JOB)


def _payload(job_id: str | None, *others: str) -> dict[str, Any]:
    """A poll loop's state: its own job, and other jobs the execution started before it."""
    return {"job": {"Id": job_id} if job_id else {}, "visionJobs": [{"jobId": o} for o in others]}


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


def _waited(sfn: Any, arn: str) -> float:
    stamps = {e["type"]: e["timestamp"] for e in _events(sfn, arn)}
    return float((stamps["WaitStateExited"] - stamps["WaitStateEntered"]).total_seconds())


@pytest.mark.parametrize("get_job", POLLS, ids=POLL_IDS)
def test_wait_state_when_the_job_its_task_reads_finishes_ends_early_and_moves_on(
    sfn: Any, get_job: dict[str, Any]
) -> None:
    # Given an execution waiting thirty seconds before its Task reads its job
    job = _job_id()
    arn = _start(sfn, _poll_loop(get_job), "Wait for Job", _payload(job))
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When the job finishes
    wait_states.job_finished(job)
    # Then the wait ends well before its thirty seconds, and the execution goes on as written
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    wait_states.job_read(job)
    types = [e["type"] for e in _events(sfn, arn)]
    assert types[:4] == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "TaskStateEntered",
    ]
    assert types[-1] == "ExecutionSucceeded"


@pytest.mark.parametrize("get_job", POLLS, ids=POLL_IDS)
def test_wait_state_when_a_job_its_input_names_but_its_task_does_not_read_finishes_keeps_waiting(
    sfn: Any, get_job: dict[str, Any]
) -> None:
    # Given a loop waiting on its job, its state also carrying jobs started earlier (as the
    # transcription's loop carries the Rekognition jobs' ids)
    job, vision = _job_id(), [_job_id(), _job_id()]
    arn = _start(sfn, _poll_loop(get_job), "Wait for Job", _payload(job, *vision))
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When those other jobs finish, and their final status is not read
    for other in vision:
        wait_states.job_finished(other)
    time.sleep(0.5)
    # Then this loop is still waiting, and its own job's end still ends the wait
    try:
        assert _status(sfn, arn) == "RUNNING"
        wait_states.job_finished(job)
        _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    finally:
        for finished in (job, *vision):
            wait_states.job_read(finished)


def test_wait_state_that_goes_on_to_no_task_waits_its_full_time(sfn: Any) -> None:
    # Given a Wait whose next state reads no job, though its input names one
    job = _job_id()
    states = {
        "Pause": {"Type": "Wait", "Seconds": LONG_WAIT, "Next": "Note"},
        "Note": {"Type": "Pass", "End": True},
    }
    arn = _start(sfn, states, "Pause", _payload(job))
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When that job finishes
    wait_states.job_finished(job)
    time.sleep(0.5)
    wait_states.job_read(job)
    # Then the Wait is not cut short
    assert _status(sfn, arn) == "RUNNING"
    sfn.stop_execution(executionArn=arn)


def test_wait_state_whose_job_finished_just_before_it_began_does_not_wait(sfn: Any) -> None:
    # Given a job that finished before the execution's Wait began, its status not yet read
    job = _job_id()
    wait_states.job_finished(job)
    # When the execution waits on it
    arn = _start(sfn, WAIT_THEN_GET, "Wait for Job", _payload(job))
    # Then the wait ends at once, and the execution goes on to read its job
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    wait_states.job_read(job)
    waited = _waited(sfn, arn)
    assert waited < 1, f"waited {waited:.1f} s of {LONG_WAIT}"


def test_wait_state_when_another_job_finishes_keeps_waiting(sfn: Any) -> None:
    # Given an execution waiting on one job
    arn = _start(sfn, WAIT_THEN_GET, "Wait for Job", _payload(_job_id()))
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
    # When a later Wait's Task would still read it
    arn = _start(sfn, WAIT_THEN_GET, "Wait for Job", _payload(job))
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    time.sleep(0.5)
    # Then that Wait is not cut short
    assert _status(sfn, arn) == "RUNNING"
    sfn.stop_execution(executionArn=arn)


def test_wait_state_with_no_job_finishing_waits_its_full_seconds(sfn: Any) -> None:
    # Given an execution with a one-second Wait, and no job finishing meanwhile
    arn = _start(sfn, {"Pause": {"Type": "Wait", "Seconds": 1, "End": True}}, "Pause", {})
    # When it runs to the end
    _await(sfn, arn, lambda: _status(sfn, arn) == "SUCCEEDED")
    # Then the Wait lasted its whole second
    assert _waited(sfn, arn) >= 0.99


def test_wait_state_when_a_sibling_branch_fails_ends_with_the_execution(sfn: Any) -> None:
    # Given a Parallel state whose first branch waits thirty seconds and whose second fails
    arn = _start(
        sfn,
        {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Wait for Job", "States": WAIT_THEN_GET},
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
        _payload(_job_id()),
    )
    # When the second branch fails, with no job finishing
    # Then the execution fails promptly, not after the first branch's thirty seconds
    _await(sfn, arn, lambda: _status(sfn, arn) == "FAILED")
    assert sfn.describe_execution(executionArn=arn)["error"] == "Broken"


def test_wait_state_when_the_execution_is_stopped_ends_it_aborted(sfn: Any) -> None:
    # Given an execution in a thirty-second Wait
    job = _job_id()
    arn = _start(sfn, WAIT_THEN_GET, "Wait for Job", _payload(job))
    _await(sfn, arn, lambda: _waiting(sfn, arn))
    # When it is stopped
    sfn.stop_execution(executionArn=arn, error="Stopped", cause="by the test")
    # Then it is aborted, and its job finishing later does not carry it on to the next state
    _await(sfn, arn, lambda: _status(sfn, arn) == "ABORTED")
    wait_states.job_finished(job)
    time.sleep(0.2)
    wait_states.job_read(job)
    assert all(e["type"] != "TaskStateEntered" for e in _events(sfn, arn))


class _SlowListener:
    """Hears a job's changes as the runtime does, taking its time over a final status, as a
    busy progress display would; notes what it heard, in order."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def job_changed(self, job: Mapping[str, Any]) -> None:
        if job["Status"] in ("COMPLETE", "ERROR"):
            time.sleep(0.3)

    def job_finishing(self, job_id: str) -> None:
        self.heard.append("finishing")

    def job_finished(self, job_id: str) -> None:
        self.heard.append("finished")

    def job_read(self, job_id: str) -> None:
        self.heard.append("read")


def test_mediaconvert_job_final_status_is_never_returned_before_its_end_is_told(
    aws: None,
) -> None:
    # Given a MediaConvert job that will end in ERROR (its input is text), a listener slow to
    # take in its end, and a caller asking for its status as fast as it can
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="uploads")
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket="uploads", Key="u/fake.mp4", Body=b"not a video"
    )
    listener = _SlowListener()
    emulator = MediaConvertEmulator(
        ObjectStore("us-east-1"), "us-east-1", "123456789012", watcher=listener
    )
    try:
        settings = {"Inputs": [{"FileInput": "s3://uploads/u/fake.mp4"}], "OutputGroups": []}
        job = emulator.create_job({"Role": ROLE, "Settings": settings})["Job"]["Id"]
        # When the caller first gets its final status
        status = ""
        while status not in ("COMPLETE", "ERROR"):
            status = emulator.get_job({"Id": job})["Job"]["Status"]
            heard_by_then = list(listener.heard)
    finally:
        emulator.close()
    # Then the job's end had already been told (so a Wait polling it would have woken), and the
    # read that returned it came after, so no finished flag is left up behind a finished loop
    assert status == "ERROR"
    assert heard_by_then[:2] == ["finishing", "finished"]
    assert listener.heard[-1] == "read"


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
            {},
        )
        # When the job ends
        # Then the execution checks it without sitting out the thirty seconds, and sees it ended
        _await(runtime.sfn, arn, lambda: _status(runtime.sfn, arn) == "SUCCEEDED")
        output = runtime.sfn.describe_execution(executionArn=arn)["output"]
    assert json.loads(output) == {"status": "ERROR"}


def _run_pipeline(
    clock: EngineClock, clip: Path, count: int, overrides: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Upload `clip` `count` times at once; each execution's status and history."""
    with LocalRuntime(
        ROOT / "template.yaml", {"TranscribeLanguage": "en-US", **overrides}, job_finishing=clock
    ) as runtime:
        arns = [
            arn
            for n in range(count)
            for arn in runtime.dispatch(runtime.upload(clip, f"alice/clip-{n}.mp4"), clip.stem)
        ]
        ended = [runtime.wait(arn, timeout=600) for arn in arns]
        return [(str(e["status"]), runtime.history(e["executionArn"])) for e in ended]


def _failures(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The failure events of an execution's history, to say why it failed."""
    return [event for event in history if str(event["type"]).endswith(("Failed", "TimedOut"))]


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not espeak_available():
        pytest.skip("espeak-ng makes the test speech")
    return make_video(tmp_path_factory.mktemp("waits") / "clip.mp4", width=320, height=180)


@pytest.mark.slow
def test_pipeline_when_vision_jobs_end_before_a_slowed_transcription_polls_it_at_its_pace(
    short_clip: Path,
) -> None:
    # Given a transcription that takes twelve seconds longer than its engine needs, so the
    # Rekognition jobs started before it (whose ids its loop's state carries) end first
    clock = EngineClock(lambda service, _job: 12.0 if service == "transcribe" else 0.0)
    # When the pipeline runs, polling every five seconds (the template's shortest)
    ((status, history),) = _run_pipeline(clock, short_clip, 1, {})
    # Then it succeeds, the transcription is read every five seconds while it runs and at once
    # when it ends, and every other loop keeps the same rule
    assert status == "SUCCEEDED", history[-1]
    waits = loop_waits(history, set(clock.finished))
    transcription = [w for w in waits if clock.services[w.job] == "transcribe"]
    vision_end = max(t for job, t in clock.finished.items() if clock.services[job] != "transcribe")
    assert vision_end < clock.finished[transcription[0].job]
    # (at least three waits of 12 s and more; how many more is the engine's own speed)
    lasted = [w.lasted for w in transcription]
    assert len(transcription) >= 3, lasted
    assert all(seconds >= 4.9 for seconds in lasted[:-1]), lasted
    assert wrong_waits(waits, clock.finished) == []
    assert excess_polls(waits, clock.finished) == []


@pytest.mark.slow
def test_pipeline_with_jittered_engines_twenty_runs_succeed_and_poll_only_as_needed(
    short_clip: Path,
) -> None:
    # Given engines each slowed by a different random amount on every job (seeded, so a
    # failure can be replayed), changing which job ends first and where in a Wait it ends
    jitter = random.Random(20261207)
    most = {"mediaconvert": 2.0, "transcribe": 4.0, "rekognition": 0.75}
    clock = EngineClock(lambda service, _job: jitter.uniform(0, most[service]))
    # When twenty uploads run at once, polling every three seconds
    runs = _run_pipeline(clock, short_clip, 20, {"MinPollSeconds": "3"})
    # Then every execution succeeds, and in each no Wait ends early but for its own finished
    # job, none waits on past it, and no loop reads its job more often than its run needed
    failures = [_failures(history) for status, history in runs if status != "SUCCEEDED"]
    assert [status for status, _ in runs] == ["SUCCEEDED"] * 20, failures
    for _, history in runs:
        waits = loop_waits(history, set(clock.finished))
        assert {w.state for w in waits} >= {"Wait for Transcode", "Wait for Transcription"}
        assert wrong_waits(waits, clock.finished) == []
        assert excess_polls(waits, clock.finished) == []
