"""Index Media on the real ASL: a paused Aurora is waited for, a refusal never fails the upload."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.statemachine.conftest import Pipeline
from tests.support.images import make_photo


def _failures(events: list[dict[str, Any]]) -> Counter[str]:
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


def _photo_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        return make_photo(Path(scratch) / "photo.jpg").read_bytes()


def test_index_media_picture_indexed_then_failed_leaves_no_rows(pipeline: Pipeline) -> None:
    # Given a real photograph whose slide text is indexed, then whose record cannot be completed
    event = pipeline.upload_event("alice/Slide.jpg", _photo_bytes())
    outcome = pipeline.outcome(pipeline.start(event, "ImageIndexedThenFailedPath"))

    # Then Index Media had indexed its moments, and the failure path took them out again
    assert outcome.status == "FAILED"
    assert outcome.run("Index Media").output["index"]["moments"] > 0
    assert "Remove From Index" in outcome.states
    with pipeline.runtime.database.connect() as connection:
        rows = connection.execute("SELECT count(*) FROM library_moments").fetchone()
        uploads = connection.execute("SELECT count(*) FROM library_uploads").fetchone()
    assert (rows, uploads) == ((0,), (0,))
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "FAILED"
