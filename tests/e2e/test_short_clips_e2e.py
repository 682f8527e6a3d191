"""Clips shorter than a second, down to a single frame, through `reelscribe run`: every
rendition, the MP3 when there is sound, the GIF and the poster and shot thumbnail come out."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from PIL import Image

from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import AudioKind, espeak_available, make_video

pytestmark = pytest.mark.slow

# name -> (seconds, audio); 0.04 s at 25 fps is one frame.
CLIPS: dict[str, tuple[float, AudioKind]] = {
    "blink.mp4": (0.4, "speech"),
    "flash.mp4": (0.1, "silent"),
    "one frame.mp4": (0.04, "none"),
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not espeak_available():
        pytest.skip("espeak-ng is needed to make the speech")
    media = tmp_path_factory.mktemp("short-clips")
    files = [
        make_video(media / name, duration=seconds, audio=audio)
        for name, (seconds, audio) in CLIPS.items()
    ]
    out = tmp_path_factory.mktemp("short-clips-out")
    run_quietly(*map(str, files), "--out", str(out), "--jobs", "3")
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return {Path(r["source"]).name: Path(r["folder"]) for r in runs}


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.mark.parametrize("name", list(CLIPS))
def test_short_clip_gets_every_rendition_gif_and_poster(
    folders: dict[str, Path], name: str
) -> None:
    folder = folders[name]
    _, audio = CLIPS[name]
    record = video_record(folder)
    assert record["status"] == "COMPLETED", record.get("failure")
    expected = {"web", "phone", "gif"} | ({"audio"} if audio != "none" else set())
    assert set(record["renditions"]) == expected
    for kind in ("web", "phone"):
        (path,) = (folder / "output" / kind).glob("*.mp4")
        assert _frames(path) >= 1
    (gif,) = (folder / "output" / "gif").glob("*.gif")
    assert _frames(gif) >= 1
    if audio != "none":
        (mp3,) = (folder / "output" / "audio").glob("*.mp3")
        with av.open(str(mp3)) as container:
            assert container.format.name == "mp3"
            assert sum(1 for _ in container.decode(audio=0)) >= 1
    assert record["posterKey"]
    (poster,) = (folder / "output" / "vision").glob("*-poster.jpg")
    (thumbnail,) = (folder / "output" / "vision" / "shots").glob("*.jpg")
    for still in (poster, thumbnail):
        with Image.open(still) as picture:
            assert picture.format == "JPEG"
