"""Planning MediaConvert jobs as one ffmpeg command: naming, geometry, validation, argv.

Nothing here runs ffmpeg. Inputs are tiny clips written with PyAV, because planning
probes the input to size pictures and to know whether it has audio.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from reelscribe.media.ffmpeg import (
    PlannedOutput,
    TranscodeError,
    TranscodePlan,
    UnsupportedSettingError,
    _output_geometry,
    _ProgressReporter,
    _qvbr_to_crf,
    find_ffmpeg,
    plan_transcode,
)

FFMPEG = "ffmpeg-not-run"


def _write_clip(path: Path, *, width: int, height: int, audio: bool) -> Path:
    with av.open(str(path), mode="w") as container:
        video = container.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        sound = container.add_stream("aac", rate=48000) if audio else None
        for index in range(5):
            picture = np.full((height, width, 3), index * 40, dtype=np.uint8)
            container.mux(video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(video.encode(None))
        if sound is not None:
            samples = np.zeros((1, 1024 * 10), dtype=np.float32)
            silence = av.AudioFrame.from_ndarray(samples, format="flt", layout="mono")
            silence.sample_rate = 48000
            container.mux(sound.encode(silence))
            container.mux(sound.encode(None))
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {
        "landscape": _write_clip(folder / "land.mp4", width=320, height=180, audio=True),
        "portrait": _write_clip(folder / "port.mp4", width=180, height=320, audio=True),
        "silent": _write_clip(folder / "silent.mp4", width=320, height=180, audio=False),
    }


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


def _plan(settings: dict[str, Any], clip: Path, workdir: Path) -> TranscodePlan:
    return plan_transcode(settings, clip, workdir, ffmpeg=FFMPEG)


def _filter_graph(plan: TranscodePlan) -> str:
    return plan.argv[plan.argv.index("-filter_complex") + 1]


# --- naming ---------------------------------------------------------------------------------


def test_destinations_pipeline_job_follow_mediaconvert_naming(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

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


def test_destination_name_modifier_goes_between_base_and_extension(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    output = {**_h264_output(), "NameModifier": "_720p"}
    plan = _plan(_job(_group("s3://out/renditions/clip", output)), clips["landscape"], tmp_path)

    assert plan.outputs[0].destination == "s3://out/renditions/clip_720p.mp4"


def test_destination_ending_in_slash_uses_input_object_stem(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_job(_group("s3://out/renditions/", _h264_output())), clips["landscape"], tmp_path)

    assert plan.outputs[0].destination == "s3://out/renditions/my.trip.mp4"


def test_destination_ending_in_slash_without_file_input_uses_local_stem(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job(_group("s3://out/renditions/", _h264_output()))
    del settings["Inputs"][0]["FileInput"]

    plan = _plan(settings, clips["landscape"], tmp_path)

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
    clips: dict[str, Path], tmp_path: Path, output: dict[str, Any], extension: str
) -> None:
    output = copy.deepcopy(output)
    output.pop("Extension", None)

    plan = _plan(_job(_group("s3://out/a/b", output)), clips["landscape"], tmp_path)

    assert plan.outputs[0].destination == f"s3://out/a/b.{extension}"


def test_extension_given_overrides_container_default(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    output = {**_h264_output(), "Extension": "m4v"}

    plan = _plan(_job(_group("s3://out/a/b", output)), clips["landscape"], tmp_path)

    assert plan.outputs[0].destination == "s3://out/a/b.m4v"


def test_local_paths_same_file_name_in_two_groups_do_not_collide(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

    local_paths = [output.local_path for output in plan.outputs]
    assert len(set(local_paths)) == len(local_paths)
    assert all(path.is_relative_to(tmp_path) for path in local_paths)
    assert local_paths[0].name == local_paths[1].name == "my.trip.mp4"


def test_destinations_identical_in_one_group_raise_with_output_path(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job(_group("s3://out/a/b", _h264_output(), _h264_output(640, 360)))

    with pytest.raises(UnsupportedSettingError, match=r"OutputGroups\[0\]\.Outputs\[1\]"):
        _plan(settings, clips["landscape"], tmp_path)


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
    geometry = _output_geometry(source, box[0], box[1], scaling, even=True)

    assert (geometry.scaled, geometry.frame) == (scaled, frame)
    assert all(dim % 2 == 0 for dim in (*geometry.scaled, *geometry.frame))


def test_geometry_gif_odd_size_is_kept() -> None:
    geometry = _output_geometry((1920, 1080), 321, 181, "STRETCH_TO_OUTPUT", even=False)

    assert geometry.frame == (321, 181)


def test_geometry_missing_width_and_height_keeps_source_size() -> None:
    geometry = _output_geometry((1280, 720), None, None, "DEFAULT", even=True)

    assert geometry.scaled == geometry.frame == (1280, 720)


def test_geometry_default_with_other_aspect_pads_and_fill_crops() -> None:
    padded = _output_geometry((1080, 1920), 1280, 720, "DEFAULT", even=True)
    cropped = _output_geometry((1920, 1080), 720, 720, "FILL", even=True)

    assert (padded.pads, padded.crops) == (True, False)
    assert (cropped.pads, cropped.crops) == (False, True)


def test_filter_graph_portrait_source_fit_scales_to_portrait_size(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    output = _h264_output(1280, 720, ScalingBehavior="FIT")

    plan = _plan(_job(_group("s3://out/a/b", output)), clips["portrait"], tmp_path)

    assert "scale=406:720:" in _filter_graph(plan)


def test_filter_graph_default_other_aspect_pads_to_requested_frame(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_job(_group("s3://out/a/b", _h264_output(1280, 720))), clips["portrait"], tmp_path)

    graph = _filter_graph(plan)
    assert "scale=406:720:" in graph
    assert "pad=1280:720:" in graph


# --- rate control ---------------------------------------------------------------------------


def test_qvbr_level_seven_maps_to_x264_default_crf() -> None:
    assert _qvbr_to_crf(7) == 23


def test_qvbr_higher_level_maps_to_lower_crf_within_x264_range() -> None:
    crfs = [_qvbr_to_crf(level) for level in range(1, 11)]

    assert crfs == sorted(crfs, reverse=True)
    assert all(0 <= crf <= 51 for crf in crfs)


def test_argv_qvbr_output_caps_peak_bitrate(clips: dict[str, Path], tmp_path: Path) -> None:
    plan = _plan(_job(_group("s3://out/a/b", _h264_output())), clips["landscape"], tmp_path)

    argv = plan.argv
    assert argv[argv.index("-crf") + 1] == "23"
    assert argv[argv.index("-maxrate") + 1] == "5000000"
    assert "-bufsize" in argv


def test_argv_cbr_output_sets_constant_bitrate(clips: dict[str, Path], tmp_path: Path) -> None:
    output = _h264_output()
    output["VideoDescription"]["CodecSettings"]["H264Settings"] = {
        "RateControlMode": "CBR",
        "Bitrate": 3000000,
    }

    plan = _plan(_job(_group("s3://out/a/b", output)), clips["landscape"], tmp_path)

    argv = plan.argv
    assert argv[argv.index("-b:v") + 1] == argv[argv.index("-maxrate") + 1] == "3000000"
    assert "-crf" not in argv


# --- argv shape -----------------------------------------------------------------------------


def test_argv_pipeline_job_decodes_input_once_and_splits(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

    argv = plan.argv
    assert argv[0] == FFMPEG
    assert argv.count("-i") == 1
    assert argv[argv.index("-i") + 1] == str(clips["landscape"])
    assert argv.count("-filter_complex") == 1
    graph = _filter_graph(plan)
    assert "split=3" in graph  # web, phone, gif
    assert "asplit=3" in graph  # web, phone, mp3
    assert "palettegen" in graph
    assert "paletteuse" in graph
    for flag in ("-nostdin", "-hide_banner", "-y", "-threads"):
        assert flag in argv
    assert argv[argv.index("-loglevel") + 1] == "error"


def test_argv_pipeline_job_maps_each_output_before_its_path(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

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


def test_argv_pipeline_job_uses_mediaconvert_like_encoders(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

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


def test_argv_rotate_auto_lets_ffmpeg_autorotate(clips: dict[str, Path], tmp_path: Path) -> None:
    plan = _plan(_pipeline_job(), clips["landscape"], tmp_path)

    assert "-noautorotate" not in plan.argv


def test_argv_rotate_missing_ignores_rotation_metadata(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    settings = _pipeline_job()
    del settings["Inputs"][0]["VideoSelector"]

    plan = _plan(settings, clips["landscape"], tmp_path)

    assert plan.argv.index("-noautorotate") < plan.argv.index("-i")
    assert "sidedata=mode=delete:type=DISPLAYMATRIX" in _filter_graph(plan)


def test_filter_graph_gif_uses_per_frame_palettes_so_it_streams(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_job(_group("s3://out/gif/a", _gif_output())), clips["landscape"], tmp_path)

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
            [2],
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
            "VideoDescription.ScalingBehavior=ZOOM",
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
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 25 else None,
)
def test_settings_unsupported_raise_naming_setting_path(
    tmp_path: Path, path: list[str | int], value: Any, message: str
) -> None:
    settings = _set(_job(_group("s3://out/a/b", _h264_output())), path, value)

    # The input does not exist: settings are refused before any media is read.
    with pytest.raises(UnsupportedSettingError) as raised:
        plan_transcode(settings, tmp_path / "missing.mp4", tmp_path, ffmpeg=FFMPEG)

    assert message in str(raised.value)


def test_settings_two_inputs_raise_unsupported(tmp_path: Path) -> None:
    settings = _job(_group("s3://out/a/b", _h264_output()))
    settings["Inputs"].append(copy.deepcopy(settings["Inputs"][0]))

    with pytest.raises(UnsupportedSettingError, match="Inputs"):
        plan_transcode(settings, tmp_path / "missing.mp4", tmp_path, ffmpeg=FFMPEG)


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
        plan_transcode(settings, tmp_path / "missing.mp4", tmp_path, ffmpeg=FFMPEG)


def test_settings_harmless_unknown_keys_are_ignored(clips: dict[str, Path], tmp_path: Path) -> None:
    settings = _pipeline_job()
    settings["AdAvailOffset"] = 0
    settings["OutputGroups"][0]["CustomName"] = "web"
    settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["AntiAlias"] = "ENABLED"
    settings["Inputs"][0]["DeblockFilter"] = "DISABLED"
    settings["Inputs"][0]["AudioSelectors"]["Audio Selector 1"]["ProgramSelection"] = 1

    plan = _plan(settings, clips["landscape"], tmp_path)

    assert len(plan.outputs) == 4


def test_plan_audio_output_for_silent_input_raises_like_mediaconvert(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(TranscodeError) as raised:
        _plan(_pipeline_job(), clips["silent"], tmp_path)

    assert str(raised.value) == (
        "Audio selector 'Audio Selector 1' matched no audio track in the input"
    )


def test_plan_video_only_job_for_silent_input_succeeds(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    plan = _plan(_job(_group("s3://out/gif/a", _gif_output())), clips["silent"], tmp_path)

    assert "asplit" not in _filter_graph(plan)


def test_plan_writes_nothing(clips: dict[str, Path], tmp_path: Path) -> None:
    _plan(_pipeline_job(), clips["landscape"], tmp_path / "work")

    assert not (tmp_path / "work").exists()


# --- progress and ffmpeg lookup ---------------------------------------------------------------


def test_progress_out_time_lines_report_rising_percentages_below_100() -> None:
    seen: list[int] = []
    reporter = _ProgressReporter(10.0, seen.append)

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
    reporter = _ProgressReporter(0.0, seen.append)

    reporter.feed("out_time_us=1000000\n")

    assert seen == []


def test_find_ffmpeg_environment_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELSCRIBE_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")

    assert find_ffmpeg() == "/opt/ffmpeg/bin/ffmpeg"


def test_find_ffmpeg_default_is_bundled_static_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    monkeypatch.delenv("REELSCRIBE_FFMPEG", raising=False)

    assert find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(autouse=True)
def _no_ffmpeg_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELSCRIBE_FFMPEG", raising=False)
