"""Analyze Video on the real ASL: jobs started after the transcode, collected after the
transcript, and a branch that fails leaves the video COMPLETED with that branch unavailable."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reelscribe.errors import ServiceError
from tests.statemachine.conftest import Pipeline

KINDS = {"shots", "text", "faces", "face_search", "moderation", "labels", "celebrities"}


def test_vision_jobs_start_before_transcription_and_are_collected_after_it(
    pipeline: Pipeline,
) -> None:
    # Given every job IN_PROGRESS at its first check and SUCCEEDED at its second
    outcome = pipeline.run("HappyPath")
    states = outcome.states
    counts = Counter(states)
    # Then each planned kind starts once the transcode is complete, before the transcription
    assert outcome.status == "SUCCEEDED"
    assert counts["Start Vision Job"] == 7
    first_start = states.index("Start Vision Job")
    assert states.index("Is the Transcode Finished?") < first_start
    assert first_start < states.index("Start Transcription Job With Language Identification")
    # ...and each is polled until it succeeds, only after the transcript was analysed
    assert states.index("Record Analysis") < states.index("Was the Vision Job Started?")
    assert counts["Get Vision Job"] == 14
    assert counts["Vision Job Collected"] == 7
    assert "Vision Job Unavailable" not in counts
    results = outcome.run("Analyze Video").output["visionResults"]
    assert {r["kind"] for r in results} == KINDS
    assert all(r["available"] and r["rawKey"].endswith(f"/raw/{r['kind']}.json") for r in results)


def test_vision_summary_lands_on_the_video_item_and_in_the_email(pipeline: Pipeline) -> None:
    pipeline.run("HappyPath")
    (record,) = pipeline.items("VideosTable")
    (mail,) = pipeline.notifications()

    assert record["status"] == "COMPLETED"
    assert record["shotCount"] == 5
    assert record["onScreenText"].startswith("Quarterly results 2026")
    assert record["needsReview"] is True
    assert record["reviewLabels"] == ["Explicit Nudity"]
    assert record["posterKey"].endswith("/clip-poster.jpg")
    assert record["visionKey"].startswith("output/vision/alice/")
    assert "Shots: 5" in mail.message
    assert "Needs review: moderation found Explicit Nudity." in mail.message
    assert mail.attributes["needsReview"] == "true"


def test_vision_job_failing_leaves_video_completed_with_that_branch_unavailable(
    pipeline: Pipeline,
) -> None:
    # Given one job that Rekognition reports FAILED and six that succeed
    outcome = pipeline.run("VisionJobFailedPath")
    results = outcome.run("Analyze Video").output["visionResults"]
    failed = [r for r in results if not r["available"]]
    # Then the video completes, and only that kind is unavailable, with Rekognition's reason
    assert outcome.status == "SUCCEEDED"
    assert len(failed) == 1
    assert failed[0]["error"] == "VisionJobError"
    assert "failed: Unsupported codec/format." in failed[0]["reason"]
    assert sum(r["available"] for r in results) == 6
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"


def test_vision_jobs_not_started_leave_every_branch_unavailable_with_the_reason(
    pipeline: Pipeline,
) -> None:
    # Given Rekognition refuses every Start* call
    outcome = pipeline.run("VisionJobsNotStartedPath")
    # Then no job is polled, Summarize Vision writes a view that says why, and the video completes
    assert outcome.status == "SUCCEEDED"
    assert Counter(outcome.states)["Vision Job Not Started"] == 7
    assert "Get Vision Job" not in outcome.states
    summary = outcome.run("Summarize Vision").output["vision"]
    assert summary["analysed"] is True
    assert summary["shotCount"] == 0
    assert sorted(summary["unavailable"]) == sorted(KINDS)
    view = pipeline.json_object(summary["viewKey"])
    reason = view["branches"]["labels"]["reason"]
    assert reason.startswith("Rekognition start_label_detection failed (AccessDeniedException)")
    assert "stackTrace" not in reason
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert record["shotCount"] == 0
    assert record["needsReview"] is False


def test_empty_vision_plan_skips_the_stage_and_completes(pipeline: Pipeline) -> None:
    # Given a plan with no vision jobs (as for a video with no web rendition)
    outcome = pipeline.run("ThrottledThenOkPath")
    # Then no job starts, the summary says nothing was analysed, and the video completes
    assert outcome.status == "SUCCEEDED"
    assert "Start Vision Job" not in outcome.states
    assert outcome.run("Summarize Vision").output["vision"]["analysed"] is False
    (mail,) = pipeline.notifications()
    assert "Shots:" not in mail.message


def test_vision_capture_copy_denied_fails_summarize_vision_naming_error_and_cause(
    pipeline: Pipeline,
) -> None:
    # Given S3 refusing Summarize Vision's copy of a frame capture into the poster
    def deny(_: dict[str, Any]) -> dict[str, Any]:
        raise ServiceError("AccessDenied", "Access Denied", 403)

    pipeline.runtime.router.answer("s3", "CopyObject", deny)
    # When the video reaches it
    outcome = pipeline.run("VisionJobsNotStartedPath")
    # Then the video fails there through the failure path, naming the state, error and cause
    assert outcome.status == "FAILED"
    assert outcome.description["error"] == "ThumbnailCopyError"
    assert outcome.states[-7:] == [
        "Summarize Vision",
        "Describe Failure",
        "Was the Video Registered?",
        "Mark Video Failed",
        "Remove From Index",
        "Notify Failure",
        "Pipeline Failed",
    ]
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "FAILED"
    assert record["failure"]["state"] == "Summarize Vision"
    assert record["failure"]["error"] == "ThumbnailCopyError"
    assert "AccessDenied (Access Denied)" in record["failure"]["reason"]
    (mail,) = pipeline.notifications()
    assert mail.attributes["failedState"] == "Summarize Vision"
    assert "Error: ThumbnailCopyError" in mail.message
    assert "AccessDenied (Access Denied)" in mail.message
