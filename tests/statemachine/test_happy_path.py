from __future__ import annotations

from tests.statemachine.conftest import Pipeline

MAIN_STATES = [
    "Parse Upload",
    "Is It a Known Face?",
    "Register Video",
    "Is It a Picture?",
    "Read Upload Options",
    "Probe Media",
    "What Kind of Media Is It?",
    "Plan Transcode",
    "Start Transcode Job",
    "Wait for Transcode",
    "Get Transcode Job",
    "Count Transcode Poll",
    "Is the Transcode Finished?",
    "Wait for Transcode",
    "Get Transcode Job",
    "Count Transcode Poll",
    "Is the Transcode Finished?",
    "Start Video Analysis",
    "Is There Audio to Transcribe?",
    "Start Transcription Job With Language Identification",
    "Wait for Transcription",
    "Get Transcription Job",
    "Count Transcription Poll",
    "Is the Transcription Finished?",
    "Wait for Transcription",
    "Get Transcription Job",
    "Count Transcription Poll",
    "Is the Transcription Finished?",
    "Read Transcript",
    "Is There Another Track to Try?",
    "Store Transcript Metadata",
    "Analyze Transcript",
    "Store Analysis",
    "Record Analysis",
    "Analyze Video",
    "Summarize Vision",
    "Summarize Video",
    "Index Media",
    "Which Record Is Completed?",
    "Mark Video Completed",
    "Notify Success",
    "Video Processed",
]


BRANCH_STATES = {
    "Build Subtitles",
    "Detect Sentiment",
    "Detect Key Phrases",
    "Detect Entities",
    "Subtitles Unavailable",
    "Sentiment Unavailable",
    "Key Phrases Unavailable",
    "Entities Unavailable",
}
# The vision jobs' iterations, one per planned kind (tests/statemachine/test_vision.py).
VISION_ITERATION_STATES = {
    "Start Vision Job",
    "Vision Job Not Started",
    "Was the Vision Job Started?",
    "Wait for Vision Job",
    "Get Vision Job",
    "Count Vision Poll",
    "Is the Vision Job Finished?",
    "Vision Job Collected",
    "Vision Job Failed",
    "Vision Job Timed Out",
    "Vision Job Unavailable",
}


def test_happy_path_scripted_services_visits_every_state_in_order(pipeline: Pipeline) -> None:
    # Given services that report one poll in progress, then done
    # When an upload runs the HappyPath test case
    outcome = pipeline.run("HappyPath")
    # Then every state runs once per loop, in order, and the execution succeeds
    assert outcome.status == "SUCCEEDED"
    inner = BRANCH_STATES | VISION_ITERATION_STATES
    assert [s for s in outcome.states if s not in inner] == MAIN_STATES
    assert {s for s in outcome.states if s in BRANCH_STATES} == {
        "Build Subtitles",
        "Detect Sentiment",
        "Detect Key Phrases",
        "Detect Entities",
    }
    assert outcome.event_types[0] == "ExecutionStarted"
    assert outcome.event_types[-1] == "ExecutionSucceeded"
    assert all(run.status == "SUCCEEDED" for run in outcome.runs)


def test_happy_path_scripted_services_writes_completed_record_and_email(pipeline: Pipeline) -> None:
    outcome = pipeline.run("HappyPath")
    video = outcome.video
    (record,) = pipeline.items("VideosTable")
    (metadata,) = pipeline.items("MetadataTable")
    (mail,) = pipeline.notifications()

    assert record["videoId"] == video["videoId"]
    assert record["status"] == "COMPLETED"
    assert record["mediaKind"] == "video"
    assert set(record["renditions"]) == {"web", "phone", "audio", "gif"}
    assert metadata["transcript"] == "Hello world."
    assert mail.attributes["status"] == "COMPLETED"
    assert mail.attributes["videoId"] == video["videoId"]
    assert "Hello world." in mail.message


def test_happy_path_analysis_lands_in_records_and_email(pipeline: Pipeline) -> None:
    outcome = pipeline.run("HappyPath")
    (record,) = pipeline.items("VideosTable")
    (metadata,) = pipeline.items("MetadataTable")
    (mail,) = pipeline.notifications()

    assert outcome.status == "SUCCEEDED"
    assert record["overallSentiment"] == "POSITIVE"
    assert set(record["subtitles"]) == {"vtt", "srt"}
    assert record["analysisKey"].startswith("output/analysis/alice/")
    assert metadata["Sentiment"] == "POSITIVE"
    assert float(metadata["SentimentScore"]["Positive"]) == 0.82
    assert metadata["KeyPhrases"] == ["Hello world"]
    assert "Overall sentiment: POSITIVE" in mail.message
    assert "Key phrases: Hello world" in mail.message


def test_entities_branch_failing_leaves_the_rest_of_the_analysis(pipeline: Pipeline) -> None:
    outcome = pipeline.run("EntitiesUnavailablePath")
    analysis = pipeline.json_object(
        outcome.run("Store Analysis").output["transcript"]["analysis"]["summary"]["analysisKey"]
    )

    assert outcome.status == "SUCCEEDED"
    assert outcome.run("Detect Entities").status == "CAUGHT"
    assert "Entities Unavailable" in outcome.states
    assert analysis["entities"]["available"] is False
    assert "not available" in analysis["entities"]["reason"]
    assert analysis["sentiment"]["sentiment"] == "POSITIVE"
    (record,) = pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
