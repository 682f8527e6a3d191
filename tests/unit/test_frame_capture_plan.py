"""MediaConvert FRAME_CAPTURE outputs planned into the job's one ffmpeg command: JPEG stills
named as MediaConvert names them, at the capture rate, at most MaxCaptures."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from reelscribe.media import ProbeResult, Track, UnsupportedSettingError, plan_transcode

FFMPEG = "ffmpeg-not-run"
SOURCE = ProbeResult(
    "mp4",
    12.0,
    0,
    4096,
    (
        Track(index=1, stream_index=0, kind="video", codec="AVC", duration=12.0, bit_rate=0,
              width=1280, height=720, frame_rate=Fraction(30), bit_depth=8),
        Track(index=2, stream_index=1, kind="audio", codec="AAC", duration=12.0, bit_rate=0,
              channels=2, sample_rate=48000),
    ),
)  # fmt: skip
INPUT = Path("/uploads/talk.mp4")


def _capture(modifier: str = "-frame", **capture: Any) -> dict[str, Any]:
    settings = {"FramerateNumerator": 1, "FramerateDenominator": 1, "MaxCaptures": 500}
    return {
        "NameModifier": modifier,
        "ContainerSettings": {"Container": "RAW"},
        "VideoDescription": {
            "Width": 320,
            "Height": 180,
            "CodecSettings": {
                "Codec": "FRAME_CAPTURE",
                "FrameCaptureSettings": {**settings, **capture},
            },
        },
    }


def _job(*outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "Inputs": [{"FileInput": "s3://uploads/u/talk.mp4", "AudioSelectors": {}}],
        "OutputGroups": [
            {
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": "s3://out/output/vision/u/v/"},
                },
                "Outputs": list(outputs),
            }
        ],
    }


def _output_args(argv: list[str], target: str) -> list[str]:
    """The arguments of the output written to `target`: from its -map to its file name."""
    end = argv.index(target)
    start = max(i for i, arg in enumerate(argv[:end]) if arg == "-map")
    return argv[start : end + 1]


def test_frame_capture_output_names_stills_as_mediaconvert_does(tmp_path: Path) -> None:
    # Given a job with a frame capture output
    plan = plan_transcode(_job(_capture()), SOURCE, INPUT, tmp_path, ffmpeg=FFMPEG)

    # Then the stills go to <destination><input name><modifier>.<7-digit number>.jpg, from 0
    (output,) = plan.outputs
    assert output.destination == "s3://out/output/vision/u/v/talk-frame.%07d.jpg"
    assert output.is_sequence
    args = _output_args(plan.argv, str(output.partial_path))
    assert args[-5:] == ["-f", "image2", "-start_number", "0", str(output.partial_path)]


def test_frame_capture_output_with_stills_written_lists_each_with_its_destination(
    tmp_path: Path,
) -> None:
    # Given a planned frame capture whose stills ffmpeg has written
    (output,) = plan_transcode(_job(_capture()), SOURCE, INPUT, tmp_path, ffmpeg=FFMPEG).outputs
    output.local_path.parent.mkdir(parents=True)
    for number in (1, 0, 2):
        (output.local_path.parent / f"talk-frame.{number:07d}.jpg").write_bytes(b"\xff\xd8")

    # Then each still is uploaded where MediaConvert writes it, in order
    assert [destination for _, destination in output.files()] == [
        f"s3://out/output/vision/u/v/talk-frame.{n:07d}.jpg" for n in range(3)
    ]


def test_frame_capture_output_samples_at_its_rate_and_caps_captures(tmp_path: Path) -> None:
    # Given two stills a second, at most 7, quality 100
    plan = plan_transcode(
        _job(_capture(FramerateNumerator=2, MaxCaptures=7, Quality=100)),
        SOURCE,
        INPUT,
        tmp_path,
        ffmpeg=FFMPEG,
    )
    graph = plan.argv[plan.argv.index("-filter_complex") + 1]
    args = _output_args(plan.argv, str(plan.outputs[0].partial_path))

    # Then the graph samples at 2 fps into 320x180 full-range JPEG, the best qscale, 7 frames
    assert "fps=2:round=up:start_time=0,scale=320:180" in graph
    assert "format=yuvj420p" in graph
    assert args[args.index("-c:v") + 1] == "mjpeg"
    assert args[args.index("-q:v") + 1] == "2"
    assert args[args.index("-frames:v") + 1] == "7"


def test_frame_capture_beside_web_rendition_shares_one_decode(tmp_path: Path) -> None:
    # Given a web rendition and a frame capture in one job
    web = {
        "NameModifier": "-web",
        "ContainerSettings": {"Container": "MP4"},
        "VideoDescription": {
            "CodecSettings": {"Codec": "H_264", "H264Settings": {"Bitrate": 2000000}}
        },
    }
    plan = plan_transcode(_job(web, _capture()), SOURCE, INPUT, tmp_path, ffmpeg=FFMPEG)

    # Then one input is decoded and split between the two outputs
    assert plan.argv.count("-i") == 1
    assert "split=2" in plan.argv[plan.argv.index("-filter_complex") + 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"FramerateDenominator": 0}, "FramerateDenominator"),
        ({"Quality": 101}, "Quality"),
        ({"MaxCaptures": 0}, "MaxCaptures"),
    ],
)
def test_frame_capture_output_out_of_model_range_is_refused(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(UnsupportedSettingError, match=message):
        plan_transcode(_job(_capture(**change)), SOURCE, INPUT, tmp_path, ffmpeg=FFMPEG)


def test_frame_capture_in_mp4_container_is_refused(tmp_path: Path) -> None:
    output = _capture()
    output["ContainerSettings"] = {"Container": "MP4"}
    with pytest.raises(UnsupportedSettingError, match="FRAME_CAPTURE in an MP4 container"):
        plan_transcode(_job(output), SOURCE, INPUT, tmp_path, ffmpeg=FFMPEG)
