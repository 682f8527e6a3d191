"""What Kind of Media Is It?: the probe decides between the video and the audio path."""

from __future__ import annotations

from tests.statemachine.conftest import Pipeline


def test_media_kind_probe_with_picture_track_takes_the_video_plan(pipeline: Pipeline) -> None:
    # Given a probe that finds a video track and an audio track
    outcome = pipeline.run("HappyPath")

    # Then the Choice sends it to Plan Transcode, and the audio plan is not run
    assert outcome.status == "SUCCEEDED"
    choice = outcome.states.index("What Kind of Media Is It?")
    assert outcome.states[choice - 1 : choice + 2] == [
        "Probe Media",
        "What Kind of Media Is It?",
        "Plan Transcode",
    ]
    assert "Plan Audio Transcode" not in outcome.states


def test_media_kind_probe_with_sound_only_plans_the_mp3_alone(pipeline: Pipeline) -> None:
    # Given a probe that finds one audio track and no video track (an MP3)
    outcome = pipeline.run("AudioFilePath", key="alice/episode 12.mp3")

    # Then the audio plan runs, the job writes the MP3 only, and the rest is as for a video:
    # transcript, analysis, record and email
    assert outcome.status == "SUCCEEDED"
    assert "Plan Audio Transcode" in outcome.states
    assert "Plan Transcode" not in outcome.states
    settings = outcome.run("Plan Audio Transcode").output["plan"]["transcode"]["settings"]
    assert [group["Name"] for group in settings["OutputGroups"]] == ["audio"]
    assert "VideoSelector" not in settings["Inputs"][0]
    assert "Read Transcript" in outcome.states
    assert "Analyze Transcript" in outcome.states
    (record,) = pipeline.items("VideosTable")
    (metadata,) = pipeline.items("MetadataTable")
    (mail,) = pipeline.notifications()
    assert record["status"] == "COMPLETED"
    assert set(record["renditions"]) == {"audio"}
    assert record["noAudio"] is False
    assert metadata["transcript"] == "Hello world."
    assert "Hello world." in mail.message
