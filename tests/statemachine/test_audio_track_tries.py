"""An upload with two audio tracks and the track left to auto: when the first track's transcript
has no words, the state machine transcribes the second track's MP3 in its place."""

from __future__ import annotations

from tests.statemachine.conftest import Pipeline
from tests.statemachine.test_happy_path import BRANCH_STATES, VISION_ITERATION_STATES

TRANSCRIPTION_TRY = [
    "Is There Audio to Transcribe?",
    "Start Transcription Job With Language Identification",
    "Wait for Transcription",
    "Get Transcription Job",
    "Count Transcription Poll",
    "Is the Transcription Finished?",
    "Read Transcript",
    "Is There Another Track to Try?",
]


def test_audio_tracks_silent_first_track_transcribes_the_second_and_names_it(
    pipeline: Pipeline,
) -> None:
    # Given a probe with two audio tracks, and Transcribe hearing nothing on the first
    outcome = pipeline.run("SilentFirstAudioTrackPath")

    # Then a second transcription runs on track 2's MP3, and its transcript is the one kept
    assert outcome.status == "SUCCEEDED"
    inner = BRANCH_STATES | VISION_ITERATION_STATES
    states = [s for s in outcome.states if s not in inner]
    first = states.index("Is There Audio to Transcribe?")
    assert states[first : first + 18] == [
        *TRANSCRIPTION_TRY,
        "Try the Next Audio Track",
        *TRANSCRIPTION_TRY,
        "Store Transcript Metadata",
    ]
    starts = [r for r in outcome.runs if r.name.startswith("Start Transcription Job")]
    plans = [run.input["plan"]["transcribe"] for run in starts]
    assert [p["audioTrack"] for p in plans] == [1, 2]
    assert plans[1]["jobName"] == f"{plans[0]['jobName']}-track2"
    assert plans[1]["mediaUri"].endswith("-track2.mp3")
    # ... which the transcode job wrote from track 2 alone
    settings = outcome.run("Plan Transcode").output["plan"]["transcode"]["settings"]
    selectors = settings["Inputs"][0]["AudioSelectors"]
    track_outputs = [
        (group["OutputGroupSettings"]["FileGroupSettings"]["Destination"], output)
        for group in settings["OutputGroups"]
        for output in group["Outputs"]
        if output.get("NameModifier") == "-track2"
    ]
    ((destination, output),) = track_outputs
    assert plans[1]["mediaUri"] == f"{destination}-track2.{output['Extension']}"
    source = output["AudioDescriptions"][0]["AudioSourceName"]
    assert selectors[source]["Tracks"] == [2]

    # And the record and the email name track 2 as the first with speech
    (record,) = pipeline.items("VideosTable")
    (metadata,) = pipeline.items("MetadataTable")
    (mail,) = pipeline.notifications()
    assert (record["audioTrack"], record["audioTrackCount"]) == (2, 2)
    assert record["audioNote"] == ""
    assert metadata["transcript"] == "Hello world."
    assert "Audio track: 2 of 2 (the first with speech)" in mail.message
