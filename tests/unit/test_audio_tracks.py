"""Which audio track Plan Transcode selects, and what Summarize Video says when it was silent."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer

from tests.support.events import load_event
from tests.support.mediaconvert_model import create_job_violations
from video_pipeline.config import PipelineConfig
from video_pipeline.errors import AudioTrackNotFoundError, InvalidAudioTrackError
from video_pipeline.models import SummaryRequest
from video_pipeline.plan import Plan, plan_pipeline
from video_pipeline.summary import summarize
from video_pipeline.transcript_record import TranscriptSummary
from video_pipeline.upload import Video

OUTPUT_BUCKET = "reelscribe-outputbucket"
ROLE = "arn:aws:iam::123456789012:role/reelscribe-MediaConvertRole"


def _two_track_event(audio_tracks: int = 2) -> dict[str, Any]:
    """The sample upload with more audio tracks (Probe numbers tracks over all kinds)."""
    event = copy.deepcopy(load_event("plan_transcode.json"))
    result = event["probe"]["ProbeResults"][0]
    tracks = result["Container"]["Tracks"]
    audio = next(t for t in tracks if t["TrackType"] == "audio")
    for _ in range(audio_tracks - 1):
        extra = {**copy.deepcopy(audio), "Index": max(t["Index"] for t in tracks) + 1}
        tracks.append(extra)
        result["TrackMappings"][0]["AudioTrackIndexes"].append(extra["Index"])
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
    """The tracks the renditions' sound (and the MP3 Transcribe reads first) come from."""
    settings = plan.transcode["settings"]
    (audio_group,) = [g for g in settings["OutputGroups"] if g["Name"] == "audio"]
    (description,) = audio_group["Outputs"][0]["AudioDescriptions"]
    selector = settings["Inputs"][0]["AudioSelectors"][description["AudioSourceName"]]
    tracks: list[int] = selector["Tracks"]
    return tracks


def _written(plan: Plan) -> dict[str, list[int]]:
    """Each file the job writes with sound, as an s3:// URI, with the tracks it hears."""
    settings = plan.transcode["settings"]
    selectors = settings["Inputs"][0]["AudioSelectors"]
    written = {}
    for group in settings["OutputGroups"]:
        destination = group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
        for output in group["Outputs"]:
            uri = f"{destination}{output.get('NameModifier', '')}.{output['Extension']}"
            for description in output.get("AudioDescriptions", []):
                written[uri] = selectors[description["AudioSourceName"]]["Tracks"]
    return written


def _tries(plan: Plan) -> list[dict[str, Any]]:
    """The transcription jobs the state machine may run, in turn."""
    tries, step = [], plan.model_dump()["transcribe"]
    while step is not None:
        tries.append(step)
        step = step["nextTry"]
    return tries


# ------------------------------------------------------------------ the choice


def test_plan_audio_track_auto_with_two_tracks_selects_the_first_and_counts_both() -> None:
    plan = _plan(_two_track_event())

    assert _selected(plan) == [1]
    assert plan.audio is not None
    assert (plan.audio.track, plan.audio.count, plan.audio.chosenBy) == (1, 2, "default")


def test_plan_audio_track_auto_with_two_tracks_writes_and_plans_the_second_as_next_try() -> None:
    # Given a video with two audio tracks and the track left to auto
    plan = _plan(_two_track_event())

    # Then the same job also writes track 2 alone, and a second transcription reads that file
    first, second = _tries(plan)
    assert (first["audioTrack"], second["audioTrack"]) == (1, 2)
    assert second["mediaUri"].endswith("/portrait-clip-track2.mp3")
    assert _written(plan)[first["mediaUri"]] == [1]
    assert _written(plan)[second["mediaUri"]] == [2]
    # ... under its own job name, writing the one transcript the rest of the pipeline reads
    assert second["jobName"] == f"{first['jobName']}-track2"
    assert second["outputKey"] == first["outputKey"]
    assert second["mediaFormat"] == "mp3"
    # ... while the renditions a viewer plays keep track 1's sound
    assert plan.renditions["audio"] in first["mediaUri"]
    assert sorted(_written(plan).values()) == [[1], [1], [1], [2]]


def test_plan_audio_track_auto_with_two_tracks_job_is_valid_for_mediaconvert() -> None:
    settings = _plan(_two_track_event()).transcode["settings"]

    violations = create_job_violations({"Role": ROLE, "Settings": settings})

    assert violations.problems == []
    # ... the track 2 MP3's settings among those checked
    (index,) = [i for i, g in enumerate(settings["OutputGroups"]) if g["Name"] == "audio tracks"]
    mp3 = (
        f"Settings.OutputGroups[{index}].Outputs[0].AudioDescriptions[0].CodecSettings.Mp3Settings"
    )
    assert {f"{mp3}.Bitrate", f"{mp3}.SampleRate", f"{mp3}.Channels"} <= set(violations.ranged)
    # Every output in a group of several names itself apart
    for group in settings["OutputGroups"]:
        if len(group["Outputs"]) > 1:
            assert all(o.get("NameModifier") for o in group["Outputs"])


def test_plan_audio_track_auto_with_ten_tracks_tries_at_most_eight() -> None:
    plan = _plan(_two_track_event(audio_tracks=10))

    assert [t["audioTrack"] for t in _tries(plan)] == list(range(1, 9))
    assert len(_written(plan)) == 3 + 7
    assert len({t["jobName"] for t in _tries(plan)}) == 8


@pytest.mark.parametrize(
    ("metadata", "template"),
    [({"audio-track": "1"}, "auto"), ({}, "1")],
    ids=["upload", "template"],
)
def test_plan_audio_track_chosen_by_the_user_is_the_only_one_transcribed(
    metadata: dict[str, str], template: str
) -> None:
    plan = _plan(_two_track_event(), metadata, template)

    assert [t["audioTrack"] for t in _tries(plan)] == [1]
    assert len(plan.transcode["settings"]["Inputs"][0]["AudioSelectors"]) == 1
    assert sorted(_written(plan).values()) == [[1], [1], [1]]


def test_plan_audio_track_auto_with_one_track_plans_one_transcription() -> None:
    plan = _plan(load_event("plan_transcode.json"))

    assert [t["audioTrack"] for t in _tries(plan)] == [1]
    assert len(_written(plan)) == 3


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


def _summarized(plan: Plan, words: str, tries: int = 1) -> tuple[dict[str, Any], str]:
    """Summarize Video after `tries` transcriptions, the last of which heard `words`."""
    dumped = plan.model_dump()
    for _ in range(tries - 1):
        dumped["transcribe"] = dumped["transcribe"]["nextTry"]
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
    request = SummaryRequest(video=video, plan=dumped, transcript=transcript)
    summary = summarize(request, OUTPUT_BUCKET)
    values = {k: TypeDeserializer().deserialize(v) for k, v in summary["values"].items()}
    return values, " ".join(summary["message"].split())


def test_summary_silent_chosen_first_of_two_tracks_names_the_second_in_record_and_email() -> None:
    values, message = _summarized(_plan(_two_track_event(), {"audio-track": "1"}), "")

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


def test_summary_auto_speech_on_the_second_try_names_track_two_as_the_first_with_speech() -> None:
    # Given auto's second transcription (track 2) heard the speech track 1 lacked
    plan = _plan(_two_track_event())
    values, message = _summarized(plan, "The harbour ferry leaves at noon every day.", tries=2)

    # Then the record and the email name track 2, and there is nothing left to try
    assert (values[":audioTrack"], values[":audioTrackCount"]) == (2, 2)
    assert values[":audioNote"] == ""
    assert "Audio track: 2 of 2 (the first with speech)" in message


def test_summary_auto_speech_on_the_first_try_names_track_one() -> None:
    values, message = _summarized(_plan(_two_track_event()), "Hello there from track one, friends.")

    assert values[":audioTrack"] == 1
    assert values[":audioNote"] == ""
    assert "Audio track: 1 of 2 (the first with speech)" in message


def test_summary_auto_no_speech_on_any_track_says_so() -> None:
    values, message = _summarized(_plan(_two_track_event()), "", tries=2)

    assert values[":audioTrack"] == 2
    note = values[":audioNote"]
    assert note == "Audio tracks 1 and 2 of 2 were transcribed in turn and none had speech."
    assert note in message


def test_summary_auto_no_speech_on_eight_of_ten_tracks_names_the_untried() -> None:
    values, _ = _summarized(_plan(_two_track_event(audio_tracks=10)), "", tries=8)

    note = values[":audioNote"]
    assert "Audio tracks 1, 2, 3, 4, 5, 6, 7 and 8 of 10 were transcribed in turn" in note
    assert "audio tracks 9 and 10 were not transcribed" in note
    assert "audio-track=9" in note
