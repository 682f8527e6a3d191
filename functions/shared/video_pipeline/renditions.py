"""The renditions, defined as data in renditions.json: adding one is a change to that file."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import botocore.session
from botocore.model import StructureShape
from pydantic import BaseModel


class VideoSpec(BaseModel):
    codec: Literal["H_264", "GIF"]
    maxWidth: int
    maxHeight: int
    maxBitrate: int | None = None
    quality: int | None = None
    framerate: int | None = None


class AudioSpec(BaseModel):
    codec: Literal["AAC", "MP3"]
    bitrate: int
    sampleRate: int
    channels: int = 2


class Rendition(BaseModel):
    name: str
    container: Literal["MP4", "RAW", "GIF"]
    extension: str
    transcriptionSource: bool = False
    video: VideoSpec | None = None
    audio: AudioSpec | None = None


class FrameCaptureSpec(BaseModel):
    """JPEG stills, one a second, for shot thumbnails and the poster; MaxCaptures bounds a long
    video's count (the interval grows instead)."""

    maxWidth: int
    maxHeight: int
    maxCaptures: int
    quality: int


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(__file__).with_name("renditions.json")).read_text())
    return data


@lru_cache(maxsize=1)
def load_renditions() -> tuple[Rendition, ...]:
    return tuple(Rendition.model_validate(item) for item in _data()["renditions"])


@lru_cache(maxsize=1)
def load_frame_capture() -> FrameCaptureSpec:
    return FrameCaptureSpec.model_validate(_data()["frameCapture"])


@lru_cache(maxsize=1)
def load_other_track_audio() -> AudioSpec:
    """The small MP3 made of each other audio track, for Transcribe to try when `auto`'s track
    has no speech."""
    return AudioSpec.model_validate(_data()["otherTrackAudio"])


class SizeRange(BaseModel):
    low: int
    high: int


class SizeLimits(BaseModel):
    """The Width and Height an output's VideoDescription may take."""

    width: SizeRange
    height: SizeRange


@lru_cache(maxsize=1)
def size_limits() -> SizeLimits:
    """Read from botocore's model of the MediaConvert API, which CreateJob is validated against:
    a size outside it fails the job at Start Transcode Job."""
    model = botocore.session.get_session().get_service_model("mediaconvert")
    members = cast(StructureShape, model.shape_for("VideoDescription")).members
    ranges = {
        side: SizeRange(low=members[key].metadata["min"], high=members[key].metadata["max"])
        for side, key in (("width", "Width"), ("height", "Height"))
    }
    return SizeLimits.model_validate(ranges)


def fit_within(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """Keep the aspect ratio, never upscale, and turn the box for portrait sources."""
    if height > width:
        max_width, max_height = min(max_width, max_height), max(max_width, max_height)
    scale = min(1.0, max_width / width, max_height / height)
    # H.264 needs even sizes; round down so the box is never exceeded.
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def output_size(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """The Width and Height an output is given: the source fitted in its box, within
    MediaConvert's range. A box past the maximum is cut to it before fitting, so the picture
    keeps its shape. A side the fit leaves under the minimum (a 24 px source, a 1920x100 banner's
    GIF) is raised to it: ScalingBehavior DEFAULT fits the picture inside and pads the rest."""
    limits = size_limits()
    top = min(limits.width.high, limits.height.high) // 2 * 2
    fitted_w, fitted_h = fit_within(width, height, min(max_width, top), min(max_height, top))
    return max(fitted_w, _even_up(limits.width.low)), max(fitted_h, _even_up(limits.height.low))


def _even_up(value: int) -> int:
    return value + value % 2
