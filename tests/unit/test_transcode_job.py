"""Plan Transcode: the MediaConvert job, the renditions' keys and the transcription plan."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import botocore.session
import pytest

from tests.support.events import load_event
from tests.support.mediaconvert_model import model_violations
from video_pipeline.config import PipelineConfig
from video_pipeline.errors import NotAVideoError, UnreadableMediaError
from video_pipeline.plan import Plan, plan_pipeline, transcription_job_name
from video_pipeline.renditions import Rendition, load_frame_capture, load_renditions
from video_pipeline.upload import Video, slug

OUTPUT_BUCKET = "reelscribe-outputbucket"
JOB_NAME = re.compile(r"^[0-9a-zA-Z._-]+$")
TRANSCRIBE_MEDIA_FORMATS = {"mp3", "mp4", "wav", "flac", "ogg", "amr", "webm", "m4a"}


def _config(**values: str) -> PipelineConfig:
    return PipelineConfig.model_validate({"OUTPUT_BUCKET": OUTPUT_BUCKET, **values})


def _event() -> dict[str, Any]:
    return load_event("plan_transcode.json")


def _plan(event: dict[str, Any] | None = None, **config: str) -> Plan:
    event = event or _event()
    return plan_pipeline(Video.model_validate(event["video"]), event["probe"], _config(**config))


def _tracks(event: dict[str, Any]) -> list[dict[str, Any]]:
    tracks: list[dict[str, Any]] = event["probe"]["ProbeResults"][0]["Container"]["Tracks"]
    return tracks


def _without(event: dict[str, Any], track_type: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    container = changed["probe"]["ProbeResults"][0]["Container"]
    container["Tracks"] = [t for t in container["Tracks"] if t["TrackType"] != track_type]
    for mapping in changed["probe"]["ProbeResults"][0].get("TrackMappings", []):
        mapping[f"{track_type.capitalize()}TrackIndexes"] = []
    return changed


def _groups(plan: Plan) -> dict[str, dict[str, Any]]:
    return {g["Name"]: g for g in plan.transcode["settings"]["OutputGroups"]}


def _output(plan: Plan, name: str) -> dict[str, Any]:
    output: dict[str, Any] = _groups(plan)[name]["Outputs"][0]
    return output


def _size(plan: Plan, name: str) -> tuple[int, int]:
    video = _output(plan, name)["VideoDescription"]
    return video["Width"], video["Height"]


# ------------------------------------------------------------------ output groups


def test_plan_pipeline_portrait_video_with_audio_gives_one_group_per_rendition() -> None:
    plan = _plan()

    assert list(_groups(plan)) == [*(r.name for r in load_renditions()), "frames"]
    assert set(plan.renditions) == {"web", "phone", "audio", "gif"}


def test_plan_pipeline_destinations_under_kind_user_video_and_slugged_name() -> None:
    # Given alice's "portrait clip.mp4" / When planned
    event = _event()
    video = event["video"]
    plan = _plan(event)

    # Then every rendition lands in output/<kind>/<user>/<videoId>/<slug>, so two uploads of
    # the same name, or two users' files, never overwrite each other
    pattern = re.compile(
        rf"^s3://{OUTPUT_BUCKET}/output/(web|phone|audio|gif|frames)/{video['userId']}/"
        rf"{video['videoId']}/{re.escape(slug(video['baseName']))}$"
    )
    for name, group in _groups(plan).items():
        destination = group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
        assert pattern.match(destination), destination
        assert pattern.match(destination).group(1) == name  # type: ignore[union-attr]
        extension = group["Outputs"][0]["Extension"]
        if name != "frames":  # numbered stills, not a rendition (see the frame capture test)
            assert f"s3://{OUTPUT_BUCKET}/{plan.renditions[name]}" == f"{destination}.{extension}"


def test_plan_pipeline_input_is_the_uploaded_object_with_its_audio() -> None:
    event = _event()
    (job_input,) = _plan(event).transcode["settings"]["Inputs"]

    assert job_input["FileInput"] == event["video"]["sourceUri"]
    assert job_input["AudioSelectors"]


def test_plan_pipeline_audio_rendition_is_a_320_kbps_mp3_without_picture() -> None:
    audio = _output(_plan(), "audio")

    assert audio["Extension"] == "mp3"
    assert audio["ContainerSettings"]["Container"] == "RAW"
    assert "VideoDescription" not in audio
    (description,) = audio["AudioDescriptions"]
    assert description["CodecSettings"]["Codec"] == "MP3"
    assert description["CodecSettings"]["Mp3Settings"]["Bitrate"] == 320000
    assert description["CodecSettings"]["Mp3Settings"]["RateControlMode"] == "CBR"


def test_plan_pipeline_gif_rendition_is_a_silent_animated_gif() -> None:
    gif = _output(_plan(), "gif")

    assert gif["Extension"] == "gif"
    assert gif["ContainerSettings"]["Container"] == "GIF"
    codec = gif["VideoDescription"]["CodecSettings"]
    assert codec["Codec"] == "GIF"
    assert codec["GifSettings"]["FramerateControl"] == "SPECIFIED"
    assert codec["GifSettings"]["FramerateNumerator"] == 5
    assert codec["GifSettings"]["FramerateDenominator"] == 1
    assert "AudioDescriptions" not in gif


def test_plan_pipeline_mp4_renditions_are_h264_with_aac_and_progressive_download() -> None:
    plan = _plan()
    for name in ("web", "phone"):
        output = _output(plan, name)
        assert output["ContainerSettings"]["Mp4Settings"]["MoovPlacement"] == "PROGRESSIVE_DOWNLOAD"
        assert output["VideoDescription"]["CodecSettings"]["Codec"] == "H_264"
        (audio,) = output["AudioDescriptions"]
        assert audio["CodecSettings"]["Codec"] == "AAC"
        assert audio["CodecSettings"]["AacSettings"]["CodingMode"] == "CODING_MODE_2_0"


def test_plan_pipeline_portrait_source_keeps_portrait_dimensions() -> None:
    # Given a 1080x1920 phone video / Then no rendition turns it sideways or squeezes it
    plan = _plan()

    assert _size(plan, "web") == (720, 1280)
    assert _size(plan, "phone") == (540, 960)
    assert _size(plan, "gif") == (270, 480)


def test_plan_pipeline_rotated_landscape_coding_gives_portrait_outputs() -> None:
    # Given a phone video stored as 1920x1080 with a 90 degree rotation flag
    event = _event()
    video_track = next(t for t in _tracks(event) if t["TrackType"] == "video")
    video_track["VideoProperties"].update({"Width": 1920, "Height": 1080, "Rotation": 90})

    # Then the outputs are sized as players show it: upright
    plan = _plan(event)
    assert _size(plan, "web") == (720, 1280)
    assert plan.transcode["settings"]["Inputs"][0]["VideoSelector"]["Rotate"] == "AUTO"


def test_plan_pipeline_landscape_source_gives_landscape_outputs() -> None:
    event = _event()
    video_track = next(t for t in _tracks(event) if t["TrackType"] == "video")
    video_track["VideoProperties"].update({"Width": 1920, "Height": 1080})

    plan = _plan(event)
    assert (_size(plan, "web"), _size(plan, "phone"), _size(plan, "gif")) == (
        (1280, 720),
        (960, 540),
        (480, 270),
    )


def test_plan_pipeline_user_metadata_tags_the_job_with_user_and_video() -> None:
    event = _event()
    metadata = _plan(event).transcode["userMetadata"]

    assert metadata == {"userId": event["video"]["userId"], "videoId": event["video"]["videoId"]}


def test_plan_pipeline_settings_use_only_values_mediaconvert_knows() -> None:
    # botocore checks shapes and types but not enums or maximums: check those against the model
    model = botocore.session.get_session().get_service_model("mediaconvert")
    settings_shape = model.operation_model("CreateJob").input_shape.members["Settings"]

    assert model_violations(settings_shape, _plan().transcode["settings"], "Settings") == []


def test_plan_pipeline_settings_survive_a_json_round_trip() -> None:
    # Step Functions passes the plan on as JSON
    plan = _plan().model_dump()
    assert json.loads(json.dumps(plan)) == plan


# ------------------------------------------------------------------ transcription


def test_plan_pipeline_transcribe_reads_the_mp3_rendition_as_mp3() -> None:
    plan = _plan()
    transcribe = plan.transcribe

    assert transcribe is not None
    assert transcribe.mediaFormat == "mp3"
    assert transcribe.mediaFormat in TRANSCRIBE_MEDIA_FORMATS
    assert transcribe.mediaUri == f"s3://{OUTPUT_BUCKET}/{plan.renditions['audio']}"
    assert transcribe.outputKey.startswith("output/transcribe/")
    assert transcribe.outputKey.endswith(".json")


def test_plan_pipeline_transcribe_job_name_valid_for_transcribe() -> None:
    transcribe = _plan().transcribe

    assert transcribe is not None
    assert JOB_NAME.match(transcribe.jobName)
    assert len(transcribe.jobName) <= 200


def test_plan_pipeline_job_names_differ_per_video() -> None:
    other = _event()
    other["video"]["videoId"] = "0123456789abcdef"

    first, second = _plan().transcribe, _plan(other).transcribe
    assert first is not None
    assert second is not None
    assert first.jobName != second.jobName


def test_transcription_job_name_unsafe_long_prefix_gives_valid_name_keeping_the_video_id() -> None:
    video = Video.model_validate(_event()["video"])

    name = transcription_job_name("my stack/é" * 10, video)

    assert JOB_NAME.match(name)
    assert len(name) <= 200
    assert name.endswith(video.videoId)


def test_plan_pipeline_auto_language_identifies_the_language() -> None:
    transcribe = _plan(TRANSCRIBE_LANGUAGE="auto").transcribe
    assert transcribe is not None
    assert transcribe.identifyLanguage is True


def test_plan_pipeline_fixed_language_is_passed_on() -> None:
    transcribe = _plan(TRANSCRIBE_LANGUAGE="de-DE").transcribe

    assert transcribe is not None
    assert (transcribe.languageCode, transcribe.identifyLanguage) == ("de-DE", False)


def test_plan_pipeline_language_options_narrow_identification_only() -> None:
    options = {"TRANSCRIBE_LANGUAGE_OPTIONS": "en-US,es-US"}
    identified = _plan(TRANSCRIBE_LANGUAGE="auto", **options).transcribe
    fixed = _plan(TRANSCRIBE_LANGUAGE="de-DE", **options).transcribe
    unnamed = _plan(TRANSCRIBE_LANGUAGE="auto").transcribe

    assert identified is not None
    assert fixed is not None
    assert unnamed is not None
    assert identified.languageOptions == ["en-US", "es-US"]
    # StartTranscriptionJob refuses LanguageOptions beside a LanguageCode
    assert fixed.languageOptions == []
    assert unnamed.languageOptions == []


# ------------------------------------------------------------------ no audio, no video, nothing


def test_plan_pipeline_video_without_audio_track_gives_no_mp3_and_no_transcription() -> None:
    # Given a silent film (the probe finds no audio track)
    plan = _plan(_without(_event(), "audio"))

    # Then there is nothing to transcribe and no empty MP3, but the videos and the GIF remain
    assert plan.media.hasAudio is False
    assert plan.transcribe is None
    assert "audio" not in plan.renditions
    assert set(_groups(plan)) == {"web", "phone", "gif", "frames"}
    for group in _groups(plan).values():
        assert "AudioDescriptions" not in group["Outputs"][0]
    assert "AudioSelectors" not in plan.transcode["settings"]["Inputs"][0]


def test_plan_pipeline_audio_only_upload_raises_not_a_video() -> None:
    with pytest.raises(NotAVideoError, match="no video track"):
        _plan(_without(_event(), "video"))


def test_plan_pipeline_audio_file_gives_only_the_mp3_and_a_transcription() -> None:
    # Given an audio file (the probe finds sound and no picture), planned as audio
    event = _without(_event(), "video")
    plan = plan_pipeline(Video.model_validate(event["video"]), event["probe"], _config(), "audio")

    # Then the MP3 is the only rendition, with no picture and no video selector, and it is
    # what Transcribe hears
    assert plan.media.kind == "audio"
    assert set(plan.renditions) == {"audio"}
    assert set(_groups(plan)) == {"audio"}
    assert "VideoDescription" not in _output(plan, "audio")
    job_input = plan.transcode["settings"]["Inputs"][0]
    assert "VideoSelector" not in job_input
    assert "AudioSelectors" in job_input
    assert plan.transcribe is not None
    assert plan.transcribe.mediaUri == f"s3://{OUTPUT_BUCKET}/{plan.renditions['audio']}"
    assert plan.transcribe.mediaFormat == "mp3"


def test_plan_pipeline_audio_plan_without_audio_track_raises_unreadable_media() -> None:
    event = _without(_event(), "audio")

    with pytest.raises(UnreadableMediaError, match="no audio track"):
        plan_pipeline(Video.model_validate(event["video"]), event["probe"], _config(), "audio")


@pytest.mark.parametrize(
    "probe",
    [
        {},
        {"ProbeResults": []},
        {"ProbeResults": [{"Container": {}}]},
        {"ProbeResults": [{"Container": {"Tracks": []}}]},
    ],
)
def test_plan_pipeline_nothing_readable_raises_unreadable_media(probe: dict[str, Any]) -> None:
    event = _event()
    event["probe"] = probe

    with pytest.raises(UnreadableMediaError):
        _plan(event)


def test_plan_pipeline_video_track_without_size_raises_unreadable_media() -> None:
    event = _event()
    video_track = next(t for t in _tracks(event) if t["TrackType"] == "video")
    video_track["VideoProperties"] = {}

    with pytest.raises(UnreadableMediaError, match="picture size"):
        _plan(event)


# ------------------------------------------------------------------ renditions are data


def test_plan_pipeline_rendition_added_to_data_gives_new_output_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given renditions.json plus a 360p preview, as a user would add it to the file
    preview = Rendition.model_validate(
        {
            "name": "preview",
            "container": "MP4",
            "extension": "mp4",
            "video": {
                "codec": "H_264",
                "maxWidth": 640,
                "maxHeight": 360,
                "maxBitrate": 800000,
                "quality": 6,
            },
            "audio": {"codec": "AAC", "bitrate": 96000, "sampleRate": 48000},
        }
    )
    monkeypatch.setattr(
        "video_pipeline.plan.load_renditions", lambda: (*load_renditions(), preview)
    )

    # When planned, with no code change
    plan = _plan()

    # Then the job has a fifth rendition group for it, sized and placed like the others
    assert list(_groups(plan))[-2:] == ["preview", "frames"]
    assert _size(plan, "preview") == (360, 640)
    assert plan.renditions["preview"].startswith("output/preview/alice/")
    destination = _groups(plan)["preview"]["OutputGroupSettings"]["FileGroupSettings"]
    assert destination["Destination"] == f"s3://{OUTPUT_BUCKET}/{plan.renditions['preview']}"[:-4]


# ------------------------------------------------------------------ helpers


def test_plan_pipeline_frame_captures_are_small_jpegs_bounded_and_where_vision_reads_them() -> None:
    # Given a portrait clip of 42.5 s
    plan = _plan()
    group = _groups(plan)["frames"]
    output = group["Outputs"][0]
    capture = output["VideoDescription"]["CodecSettings"]["FrameCaptureSettings"]
    # Then one JPEG a second, at most 180x320 for portrait, bounded, where Summarize Vision looks
    assert output["ContainerSettings"] == {"Container": "RAW"}
    assert output["Extension"] == "jpg"
    assert _size(plan, "frames") == (180, 320)
    assert (capture["FramerateNumerator"], capture["FramerateDenominator"]) == (1, 1)
    assert capture["MaxCaptures"] == load_frame_capture().maxCaptures
    assert plan.vision.captures is not None
    destination = group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
    assert destination == f"s3://{OUTPUT_BUCKET}/{plan.vision.captures.prefix}"
