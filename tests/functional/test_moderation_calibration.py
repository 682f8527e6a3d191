"""The local moderation detector says nothing of clean footage at Rekognition's default
MinConfidence: real photographs, a face, computer animation and a slide (see
docs/local-vision.md for the calibration, and bench/moderation_clean.py to measure it again)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import imageio_ffmpeg
import numpy as np
import pytest
import skimage.data

from reelscribe.vision import moderation

SAMPLE_VIDEO = Path(__file__).resolve().parents[2] / "samples" / "reelscribe-demo.mp4"


def _rgb(picture: np.ndarray) -> np.ndarray:
    if picture.ndim == 2:
        picture = np.stack([picture] * 3, axis=-1)
    return np.ascontiguousarray(picture[..., :3].astype(np.uint8))


def _animation_frames(source: str, seconds: int) -> list[np.ndarray]:
    """One frame a second of one of ffmpeg's generated animations, 640x360."""
    raw = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
         f"{source}=s=640x360", "-t", str(seconds), "-vf", "fps=1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    return list(np.frombuffer(raw, np.uint8).reshape(-1, 360, 640, 3))


def _sample_video_frames() -> list[np.ndarray]:
    with av.open(str(SAMPLE_VIDEO)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    return frames[:: max(1, len(frames) // 8)]


@pytest.mark.parametrize(
    ("what", "pictures"),
    [
        ("a face (astronaut photograph)", lambda: [skimage.data.astronaut()]),
        ("real footage (coffee, cat, rocket)", lambda: [
            skimage.data.coffee(), skimage.data.chelsea(), skimage.data.rocket()]),
        ("computer graphics (colour wheel)", lambda: [skimage.data.colorwheel()]),
        ("animation (Mandelbrot zoom, 20 s)", lambda: _animation_frames("mandelbrot", 20)),
        ("a slide (the sample video)", _sample_video_frames),
        ("a page of text", lambda: [skimage.data.page()]),
    ],
)  # fmt: skip
def test_moderation_on_clean_footage_reports_nothing_at_default_min_confidence(
    what: str, pictures: object
) -> None:
    # Given clean material / When the local detector labels it at Rekognition's default
    found = [
        label
        for picture in pictures()  # type: ignore[operator]
        for label in moderation.detect(_rgb(np.asarray(picture)))
    ]
    # Then nothing is said: NudeNet's raw scores on these reach 0.83, and are calibrated under 50
    assert found == [], what
