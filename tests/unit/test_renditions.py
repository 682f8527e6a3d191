"""The renditions data and the picture-size rule every video rendition goes through."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from video_pipeline.renditions import fit_within, load_renditions

VIDEO_BOXES = [(r.video.maxWidth, r.video.maxHeight) for r in load_renditions() if r.video]


def _box_for(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """The box a source must fit: turned upright for a portrait source."""
    if height > width:
        return min(max_width, max_height), max(max_width, max_height)
    return max_width, max_height


# ------------------------------------------------------------------ the data


def test_load_renditions_shipped_file_gives_the_four_outputs_users_asked_for() -> None:
    renditions = {r.name: r for r in load_renditions()}

    assert set(renditions) == {"web", "phone", "audio", "gif"}
    assert renditions["web"].video is not None
    assert (renditions["web"].video.maxWidth, renditions["web"].video.maxHeight) == (1280, 720)
    assert renditions["phone"].video is not None
    assert (renditions["phone"].video.maxWidth, renditions["phone"].video.maxHeight) == (960, 640)
    assert renditions["gif"].container == "GIF"
    assert renditions["gif"].audio is None


def test_load_renditions_shipped_file_gives_one_mp3_transcription_source() -> None:
    sources = [r for r in load_renditions() if r.transcriptionSource]

    assert len(sources) == 1
    (mp3,) = sources
    assert mp3.video is None
    assert mp3.extension == "mp3"
    assert mp3.audio is not None
    assert (mp3.audio.codec, mp3.audio.bitrate) == ("MP3", 320000)


def test_load_renditions_shipped_file_gives_unique_names() -> None:
    names = [r.name for r in load_renditions()]
    assert len(names) == len(set(names))


# ------------------------------------------------------------------ fit_within


@pytest.mark.parametrize(
    ("source", "box", "expected"),
    [
        ((1920, 1080), (1280, 720), (1280, 720)),  # 16:9 into web
        ((3840, 2160), (960, 640), (960, 540)),  # 4K into phone: width bound
        ((1440, 1080), (1280, 720), (960, 720)),  # 4:3: height bound
        ((640, 480), (480, 270), (360, 270)),  # 4:3 into the GIF box
        ((1080, 1920), (1280, 720), (720, 1280)),  # portrait 9:16: the box turns
        ((1080, 1920), (480, 270), (270, 480)),
        ((176, 144), (1280, 720), (176, 144)),  # QCIF stays as is: no upscale
        ((1281, 721), (1280, 720), (1278, 720)),  # odd sizes come out even
    ],
)
def test_fit_within_common_sources_keep_aspect_and_fit(
    source: tuple[int, int], box: tuple[int, int], expected: tuple[int, int]
) -> None:
    assert fit_within(*source, *box) == expected


def test_fit_within_odd_small_source_gives_even_size_not_larger() -> None:
    assert fit_within(175, 143, 1280, 720) == (174, 142)


@given(
    width=st.integers(2, 10_000),
    height=st.integers(2, 10_000),
    box=st.sampled_from(VIDEO_BOXES) | st.tuples(st.integers(2, 4096), st.integers(2, 4096)),
)
def test_fit_within_any_size_gives_even_size_inside_turned_box_never_upscaled(
    width: int, height: int, box: tuple[int, int]
) -> None:
    out_w, out_h = fit_within(width, height, *box)
    box_w, box_h = _box_for(width, height, *box)

    assert (out_w % 2, out_h % 2) == (0, 0)
    assert out_w <= max(box_w, 2)
    assert out_h <= max(box_h, 2)
    assert out_w <= max(width, 2)
    assert out_h <= max(height, 2)


@given(
    short=st.integers(128, 4320),
    ratio=st.floats(1.0, 2.5),
    portrait=st.booleans(),
    box=st.sampled_from(VIDEO_BOXES),
)
def test_fit_within_real_world_shapes_keep_aspect_ratio_within_two_percent(
    short: int, ratio: float, portrait: bool, box: tuple[int, int]
) -> None:
    # Every shape a camera or phone records (up to 2.5:1, wider than 21:9 cinema), from
    # 128 px up: even rounding may move each side by under 2 px, never the shape by 2 %.
    long = round(short * ratio)
    assume(long <= 8192)
    width, height = (short, long) if portrait else (long, short)

    out_w, out_h = fit_within(width, height, *box)

    assert abs((out_w / out_h) / (width / height) - 1) <= 0.02
    assert out_w <= out_h if portrait else out_w >= out_h
