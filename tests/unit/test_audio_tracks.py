"""Which audio track Plan Transcode selects, and what Summarize Video says when it was silent."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer

from tests.support.events import load_event
from video_pipeline.config import PipelineConfig
from video_pipeline.errors import AudioTrackNotFoundError, InvalidAudioTrackError
from video_pipeline.models import SummaryRequest
from video_pipeline.plan import Plan, plan_pipeline
from video_pipeline.summary import summarize
from video_pipeline.transcript_record import TranscriptSummary
from video_pipeline.upload import Video

OUTPUT_BUCKET = "reelscribe-outputbucket"


def _two_track_event() -> dict[str, Any]:
    """The sample upload with a second audio track (Probe numbers tracks over all kinds)."""
    event = copy.deepcopy(load_event("plan_transcode.json"))
    result = event["probe"]["ProbeResults"][0]
    tracks = result["Container"]["Tracks"]
    audio = next(t for t in tracks if t["TrackType"] == "audio")
    second = {**copy.deepcopy(audio), "Index": max(t["Index"] for t in tracks) + 1}
    tracks.append(second)
    result["TrackMappings"][0]["AudioTrackIndexes"].append(second["Index"])
    return event


def _plan(
    event: dict[str, Any], metadata: dict[str, str] | None = None, audio_track: str = "auto"
) -> Plan:
    config = PipelineConfig.model_validate(
        {"OUTPUT_BUCKET": OUTPUT_BUCKET, "AUDIO_TRACK": audio_track}
    )
    return plan_pipeline(
        Video.model_validate(event["video"]), event["probe"], config, "video", metadata
    )


def _selected(plan: Plan) -> list[int]:
    selectors = plan.transcode["settings"]["Inputs"][0]["AudioSelectors"]
    (selector,) = selectors.values()
    tracks: list[int] = selector["Tracks"]
    return tracks


# ------------------------------------------------------------------ the choice


def test_plan_audio_track_auto_with_two_tracks_selects_the_first_and_counts_both() -> None:
    plan = _plan(_two_track_event())

    assert _selected(plan) == [1]
    assert plan.audio is not None
    assert (plan.audio.track, plan.audio.count, plan.audio.chosenBy) == (1, 2, "default")


def test_plan_audio_track_upload_metadata_two_selects_the_second_for_every_output() -> None:
    plan = _plan(_two_track_event(), {"audio-track": "2"})

    assert _selected(plan) == [2]
    assert plan.audio is not None
    assert (plan.audio.track, plan.audio.chosenBy) == (2, "upload")
    # The MP3 Transcribe reads is made from that selector, as are the MP4s' sound
    outputs = [o for g in plan.transcode["settings"]["OutputGroups"] for o in g["Outputs"]]
    sources = {d["AudioSourceName"] for o in outputs for d in o.get("AudioDescriptions", [])}
    assert sources == set(plan.transcode["settings"]["Inputs"][0]["AudioSelectors"])


def test_plan_audio_track_template_parameter_two_selects_the_second() -> None:
    plan = _plan(_two_track_event(), audio_track="2")

    assert _selected(plan) == [2]
    assert plan.audio is not None
    assert plan.audio.chosenBy == "template"


@pytest.mark.parametrize(("upload", "expected"), [("1", [1]), ("auto", [2])])
def test_plan_audio_track_upload_metadata_wins_over_template_unless_auto(
    upload: str, expected: list[int]
) -> None:
    assert _selected(_plan(_two_track_event(), {"audio-track": upload}, "2")) == expected


def test_plan_audio_track_missing_track_raises_naming_the_tracks_there_are() -> None:
    with pytest.raises(AudioTrackNotFoundError) as raised:
        _plan(_two_track_event(), {"audio-track": "3"})

    message = str(raised.value)
    assert "portrait clip.mp4" in message
    assert "audio-track metadata asks for audio track 3" in message
    assert "it has 2 audio tracks: 1 (AAC, 2 ch); 2 (AAC, 2 ch)" in message


@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5"])
def test_plan_audio_track_metadata_not_a_track_number_raises_invalid(value: str) -> None:
    with pytest.raises(InvalidAudioTrackError, match="audio-track metadata"):
        _plan(_two_track_event(), {"audio-track": value})


def test_plan_audio_track_video_without_audio_has_nothing_to_choose() -> None:
    event = copy.deepcopy(load_event("plan_transcode.json"))
    container = event["probe"]["ProbeResults"][0]["Container"]
    container["Tracks"] = [t for t in container["Tracks"] if t["TrackType"] != "audio"]

    plan = _plan(event, {"audio-track": "2"})

    assert plan.audio is None
    assert plan.transcribe is None


# ------------------------------------------------------------------ what the user is told


def _summarized(plan: Plan, words: str) -> tuple[dict[str, Any], str]:
    video = Video.model_validate(load_event("plan_transcode.json")["video"])
    transcript = TranscriptSummary(
        jobName="job",
        transcript=words,
        languageCode="en-US",
        languageScores={},
        wordCount=len(words.split()),
        durationSeconds=3.0,
        averageConfidence=None,
    )
    request = SummaryRequest(video=video, plan=plan.model_dump(), transcript=transcript)
    summary = summarize(request, OUTPUT_BUCKET)
    values = {k: TypeDeserializer().deserialize(v) for k, v in summary["values"].items()}
    return values, " ".join(summary["message"].split())


def test_summary_silent_first_of_two_tracks_names_the_second_in_record_and_email() -> None:
    values, message = _summarized(_plan(_two_track_event()), "")

    assert values[":audioTrack"] == 1
    assert values[":audioTrackCount"] == 2
    note = values[":audioNote"]
    assert "Audio track 1 of 2 was transcribed and had no speech" in note
    assert "audio track 2 was not transcribed" in note
    assert "audio-track=2" in note
    assert note in message


def test_summary_speech_on_the_chosen_track_adds_no_note() -> None:
    plan = _plan(_two_track_event(), {"audio-track": "2"})

    values, message = _summarized(plan, "The harbour ferry leaves at noon every single day.")

    assert values[":audioTrack"] == 2
    assert values[":audioNote"] == ""
    assert "Audio track: 2 of 2 (chosen by the upload's audio-track metadata)" in message


def test_summary_silent_only_track_adds_no_note() -> None:
    values, _ = _summarized(_plan(load_event("plan_transcode.json")), "")

    assert (values[":audioTrack"], values[":audioTrackCount"], values[":audioNote"]) == (1, 1, "")
