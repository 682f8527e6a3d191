"""Planning MediaConvert jobs as one ffmpeg command: naming, geometry, validation, argv.

Nothing here runs ffmpeg or reads media: planning takes what a probe of the input found,
so each input is a probe result written as data. Real encoding is in the functional tier.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import botocore.session
import pytest
from botocore.model import StringShape

from reelscribe.media import (
    MediaError,
    PlannedOutput,
    ProbeResult,
    Track,
    TranscodeError,
    TranscodePlan,
    UnsupportedSettingError,
    check_ffmpeg_meanwhile,
    find_ffmpeg,
    plan_transcode,
    probing,
)
from reelscribe.media.command import output_geometry
from reelscribe.media.encoders import qvbr_to_crf
from reelscribe.media.run import ProgressReporter

FFMPEG = "ffmpeg-not-run"


@dataclass(frozen=True)
class _Upload:
    """An input as planning sees it: where it is, and what a probe of it found."""

    path: Path
    probed: ProbeResult


def _upload(name: str, *, width: int, height: int, audio: bool) -> _Upload:
    tracks = [
        Track(index=1, stream_index=0, kind="video", codec="AVC", duration=0.5, bit_rate=0,
              width=width, height=height, frame_rate=Fraction(10), bit_depth=8),
    ]  # fmt: skip
    if audio:
        tracks.append(
            Track(index=2, stream_index=1, kind="audio", codec="AAC", duration=0.5, bit_rate=0,
                  channels=1, sample_rate=48000)
        )  # fmt: skip
    # The files need not exist: planning never opens them.
    return _Upload(Path("/uploads") / name, ProbeResult("mp4", 0.5, 0, 4096, tuple(tracks)))


LANDSCAPE = _upload("land.mp4", width=320, height=180, audio=True)
PORTRAIT = _upload("port.mp4", width=180, height=320, audio=True)
SILENT = _upload("silent.mp4", width=320, height=180, audio=False)
# No tracks at all: any setting that is checked against the input would fail on it.
NOTHING = _Upload(Path("/uploads/missing.mp4"), ProbeResult("mp4", 0.0, 0, 0, ()))


def _h264_output(width: int = 1280, height: int = 720, **video: Any) -> dict[str, Any]:
    return {
        "Extension": "mp4",
        "ContainerSettings": {"Container": "MP4", "Mp4Settings": {"MoovPlacement": "NORMAL"}},
        "VideoDescription": {
            "Width": width,
            "Height": height,
            "ScalingBehavior": "DEFAULT",
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "QvbrSettings": {"QvbrQualityLevel": 7},
                    "MaxBitrate": 5000000,
                    "SceneChangeDetect": "TRANSITION_DETECTION",
                },
            },
            **video,
        },
        "AudioDescriptions": [_aac()],
    }


def _aac() -> dict[str, Any]:
    return {
        "AudioSourceName": "Audio Selector 1",
        "CodecSettings": {
            "Codec": "AAC",
            "AacSettings": {
                "Bitrate": 160000,
                "SampleRate": 48000,
                "CodingMode": "CODING_MODE_2_0",
            },
        },
    }


def _mp3_output() -> dict[str, Any]:
    return {
        "Extension": "mp3",
        "ContainerSettings": {"Container": "RAW"},
        "AudioDescriptions": [
            {
                "AudioSourceName": "Audio Selector 1",
                "CodecSettings": {
                    "Codec": "MP3",
                    "Mp3Settings": {
                        "Bitrate": 320000,
                        "Channels": 2,
                        "SampleRate": 44100,
                        "RateControlMode": "CBR",
                    },
                },
            }
        ],
    }


def _gif_output() -> dict[str, Any]:
    return {
        "Extension": "gif",
        "ContainerSettings": {"Container": "GIF"},
        "VideoDescription": {
            "Width": 320,
            "Height": 180,
            "CodecSettings": {
                "Codec": "GIF",
                "GifSettings": {
                    "FramerateControl": "SPECIFIED",
                    "FramerateNumerator": 5,
                    "FramerateDenominator": 1,
                },
            },
        },
    }


def _group(destination: str, *outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": destination},
        },
        "Outputs": list(outputs),
    }


def _job(*groups: dict[str, Any]) -> dict[str, Any]:
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": "s3://up/u/my.trip.mp4",
                "TimecodeSource": "ZEROBASED",
                "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
                "VideoSelector": {"Rotate": "AUTO"},
            }
        ],
        "OutputGroups": list(groups),
    }


def _pipeline_job() -> dict[str, Any]:
    return _job(
        _group("s3://out/output/web/u/vid/my.trip", _h264_output(1280, 720)),
        _group("s3://out/output/phone/u/vid/my.trip", _h264_output(960, 540)),
        _group("s3://out/output/audio/u/vid/my.trip", _mp3_output()),
        _group("s3://out/output/gif/u/vid/my.trip", _gif_output()),
    )


def _plan(settings: dict[str, Any], upload: _Upload, workdir: Path) -> TranscodePlan:
    return plan_transcode(settings, upload.probed, upload.path, workdir, ffmpeg=FFMPEG)


def _filter_graph(plan: TranscodePlan) -> str:
    return plan.argv[plan.argv.index("-filter_complex") + 1]


# --- naming ---------------------------------------------------------------------------------


def test_destinations_pipeline_job_follow_mediaconvert_naming(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    assert [output.destination for output in plan.outputs] == [
        "s3://out/output/web/u/vid/my.trip.mp4",
        "s3://out/output/phone/u/vid/my.trip.mp4",
        "s3://out/output/audio/u/vid/my.trip.mp3",
        "s3://out/output/gif/u/vid/my.trip.gif",
    ]
    assert [(o.group_index, o.output_index) for o in plan.outputs] == [
        (0, 0),
        (1, 0),
        (2, 0),
        (3, 0),
    ]


def test_destination_name_modifier_goes_between_base_and_extension(tmp_path: Path) -> None:
    output = {**_h264_output(), "NameModifier": "_720p"}
    plan = _plan(_job(_group("s3://out/renditions/clip", output)), LANDSCAPE, tmp_path)

    assert plan.outputs[0].destination == "s3://out/renditions/clip_720p.mp4"


def test_destination_ending_in_slash_uses_input_object_stem(tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/renditions/", _h264_output())), LANDSCAPE, tmp_path)

    assert plan.outputs[0].destination == "s3://out/renditions/my.trip.mp4"


def test_destination_ending_in_slash_without_file_input_uses_local_stem(tmp_path: Path) -> None:
    settings = _job(_group("s3://out/renditions/", _h264_output()))
    del settings["Inputs"][0]["FileInput"]

    plan = _plan(settings, LANDSCAPE, tmp_path)

    assert plan.outputs[0].destination == "s3://out/renditions/land.mp4"


@pytest.mark.parametrize(
    ("output", "extension"),
    [
        (_h264_output(), "mp4"),
        (_gif_output(), "gif"),
        (_mp3_output(), "mp3"),
        ({"ContainerSettings": {"Container": "RAW"}, "AudioDescriptions": [_aac()]}, "aac"),
    ],
    ids=["mp4", "gif", "raw-mp3", "raw-aac"],
)
def test_extension_missing_comes_from_container_and_codec(
    tmp_path: Path, output: dict[str, Any], extension: str
) -> None:
    output = copy.deepcopy(output)
    output.pop("Extension", None)

    plan = _plan(_job(_group("s3://out/a/b", output)), LANDSCAPE, tmp_path)

    assert plan.outputs[0].destination == f"s3://out/a/b.{extension}"


def test_extension_given_overrides_container_default(tmp_path: Path) -> None:
    output = {**_h264_output(), "Extension": "m4v"}

    plan = _plan(_job(_group("s3://out/a/b", output)), LANDSCAPE, tmp_path)

    assert plan.outputs[0].destination == "s3://out/a/b.m4v"


def test_local_paths_same_file_name_in_two_groups_do_not_collide(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    local_paths = [output.local_path for output in plan.outputs]
    assert len(set(local_paths)) == len(local_paths)
    assert all(path.is_relative_to(tmp_path) for path in local_paths)
    assert local_paths[0].name == local_paths[1].name == "my.trip.mp4"


def test_destinations_identical_in_one_group_raise_with_output_path(tmp_path: Path) -> None:
    settings = _job(_group("s3://out/a/b", _h264_output(), _h264_output(640, 360)))

    with pytest.raises(UnsupportedSettingError, match=r"OutputGroups\[0\]\.Outputs\[1\]"):
        _plan(settings, LANDSCAPE, tmp_path)


# --- geometry -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "box", "scaling", "scaled", "frame"),
    [
        ((1920, 1080), (1280, 720), "DEFAULT", (1280, 720), (1280, 720)),
        ((1920, 1080), (960, 540), "STRETCH_TO_OUTPUT", (960, 540), (960, 540)),
        ((1080, 1920), (1280, 720), "FIT", (406, 720), (406, 720)),
        ((1080, 1920), (406, 720), "DEFAULT", (406, 720), (406, 720)),
        ((1080, 1920), (404, 720), "DEFAULT", (404, 720), (404, 720)),
        ((1080, 1920), (410, 720), "DEFAULT", (406, 720), (410, 720)),
        ((1080, 1920), (1280, 720), "DEFAULT", (406, 720), (1280, 720)),
        ((176, 144), (1280, 720), "FIT_NO_UPSCALE", (176, 144), (176, 144)),
        ((176, 144), (1280, 720), "FIT", (880, 720), (880, 720)),
        ((400, 400), (200, 300), "FIT_NO_UPSCALE", (200, 200), (200, 200)),
        ((200, 200), (300, 400), "FIT", (300, 300), (300, 300)),
        ((200, 200), (300, 400), "FILL", (400, 400), (300, 400)),
        ((1920, 1080), (641, 361), "STRETCH_TO_OUTPUT", (640, 360), (640, 360)),
    ],
)
def test_geometry_h264_follows_scaling_behavior_with_even_sizes(
    source: tuple[int, int],
    box: tuple[int, int],
    scaling: str,
    scaled: tuple[int, int],
    frame: tuple[int, int],
) -> None:
    geometry = output_geometry(source, box[0], box[1], scaling, even=True)

    assert (geometry.scaled, geometry.frame) == (scaled, frame)
    assert all(dim % 2 == 0 for dim in (*geometry.scaled, *geometry.frame))


def test_geometry_gif_odd_size_is_kept() -> None:
    geometry = output_geometry((1920, 1080), 321, 181, "STRETCH_TO_OUTPUT", even=False)

    assert geometry.frame == (321, 181)


def test_geometry_missing_width_and_height_keeps_source_size() -> None:
    geometry = output_geometry((1280, 720), None, None, "DEFAULT", even=True)

    assert geometry.scaled == geometry.frame == (1280, 720)


def test_geometry_default_with_other_aspect_pads_and_fill_crops() -> None:
    padded = output_geometry((1080, 1920), 1280, 720, "DEFAULT", even=True)
    cropped = output_geometry((1920, 1080), 720, 720, "FILL", even=True)

    assert (padded.pads, padded.crops) == (True, False)
    assert (cropped.pads, cropped.crops) == (False, True)


def test_filter_graph_portrait_source_fit_scales_to_portrait_size(tmp_path: Path) -> None:
    output = _h264_output(1280, 720, ScalingBehavior="FIT")

    plan = _plan(_job(_group("s3://out/a/b", output)), PORTRAIT, tmp_path)

    assert "scale=406:720:" in _filter_graph(plan)


def test_filter_graph_default_other_aspect_pads_to_requested_frame(tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/a/b", _h264_output(1280, 720))), PORTRAIT, tmp_path)

    graph = _filter_graph(plan)
    assert "scale=406:720:" in graph
    assert "pad=1280:720:" in graph


# --- rate control ---------------------------------------------------------------------------


def test_qvbr_level_seven_maps_to_x264_default_crf() -> None:
    assert qvbr_to_crf(7) == 23


def test_qvbr_higher_level_maps_to_lower_crf_within_x264_range() -> None:
    crfs = [qvbr_to_crf(level) for level in range(1, 11)]

    assert crfs == sorted(crfs, reverse=True)
    assert all(0 <= crf <= 51 for crf in crfs)


def test_argv_qvbr_output_caps_peak_bitrate(tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/a/b", _h264_output())), LANDSCAPE, tmp_path)

    argv = plan.argv
    assert argv[argv.index("-crf") + 1] == "23"
    assert argv[argv.index("-maxrate") + 1] == "5000000"
    assert "-bufsize" in argv


def test_argv_cbr_output_sets_constant_bitrate(tmp_path: Path) -> None:
    output = _h264_output()
    output["VideoDescription"]["CodecSettings"]["H264Settings"] = {
        "RateControlMode": "CBR",
        "Bitrate": 3000000,
    }

    plan = _plan(_job(_group("s3://out/a/b", output)), LANDSCAPE, tmp_path)

    argv = plan.argv
    assert argv[argv.index("-b:v") + 1] == argv[argv.index("-maxrate") + 1] == "3000000"
    assert "-crf" not in argv


# --- argv shape -----------------------------------------------------------------------------


def test_argv_pipeline_job_decodes_input_once_and_splits(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    argv = plan.argv
    assert argv[0] == FFMPEG
    assert argv.count("-i") == 1
    assert argv[argv.index("-i") + 1] == str(LANDSCAPE.path)
    assert argv.count("-filter_complex") == 1
    graph = _filter_graph(plan)
    assert "split=3" in graph  # web, phone, gif
    assert "asplit=3" in graph  # web, phone, mp3
    assert "palettegen" in graph
    assert "paletteuse" in graph
    for flag in ("-nostdin", "-hide_banner", "-y", "-threads"):
        assert flag in argv
    assert argv[argv.index("-loglevel") + 1] == "error"


def test_argv_pipeline_job_maps_each_output_before_its_path(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    argv = plan.argv
    targets = [argv.index(_partial(output)) for output in plan.outputs]
    assert targets == sorted(targets)
    assert targets[-1] == len(argv) - 1
    maps = [i for i, arg in enumerate(argv) if arg == "-map"]
    assert sum(targets[0] > i for i in maps) == 2  # web: video + audio
    assert sum(targets[2] > i > targets[1] for i in maps) == 1  # mp3: audio only
    assert sum(i > targets[2] for i in maps) == 1  # gif: video only
    gif_options = argv[targets[2] + 1 : targets[3]]
    assert "-c:a" not in gif_options


def test_argv_pipeline_job_uses_mediaconvert_like_encoders(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    argv = plan.argv
    assert argv.count("libx264") == 2
    assert argv.count("+faststart") == 2
    assert argv.count("yuv420p") == 2
    assert argv[argv.index("-preset") + 1] == "veryfast"
    mp3 = argv.index("libmp3lame")
    assert argv[mp3 + 1 : mp3 + 3] == ["-b:a", "320000"]
    graph = _filter_graph(plan)
    assert "aformat=sample_rates=44100:channel_layouts=stereo" in graph
    assert "fps=5" in graph


def _partial(output: PlannedOutput) -> str:
    return str(output.local_path) + ".partial"


def test_argv_rotate_auto_lets_ffmpeg_autorotate(tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), LANDSCAPE, tmp_path)

    assert "-noautorotate" not in plan.argv


def test_argv_rotate_missing_ignores_rotation_metadata(tmp_path: Path) -> None:
    settings = _pipeline_job()
    del settings["Inputs"][0]["VideoSelector"]

    plan = _plan(settings, LANDSCAPE, tmp_path)

    assert plan.argv.index("-noautorotate") < plan.argv.index("-i")
    assert "sidedata=mode=delete:type=DISPLAYMATRIX" in _filter_graph(plan)


def test_filter_graph_gif_uses_per_frame_palettes_so_it_streams(tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/gif/a", _gif_output())), LANDSCAPE, tmp_path)

    graph = _filter_graph(plan)
    assert "palettegen=stats_mode=single" in graph
    assert "paletteuse=new=1" in graph


# --- validation -----------------------------------------------------------------------------


def _set(settings: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    target: Any = settings
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return settings


_OUTPUT = ["OutputGroups", 0, "Outputs", 0]
_VIDEO = [*_OUTPUT, "VideoDescription"]
_AUDIO = [*_OUTPUT, "AudioDescriptions", 0]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            [*_OUTPUT, "ContainerSettings", "Container"],
            "M3U8",
            "OutputGroups[0].Outputs[0].ContainerSettings.Container=M3U8 is not supported locally",
        ),
        (
            ["OutputGroups", 0, "OutputGroupSettings", "Type"],
            "HLS_GROUP_SETTINGS",
            "OutputGroups[0].OutputGroupSettings.Type=HLS_GROUP_SETTINGS is not supported",
        ),
        (
            [*_VIDEO, "CodecSettings", "Codec"],
            "H_265",
            "OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.Codec=H_265",
        ),
        (
            [*_AUDIO, "CodecSettings", "Codec"],
            "AC3",
            "OutputGroups[0].Outputs[0].AudioDescriptions[0].CodecSettings.Codec=AC3",
        ),
        (
            [*_AUDIO, "CodecSettings", "AacSettings", "CodingMode"],
            "CODING_MODE_5_1",
            "AacSettings.CodingMode=CODING_MODE_5_1",
        ),
        (
            [*_AUDIO, "AudioSourceName"],
            "Audio Selector 9",
            "OutputGroups[0].Outputs[0].AudioDescriptions[0].AudioSourceName=Audio Selector 9",
        ),
        (
            ["Inputs", 0, "InputClippings"],
            [{"StartTimecode": "00:00:01:00"}],
            "Inputs[0].InputClippings is not supported locally",
        ),
        (
            ["Inputs", 0, "AudioSelectors", "Audio Selector 1", "Tracks"],
            [1, 2],
            "Inputs[0].AudioSelectors['Audio Selector 1'].Tracks",
        ),
        (
            [*_OUTPUT, "CaptionDescriptions"],
            [{"CaptionSelectorName": "Captions Selector 1"}],
            "OutputGroups[0].Outputs[0].CaptionDescriptions is not supported locally",
        ),
        (
            [*_VIDEO, "VideoPreprocessors"],
            {"Deinterlacer": {"Mode": "DEINTERLACE"}},
            "OutputGroups[0].Outputs[0].VideoDescription.VideoPreprocessors",
        ),
        (
            [*_VIDEO, "ScalingBehavior"],
            "ZOOM",
            "VideoDescription.ScalingBehavior=ZOOM is not a MediaConvert value: it takes DEFAULT,",
        ),
        (
            [*_VIDEO, "CodecSettings", "H264Settings", "CodecProfile"],
            "HIGH_10BIT",
            "H264Settings.CodecProfile=HIGH_10BIT",
        ),
        (
            [*_VIDEO, "CodecSettings", "H264Settings", "InterlaceMode"],
            "TOP_FIELD",
            "H264Settings.InterlaceMode=TOP_FIELD",
        ),
        (
            [*_VIDEO, "CodecSettings", "H264Settings", "QvbrSettings", "QvbrQualityLevel"],
            11,
            "QvbrSettings.QvbrQualityLevel=11 must be 1 to 10",
        ),
        (
            [*_AUDIO, "CodecSettings", "AacSettings", "SampleRate"],
            44000,
            "AacSettings.SampleRate=44000 is not supported locally",
        ),
        (
            ["OutputGroups", 0, "OutputGroupSettings", "FileGroupSettings", "Destination"],
            "/tmp/out",
            "FileGroupSettings.Destination=/tmp/out must be an s3://bucket/key URI",
        ),
        # Values and ranges MediaConvert's own API model refuses
        ([*_VIDEO, "Width"], 16, "VideoDescription.Width=16 must be 32 to 8192"),
        ([*_AUDIO, "CodecSettings", "AacSettings", "Bitrate"], 1000, "must be 6000 to 1024000"),
        ([*_VIDEO, "CodecSettings", "H264Settings", "CodecLevel"], "LEVEL_9", "LEVEL_9 is not a"),
        (["Inputs", 0, "VideoSelector", "Rotate"], "DEGREES_45", "Rotate=DEGREES_45 is not a"),
        (["MotionImageInserters"], [{"Input": "s3://up/logo.mov"}], "MotionImageInserters"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 25 else None,
)
def test_settings_unsupported_raise_naming_setting_path(
    tmp_path: Path, path: list[str | int], value: Any, message: str
) -> None:
    settings = _set(_job(_group("s3://out/a/b", _h264_output())), path, value)

    # The input has no tracks: settings are refused before the input is considered.
    with pytest.raises(UnsupportedSettingError) as raised:
        _plan(settings, NOTHING, tmp_path)

    assert message in str(raised.value)


def test_settings_two_inputs_raise_unsupported(tmp_path: Path) -> None:
    settings = _job(_group("s3://out/a/b", _h264_output()))
    settings["Inputs"].append(copy.deepcopy(settings["Inputs"][0]))

    with pytest.raises(UnsupportedSettingError, match="Inputs"):
        _plan(settings, NOTHING, tmp_path)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ({**_gif_output(), "AudioDescriptions": [_aac()]}, "GIF outputs have no audio"),
        ({**_mp3_output(), "VideoDescription": _h264_output()["VideoDescription"]}, "RAW"),
        ({**_h264_output(), "AudioDescriptions": _mp3_output()["AudioDescriptions"]}, "MP3"),
        ({"ContainerSettings": {"Container": "MP4"}}, "needs a VideoDescription"),
    ],
    ids=["gif-with-audio", "raw-with-video", "mp4-with-mp3", "mp4-empty"],
)
def test_settings_container_codec_mismatch_raise_unsupported(
    tmp_path: Path, output: dict[str, Any], message: str
) -> None:
    settings = _job(_group("s3://out/a/b", output))

    with pytest.raises(UnsupportedSettingError, match=message):
        _plan(settings, NOTHING, tmp_path)


def test_argv_codec_level_from_model_enum_becomes_x264_level(tmp_path: Path) -> None:
    output = _h264_output()
    output["VideoDescription"]["CodecSettings"]["H264Settings"]["CodecLevel"] = "LEVEL_4_1"

    plan = _plan(_job(_group("s3://out/a/b", output)), LANDSCAPE, tmp_path)

    assert plan.argv[plan.argv.index("-level:v") + 1] == "4.1"


def test_probe_tables_hold_mediaconvert_model_values() -> None:
    model = botocore.session.get_session().get_service_model("mediaconvert")
    codecs = cast(StringShape, model.shape_for("Codec")).enum
    formats = cast(StringShape, model.shape_for("Format")).enum

    assert {codec for codec, _ in probing._CODECS.values()} <= set(codecs)
    assert set(probing._FORMAT_BY_DEMUXER.values()) <= set(formats)
    assert set(probing._MIME_BY_FORMAT) == set(formats)


def test_settings_harmless_unknown_keys_are_ignored(tmp_path: Path) -> None:
    settings = _pipeline_job()
    settings["AdAvailOffset"] = 0
    settings["OutputGroups"][0]["CustomName"] = "web"
    settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["AntiAlias"] = "ENABLED"
    settings["Inputs"][0]["DeblockFilter"] = "DISABLED"
    settings["Inputs"][0]["AudioSelectors"]["Audio Selector 1"]["ProgramSelection"] = 1

    plan = _plan(settings, LANDSCAPE, tmp_path)

    assert len(plan.outputs) == 4


def test_plan_audio_output_for_silent_input_raises_like_mediaconvert(tmp_path: Path) -> None:
    with pytest.raises(TranscodeError) as raised:
        _plan(_pipeline_job(), SILENT, tmp_path)

    assert str(raised.value) == (
        "Audio selector 'Audio Selector 1' matched no audio track in the input"
    )


def test_plan_video_only_job_for_silent_input_succeeds(tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/gif/a", _gif_output())), SILENT, tmp_path)

    assert "asplit" not in _filter_graph(plan)


def test_plan_writes_nothing(tmp_path: Path) -> None:
    _plan(_pipeline_job(), LANDSCAPE, tmp_path / "work")

    assert not (tmp_path / "work").exists()


# --- progress and ffmpeg lookup ---------------------------------------------------------------


def test_progress_out_time_lines_report_rising_percentages_below_100() -> None:
    seen: list[int] = []
    reporter = ProgressReporter(10.0, seen.append)

    for line in [
        "frame=0",
        "out_time_us=N/A",
        "out_time_us=1000000",
        "out_time_us=1000000",
        "out_time_us=5500000",
        "out_time_us=4000000",
        "out_time_us=12000000",
        "progress=end",
    ]:
        reporter.feed(line + "\n")

    assert seen == [10, 55, 99]


def test_progress_unknown_duration_reports_nothing_while_running() -> None:
    seen: list[int] = []
    reporter = ProgressReporter(0.0, seen.append)

    reporter.feed("out_time_us=1000000\n")

    assert seen == []


def test_find_ffmpeg_environment_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELSCRIBE_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")

    assert find_ffmpeg() == "/opt/ffmpeg/bin/ffmpeg"


def test_find_ffmpeg_default_is_bundled_static_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    monkeypatch.delenv("REELSCRIBE_FFMPEG", raising=False)

    assert find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()


def test_check_ffmpeg_meanwhile_answers_as_check_ffmpeg_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import imageio_ffmpeg

    monkeypatch.delenv("REELSCRIBE_FFMPEG", raising=False)
    assert check_ffmpeg_meanwhile()() == imageio_ffmpeg.get_ffmpeg_exe()
    monkeypatch.setenv("REELSCRIBE_FFMPEG", str(tmp_path / "no-ffmpeg"))
    with pytest.raises(MediaError, match="REELSCRIBE_FFMPEG"):
        check_ffmpeg_meanwhile()()


@pytest.fixture(autouse=True)
def _no_ffmpeg_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELSCRIBE_FFMPEG", raising=False)


def test_argv_threads_given_sets_decoder_filters_and_h264_encoders(tmp_path: Path) -> None:
    upload = LANDSCAPE
    plan = plan_transcode(
        _pipeline_job(), upload.probed, upload.path, tmp_path, ffmpeg=FFMPEG, threads=1
    )
    argv = plan.argv
    assert argv[argv.index("-filter_complex_threads") + 1] == "1"
    # Before -i, the decoder's; then one for each H.264 output (web and phone), none for others.
    values = [argv[i + 1] for i, flag in enumerate(argv) if flag == "-threads"]
    assert values == ["1", "1", "1"]
    assert argv.index("-threads") < argv.index("-i")


def test_argv_threads_default_two_as_single_run(tmp_path: Path) -> None:
    argv = _plan(_pipeline_job(), LANDSCAPE, tmp_path).argv
    assert {argv[i + 1] for i, flag in enumerate(argv) if flag == "-threads"} == {"2"}
