"""Each fault ends in a defined state, with a record and a message that say what happened."""

from __future__ import annotations

from collections import Counter

from tests.statemachine.conftest import Outcome, Pipeline, mocked_response

FAILURE_TAIL = [
    "Describe Failure",
    "Was the Video Registered?",
    "Mark Video Failed",
    "Remove From Index",
    "Notify Failure",
    "Pipeline Failed",
]


def _failed_record(pipeline: Pipeline, outcome: Outcome) -> dict[str, object]:
    (record,) = pipeline.items("VideosTable")
    assert record["videoId"] == outcome.video["videoId"]
    assert record["status"] == "FAILED"
    failure = record["failure"]
    assert isinstance(failure, dict)
    return failure


def test_transcode_job_error_marks_video_failed_with_mediaconvert_message(
    pipeline: Pipeline,
) -> None:
    # Given MediaConvert reports the job ERROR
    message = mocked_response("GetJobError")["0"]["Return"]["Job"]["ErrorMessage"]
    # When the pipeline polls it
    outcome = pipeline.run("TranscodeErrorPath")
    # Then the execution fails through the failure path, naming state, error and cause
    assert outcome.status == "FAILED"
    assert outcome.description["error"] == "TranscodeJobError"
    assert outcome.states[-7:] == ["Transcode Job Failed", *FAILURE_TAIL]
    failure = _failed_record(pipeline, outcome)
    assert failure["state"] == "Get Transcode Job"
    assert failure["error"] == "TranscodeJobError"
    assert message in str(failure["reason"])
    (mail,) = pipeline.notifications()
    assert mail.attributes["status"] == "FAILED"
    assert mail.attributes["failedState"] == "Get Transcode Job"
    assert message in mail.message
    assert "Transcription" not in " ".join(outcome.states)


def test_media_longer_than_accepted_fails_in_plan_transcode_before_any_job(
    pipeline: Pipeline,
) -> None:
    # Given a probe of a five-hour film, longer than the template's MaxMediaSeconds
    outcome = pipeline.run("MediaTooLongPath")
    # Then Plan Transcode refuses it and no job is started
    assert outcome.status == "FAILED"
    assert outcome.description["error"] == "MediaTooLongError"
    assert outcome.states[-7:] == ["Plan Transcode", *FAILURE_TAIL]
    failure = _failed_record(pipeline, outcome)
    assert failure["state"] == "Plan Transcode"
    assert "MaxMediaSeconds" in str(failure["reason"])
    assert "Start Transcode Job" not in outcome.states


def test_transcode_never_finishing_stops_at_poll_bound_as_timeout(pipeline: Pipeline) -> None:
    plan = mocked_response("PlanWithTightPollBound")["0"]["Return"]["Payload"]
    bound = plan["transcode"]["poll"]["maxPolls"]

    outcome = pipeline.run("TranscodeNeverFinishesPath")

    assert outcome.status == "FAILED"
    assert outcome.description["error"] == "TranscodeTimeoutError"
    assert Counter(outcome.states)["Get Transcode Job"] == bound
    assert "Transcode Timed Out" in outcome.states
    failure = _failed_record(pipeline, outcome)
    assert failure["error"] == "TranscodeTimeoutError"
    assert f"after {bound} checks" in str(failure["reason"])


def test_transcription_failed_carries_failure_reason(pipeline: Pipeline) -> None:
    job = mocked_response("GetTranscriptionFailed")["0"]["Return"]["TranscriptionJob"]

    outcome = pipeline.run("TranscriptionFailedPath")

    assert outcome.status == "FAILED"
    assert outcome.description["error"] == "TranscriptionJobError"
    assert outcome.states[-7:] == ["Transcription Job Failed", *FAILURE_TAIL]
    failure = _failed_record(pipeline, outcome)
    assert failure["state"] == "Get Transcription Job"
    assert job["FailureReason"] in str(failure["reason"])
    assert pipeline.items("MetadataTable") == []


def test_throttled_calls_are_retried_with_backoff_then_succeed(pipeline: Pipeline) -> None:
    outcome = pipeline.run("ThrottledThenOkPath")

    assert outcome.status == "SUCCEEDED"
    assert "Describe Failure" not in outcome.states
    assert outcome.run("Plan Transcode").attempts == 2
    assert outcome.run("Start Transcode Job").attempts == 3
    assert outcome.run("Get Transcription Job").attempts == 2
    failed = Counter(
        event["taskFailedEventDetails"]["error"]
        for event in outcome.events
        if "taskFailedEventDetails" in event
    )
    assert failed == {
        "Lambda.TooManyRequestsException": 1,
        "MediaConvert.TooManyRequestsException": 2,
        "Transcribe.LimitExceededException": 1,
    }
    # Backoff: the third attempt of Start Transcode Job comes after the waits between attempts.
    start = outcome.run("Start Transcode Job")
    assert start.seconds is not None
    assert start.seconds >= 0.0
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"


def test_function_crash_is_caught_and_names_the_state(pipeline: Pipeline) -> None:
    outcome = pipeline.run("FunctionCrashPath")

    assert outcome.status == "FAILED"
    assert outcome.run("Read Transcript").status == "CAUGHT"
    failure = _failed_record(pipeline, outcome)
    assert failure["state"] == "Read Transcript"
    assert failure["error"] == "KeyError"
    assert failure["reason"] == "'results'"
    (mail,) = pipeline.notifications()
    assert "Failed state: Read Transcript" in mail.message


def test_no_execution_is_left_running_and_no_record_processing(pipeline: Pipeline) -> None:
    cases = ["TranscodeErrorPath", "TranscriptionFailedPath", "FunctionCrashPath", "HappyPath"]
    arns = [
        pipeline.start(pipeline.upload_event(f"bob/clip-{n}.mp4"), c) for n, c in enumerate(cases)
    ]
    outcomes = [pipeline.outcome(arn) for arn in arns]

    assert [o.status for o in outcomes] == ["FAILED", "FAILED", "FAILED", "SUCCEEDED"], [
        (o.description.get("error"), str(o.description.get("cause"))[:800]) for o in outcomes
    ]
    statuses = sorted(str(item["status"]) for item in pipeline.items("VideosTable"))
    assert statuses == ["COMPLETED", "FAILED", "FAILED", "FAILED"]
