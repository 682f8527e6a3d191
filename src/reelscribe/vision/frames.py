"""One decoding pass over a video that serves every detector.

Decoding is the cost of video analysis, so a file is decoded once. Every frame is shrunk to a
small BGR picture (shot detection compares each frame with the one before, black frames are
counted on its luma); a few frames a second are also kept at full size, for the detectors that
read detail (text, faces, moderation).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from numpy.typing import NDArray

# Width of the small frames: enough for content differences and luma counts, cheap to convert.
SMALL_WIDTH = 256
# ffmpeg container names Rekognition Video accepts, and the codec it needs in them.
_ACCEPTED_CONTAINERS = ("mov", "mp4")
_ACCEPTED_CODEC = "h264"

Image = NDArray[np.uint8]


class VideoDecodeError(Exception):
    """The file is not a video this pass can read."""


@dataclass(frozen=True)
class VideoInfo:
    codec: str  # ffmpeg's codec name, e.g. "h264"
    container: str  # ffmpeg's long format name, e.g. "QuickTime / MOV"
    demuxer: str  # ffmpeg's short demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    width: int
    height: int
    frame_rate: float
    duration: float  # seconds
    full_range: bool

    @property
    def rekognition_compatible(self) -> bool:
        return self.codec == _ACCEPTED_CODEC and any(
            name in self.demuxer.split(",") for name in _ACCEPTED_CONTAINERS
        )

    def metadata(self) -> dict[str, object]:
        """Rekognition's VideoMetadata."""
        return {
            "Codec": self.codec,
            "DurationMillis": round(self.duration * 1000),
            "Format": self.container,
            "FrameRate": round(self.frame_rate, 3),
            "FrameHeight": self.height,
            "FrameWidth": self.width,
            "ColorRange": "FULL" if self.full_range else "LIMITED",
        }


@dataclass(frozen=True)
class Frame:
    index: int
    time: float  # seconds from the start of the video
    small: Image  # BGR, SMALL_WIDTH wide
    full: Image | None  # RGB at the video's size, on sampled frames only


def probe(path: Path) -> VideoInfo:
    try:
        with av.open(str(path)) as container:
            return _info(container)
    except (av.FFmpegError, OSError) as error:
        raise VideoDecodeError(f"cannot open the video: {error}") from None


def _info(container: av.container.InputContainer) -> VideoInfo:
    if not container.streams.video:
        raise VideoDecodeError("the file has no video track")
    stream = container.streams.video[0]
    rate = stream.average_rate or stream.guessed_rate or Fraction(25)
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / av.time_base
    else:
        duration = 0.0
    context = stream.codec_context
    return VideoInfo(
        codec=str(context.name),
        container=str(container.format.long_name),
        demuxer=str(container.format.name),
        width=int(context.width),
        height=int(context.height),
        frame_rate=float(rate),
        duration=duration,
        full_range=str(getattr(context, "color_range", "")).upper().endswith("JPEG"),
    )


def decode(path: Path, sample_every: float) -> Iterator[Frame]:
    """Every frame, small; one every `sample_every` seconds also at full size."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            stream.codec_context.thread_count = 2
            next_sample = 0.0
            start: float | None = None
            for index, frame in enumerate(container.decode(stream)):
                stamp = float(frame.time) if frame.time is not None else index / 25.0
                start = stamp if start is None else start
                time = stamp - start
                height = max(2, round(frame.height * SMALL_WIDTH / max(1, frame.width) / 2) * 2)
                small = frame.reformat(width=SMALL_WIDTH, height=height, format="bgr24")
                full = None
                if time + 1e-6 >= next_sample:
                    full = frame.to_ndarray(format="rgb24").astype(np.uint8, copy=False)
                    while next_sample <= time + 1e-6:
                        next_sample += sample_every
                yield Frame(index, time, small.to_ndarray().astype(np.uint8, copy=False), full)
    except av.FFmpegError as error:
        raise VideoDecodeError(f"cannot decode the video: {error}") from None


def dark_shares(small: Image) -> NDArray[np.float32]:
    """For each full-range luma value v (0-255), the share (0-1) of the small frame's pixels
    at most v: kept for every frame, so it is small (1 KB)."""
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    counts = np.cumsum(np.bincount(gray.ravel(), minlength=256))
    return (counts / max(1, gray.size)).astype(np.float32)
