"""Index Media on the real ASL: a paused Aurora is waited for, a refusal never fails the upload."""

from __future__ import annotations

from collections import Counter

from tests.statemachine.conftest import Pipeline


def _failures(events: list[dict]) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(
        event["taskFailedEventDetails"]["error"]
        for event in events
        if "taskFailedEventDetails" in event
    )


def test_index_media_database_resuming_is_retried_then_searchable(pipeline: Pipeline) -> None:
    # Given Aurora answering DatabaseResumingException twice while it resumes
    outcome = pipeline.run("IndexResumingPath")

    # Then Index Media is tried three times and the upload completes searchable
    assert outcome.status == "SUCCEEDED", outcome.description
    assert outcome.run("Index Media").attempts == 3
    assert _failures(outcome.events) == {"DatabaseResumingError": 2}
    assert "Index Unavailable" not in outcome.states
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert record["searchable"] is True


def test_index_media_refused_is_caught_and_the_upload_still_completes(pipeline: Pipeline) -> None:
    # Given a database that refuses the statements (not a transient error)
    outcome = pipeline.run("IndexUnavailablePath")

    # Then it is not retried, the upload completes, and its record says it is not searchable
    assert outcome.status == "SUCCEEDED", outcome.description
    assert outcome.run("Index Media").attempts == 1
    assert "Index Unavailable" in outcome.states
    assert "Describe Failure" not in outcome.states
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert record["searchable"] is False
    (email,) = pipeline.notifications("COMPLETED")
    assert email.subject
