"""Probing and transcoding real media with the local MediaConvert stand-in.

Clips are generated with the ffmpeg bundled in imageio-ffmpeg (lavfi test sources), kept
to a few seconds so the whole module runs in well under a minute on two cores.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import av
import imageio_ffmpeg
import pytest

from reelscribe.media import (
    MediaProbeError,
    TranscodeError,
    TranscodePlan,
    plan_transcode,
    probe,
    run_transcode,
)

pytestmark = pytest.mark.slow

# --- media -----------------------------------------------------------------------------------


def _ffmpeg(*args: str) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
    subprocess.run([*command, "-y", *args], check=True)


def _make_clip(path: Path, size: str, seconds: int, *, audio: bool = True) -> Path:
    inputs = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30"]
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        inputs += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
        codecs += ["-c:a", "aac", "-ac", "2"]
    _ffmpeg(*inputs, "-t", str(seconds), *codecs, str(path))
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media")
    clips = {
        "hd": _make_clip(folder / "hd.mp4", "1920x1080", 4),
        "portrait": _make_clip(folder / "portrait.mp4", "1080x1920", 2),
        "qcif": _make_clip(folder / "qcif.mp4", "176x144", 2),
        "small": _make_clip(folder / "small.mp4", "320x180", 2),
    }
    # A phone recording: landscape pixels with "rotate 90 degrees clockwise" metadata.
    clips["phone"] = folder / "phone.mp4"
    _ffmpeg("-display_rotation:v:0", "-90", "-i", str(clips["small"]), "-c", "copy",
            str(clips["phone"]))  # fmt: skip
    clips["audio_only"] = folder / "audio_only.mp4"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:a", "aac",
            str(clips["audio_only"]))  # fmt: skip
    return clips


def _streams(path: Path) -> dict[str, Any]:
    """Codec facts of an output, read independently of the module under test."""
    with av.open(str(path)) as container:
        facts: dict[str, Any] = {"format": container.format.name}
        for video in container.streams.video:
            facts["video"] = (video.codec_context.name, video.width, video.height)
        for audio in container.streams.audio:
            context = audio.codec_context
            facts["audio"] = (context.name, context.sample_rate, context.channels)
            facts["audio_bit_rate"] = context.bit_rate
        if container.streams.video:
            facts["frames"] = sum(1 for _ in container.decode(video=0))
    return facts


# --- job settings ----------------------------------------------------------------------------


def _h264(width: int, height: int, max_bitrate: int, scaling: str = "DEFAULT") -> dict[str, Any]:
    return {
        "Width": width,
        "Height": height,
        "ScalingBehavior": scaling,
        "CodecSettings": {
            "Codec": "H_264",
            "H264Settings": {
                "RateControlMode": "QVBR",
                "QvbrSettings": {"QvbrQualityLevel": 7},
                "MaxBitrate": max_bitrate,
                "FramerateControl": "INITIALIZE_FROM_SOURCE",
                "SceneChangeDetect": "TRANSITION_DETECTION",
            },
        },
    }


def _aac(bitrate: int) -> list[dict[str, Any]]:
    return [
        {
            "AudioSourceName": "Audio Selector 1",
            "CodecSettings": {
                "Codec": "AAC",
                "AacSettings": {
                    "Bitrate": bitrate,
                    "SampleRate": 48000,
                    "CodingMode": "CODING_MODE_2_0",
                },
            },
        }
    ]


def _mp4(video: dict[str, Any], audio: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    output: dict[str, Any] = {
        "Extension": "mp4",
        "ContainerSettings": {
            "Container": "MP4",
            "Mp4Settings": {"MoovPlacement": "PROGRESSIVE_DOWNLOAD"},
        },
        "VideoDescription": video,
    }
    if audio:
        output["AudioDescriptions"] = audio
    return output


_MP3 = {
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

_GIF = {
    "Extension": "gif",
    "ContainerSettings": {"Container": "GIF"},
    "VideoDescription": {
        "Width": 320,
        "Height": 180,
        "ScalingBehavior": "DEFAULT",
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


def _job(groups: dict[str, dict[str, Any]], rotate: str | None = "AUTO") -> dict[str, Any]:
    job_input: dict[str, Any] = {
        "FileInput": "s3://up/u/my.trip.mp4",
        "TimecodeSource": "ZEROBASED",
        "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
    }
    if rotate is not None:
        job_input["VideoSelector"] = {"Rotate": rotate}
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [job_input],
        "OutputGroups": [
            {
                "Name": name,
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": f"s3://out/output/{name}/u/vid/my.trip"},
                },
                "Outputs": [output],
            }
            for name, output in groups.items()
        ],
    }


def _pipeline_job() -> dict[str, Any]:
    return _job(
        {
            "web": _mp4(_h264(1280, 720, 5_000_000), _aac(160_000)),
            "phone": _mp4(_h264(960, 540, 2_000_000), _aac(128_000)),
            "audio": _MP3,
            "gif": _GIF,
        }
    )


def _transcode(settings: dict[str, Any], source: Path, workdir: Path) -> TranscodePlan:
    probed = probe(source)
    plan = plan_transcode(settings, probed, source, workdir)
    run_transcode(plan, probed.duration)
    return plan


# --- transcoding -----------------------------------------------------------------------------


def test_transcode_pipeline_job_on_hd_clip_writes_all_four_renditions(
    media: dict[str, Path], tmp_path: Path
) -> None:
    plan = plan_transcode(_pipeline_job(), probe(media["hd"]), media["hd"], tmp_path)
    progress: list[int] = []

    run_transcode(plan, 4.0, progress.append)

    assert progress[0] == 0
    assert progress[-1] == 100
    assert progress == sorted(set(progress))
    assert any(0 < percent < 100 for percent in progress)  # reported while running

    web, phone, mp3, gif = (_streams(output.local_path) for output in plan.outputs)
    assert web["video"] == ("h264", 1280, 720)
    assert web["audio"] == ("aac", 48000, 2)
    assert phone["video"] == ("h264", 960, 540)
    assert phone["audio"] == ("aac", 48000, 2)
    assert mp3["format"] == "mp3"
    assert mp3["audio"] == ("mp3float", 44100, 2)
    assert mp3["audio_bit_rate"] == 320_000
    assert gif["format"] == "gif"
    assert gif["video"][1:] == (320, 180)
    assert gif["frames"] > 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "my.trip.gif",
        "my.trip.mp3",
        "my.trip.mp4",
        "my.trip.mp4",
    ]


def test_transcode_web_mp4_is_progressive_download_ready(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job({"web": _mp4(_h264(640, 360, 1_000_000), _aac(96_000))})

    plan = _transcode(settings, media["small"], tmp_path)

    data = plan.outputs[0].local_path.read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")  # index first: playable while loading


def test_transcode_portrait_source_keeps_aspect_with_even_size(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job(
        {
            "web": _mp4(_h264(406, 720, 5_000_000), _aac(160_000)),  # as the pipeline sizes it
            "fit": _mp4(_h264(1280, 720, 5_000_000, scaling="FIT")),
        }
    )

    plan = _transcode(settings, media["portrait"], tmp_path)

    for output in plan.outputs:
        _, width, height = _streams(output.local_path)["video"]
        assert height == 720
        assert width in (404, 406)
        assert abs(width / height - 1080 / 1920) < 0.01


def test_transcode_small_source_fit_no_upscale_is_not_enlarged(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job({"web": _mp4(_h264(1280, 720, 5_000_000, scaling="FIT_NO_UPSCALE"))})

    plan = _transcode(settings, media["qcif"], tmp_path)

    assert _streams(plan.outputs[0].local_path)["video"] == ("h264", 176, 144)


def test_transcode_phone_recording_rotate_auto_outputs_upright_portrait(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job({"web": _mp4(_h264(1280, 720, 5_000_000, scaling="FIT"))}, rotate="AUTO")

    plan = _transcode(settings, media["phone"], tmp_path)

    output = plan.outputs[0].local_path
    assert _streams(output)["video"] == ("h264", 406, 720)
    assert probe(output).tracks[0].rotation == 0


def test_transcode_phone_recording_without_rotate_ignores_rotation_metadata(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job({"web": _mp4(_h264(640, 360, 1_000_000))}, rotate=None)

    plan = _transcode(settings, media["phone"], tmp_path)

    output = plan.outputs[0].local_path
    assert _streams(output)["video"] == ("h264", 640, 360)
    assert probe(output).tracks[0].rotation == 0


def test_transcode_ffmpeg_failure_raises_with_stderr_and_leaves_no_outputs(
    media: dict[str, Path], tmp_path: Path
) -> None:
    source = tmp_path / "upload.mp4"
    source.write_bytes(media["small"].read_bytes())
    plan = plan_transcode(
        _job({"audio": _MP3, "gif": _GIF}), probe(source), source, tmp_path / "work"
    )
    source.write_bytes(b"\x00" * 4096)  # the object changed between probe and transcode

    with pytest.raises(TranscodeError) as raised:
        run_transcode(plan, 2.0)

    message = str(raised.value)
    assert message.startswith("ffmpeg exited with status")
    assert len(message.splitlines()) > 1  # ffmpeg's own explanation follows
    assert [p for p in (tmp_path / "work").rglob("*") if p.is_file()] == []


def test_transcode_interrupted_mid_run_kills_ffmpeg_and_leaves_no_outputs(
    media: dict[str, Path], tmp_path: Path
) -> None:
    settings = _job({"web": _mp4(_h264(1280, 720, 5_000_000), _aac(160_000))})
    plan = plan_transcode(settings, probe(media["hd"]), media["hd"], tmp_path)

    def cancel(percent: int) -> None:
        if 0 < percent < 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_transcode(plan, 4.0, cancel)

    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --- probing ---------------------------------------------------------------------------------


def test_probe_hd_clip_reports_mediaconvert_probe_result(media: dict[str, Path]) -> None:
    result = probe(media["hd"]).as_response()

    container = result["Container"]
    assert container["Format"] == "mp4"
    assert container["Duration"] == pytest.approx(4.0, abs=0.1)
    assert container["BitRate"] > 0
    video, audio = container["Tracks"]
    assert (video["Index"], video["TrackType"], video["Codec"]) == (1, "video", "AVC")
    assert video["VideoProperties"]["Width"] == 1920
    assert video["VideoProperties"]["Height"] == 1080
    assert video["VideoProperties"]["FrameRate"] == {"Numerator": 30, "Denominator": 1}
    assert video["VideoProperties"]["Rotation"] == 0
    assert (audio["Index"], audio["TrackType"], audio["Codec"]) == (2, "audio", "AAC")
    assert audio["AudioProperties"]["Channels"] == 2
    assert audio["AudioProperties"]["SampleRate"] == 44100
    assert result["Metadata"] == {
        "FileSize": media["hd"].stat().st_size,
        "MimeType": "video/mp4",
    }
    assert result["TrackMappings"] == [
        {"VideoTrackIndexes": [1], "AudioTrackIndexes": [2], "DataTrackIndexes": []}
    ]


def test_probe_audio_only_mp4_reports_no_video_track(media: dict[str, Path]) -> None:
    result = probe(media["audio_only"]).as_response()

    assert [track["TrackType"] for track in result["Container"]["Tracks"]] == ["audio"]
    assert result["TrackMappings"][0]["VideoTrackIndexes"] == []
    assert result["Metadata"]["MimeType"] == "audio/mp4"


def test_probe_phone_recording_reports_clockwise_rotation(media: dict[str, Path]) -> None:
    video = probe(media["phone"]).as_response()["Container"]["Tracks"][0]

    assert video["VideoProperties"]["Rotation"] == 90
    assert (video["VideoProperties"]["Width"], video["VideoProperties"]["Height"]) == (320, 180)


def test_probe_without_rotations_reports_the_same_tracks_unrotated(
    media: dict[str, Path],
) -> None:
    read = probe(media["phone"]).as_response()
    skipped = probe(media["phone"], rotations=False).as_response()

    assert skipped["Container"]["Tracks"][0]["VideoProperties"]["Rotation"] == 0
    read["Container"]["Tracks"][0]["VideoProperties"]["Rotation"] = 0
    assert skipped == read


_TONE = ["-f", "lavfi", "-i", "sine=duration=0.5"]
_PATTERN = ["-f", "lavfi", "-i", "testsrc2=size=64x64:duration=0.5"]


@pytest.mark.parametrize(
    ("name", "encode", "expected"),
    [
        ("clip.mov", ["-c:v", "libx264", "-preset", "ultrafast"], ("quicktime", "AVC")),
        ("clip.mkv", ["-c:v", "libx264", "-preset", "ultrafast"], ("matroska", "AVC")),
        ("clip.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime"], ("webm", "VP9")),
        ("tone.wav", ["-c:a", "pcm_s16le"], ("wave", "PCM")),
        ("tone.mp3", ["-c:a", "libmp3lame"], ("mp3", "MP3")),
    ],
)
def test_probe_container_family_reports_mediaconvert_format_and_codec(
    tmp_path: Path, name: str, encode: list[str], expected: tuple[str, str]
) -> None:
    path = tmp_path / name
    _ffmpeg(*(_TONE if encode[0] == "-c:a" else _PATTERN), *encode, str(path))

    result = probe(path).as_response()

    assert (result["Container"]["Format"], result["Container"]["Tracks"][0]["Codec"]) == expected


def _truncated_mp4(media: dict[str, Path], folder: Path) -> Path:
    # Without faststart the moov atom is at the end, so cutting the file loses it.
    source = media["hd"].read_bytes()
    assert source.find(b"moov") > len(source) // 2
    path = folder / "truncated.mp4"
    path.write_bytes(source[: len(source) // 2])
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("empty", "the file is empty"),
        ("text", "it is not a video or audio file"),
        ("truncated", "it is not a video or audio file"),
        ("missing", "the file does not exist"),
    ],
)
def test_probe_unreadable_file_raises_plain_reason(
    media: dict[str, Path], tmp_path: Path, kind: str, reason: str
) -> None:
    path = tmp_path / f"{kind}.mp4"
    if kind == "empty":
        path.touch()
    elif kind == "text":
        path.write_text("Meeting notes\n- bring the video\n" * 20)
    elif kind == "truncated":
        path = _truncated_mp4(media, tmp_path)

    with pytest.raises(MediaProbeError) as raised:
        probe(path)

    assert str(raised.value).startswith(reason)


def test_probe_gif_output_is_refused_as_input_but_described_for_reports(
    media: dict[str, Path], tmp_path: Path
) -> None:
    # Given a GIF the transcode wrote
    gif = _transcode(_job({"gif": _GIF}), media["small"], tmp_path).outputs[0].local_path

    # When it is probed as a job input, Then MediaConvert's rule refuses its container
    with pytest.raises(MediaProbeError, match="not one MediaConvert reads"):
        probe(gif)

    # When it is probed to be shown, Then its picture is described all the same
    described = probe(gif, mediaconvert_input=False)
    video = described.first("video")
    assert described.format == ""
    assert video is not None
    assert (video.codec_label, video.width, video.height) == ("GIF", 320, 180)
