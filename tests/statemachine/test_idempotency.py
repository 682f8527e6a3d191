"""The same upload event delivered twice, or twenty times at once, processes the video once."""

from __future__ import annotations

from collections import Counter

from tests.statemachine.conftest import Pipeline


def test_duplicate_event_delivered_twice_processes_once(pipeline: Pipeline) -> None:
    event = pipeline.upload_event("carol/holiday.mp4")
    first = pipeline.outcome(pipeline.start(event, "HappyPath"))
    second = pipeline.outcome(pipeline.start(event, "HappyPath"))

    assert first.status == "SUCCEEDED"
    assert second.status == "SUCCEEDED"
    assert second.states == [
        "Parse Upload",
        "Is It a Known Face?",
        "Register Video",
        "Ignore Duplicate Upload",
    ]
    assert second.video["videoId"] == first.video["videoId"]
    assert len(pipeline.items("VideosTable")) == 1
    assert len(pipeline.notifications()) == 1


def test_duplicate_event_delivered_twenty_times_at_once_starts_one_job(pipeline: Pipeline) -> None:
    event = pipeline.upload_event("carol/holiday.mp4")
    arns = [pipeline.start(event, "HappyPath") for _ in range(20)]
    outcomes = [pipeline.outcome(arn) for arn in arns]

    assert {o.status for o in outcomes} == {"SUCCEEDED"}
    entered = Counter(state for o in outcomes for state in o.states)
    assert entered["Start Transcode Job"] == 1
    assert entered["Start Transcription Job With Language Identification"] == 1
    assert entered["Ignore Duplicate Upload"] == 19
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert len(pipeline.notifications()) == 1


def test_same_file_name_uploaded_again_is_a_new_video_and_keeps_the_old(
    pipeline: Pipeline,
) -> None:
    first = pipeline.run("HappyPath", key="dave/talk.mp4")
    second = pipeline.run("HappyPath", key="dave/talk.mp4")

    assert first.video["videoId"] != second.video["videoId"]
    records = {r["videoId"]: r for r in pipeline.items("VideosTable")}
    assert set(records) == {first.video["videoId"], second.video["videoId"]}
    assert {r["status"] for r in records.values()} == {"COMPLETED"}
    assert {r["fileName"] for r in records.values()} == {"talk.mp4"}
