"""Sources smaller than MediaConvert lets an output be, end to end: a 24x24 clip and a 1920x100
banner, made here by ffmpeg and run through `reelscribe run`. Each must complete, and every
file the emulated transcode writes must have the size its job settings give."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from reelscribe.cli import main
from tests.support.media import make_video

pytestmark = pytest.mark.slow

TINY = "tiny square.mp4"
BANNER = "wide banner.mp4"
# A row of a padded picture counts as black when nothing in it is brighter than this.
BLACK = 40


@dataclass
class Batch:
    code: int
    text: str
    runs: dict[str, dict[str, Any]]

    def folder(self, file_name: str) -> Path:
        return Path(self.runs[file_name]["folder"])


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    media = tmp_path_factory.mktemp("small-media")
    videos = [
        make_video(media / TINY, width=24, height=24, duration=2.0, audio="none"),
        make_video(media / BANNER, width=1920, height=100, duration=2.0, audio="none"),
    ]
    out = tmp_path_factory.mktemp("small-out")
    stream = io.StringIO()
    code = main(
        ["run", *map(str, videos), "--out", str(out), "--jobs", "2", "--quiet"], stream=stream
    )
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return Batch(code, stream.getvalue(), {Path(r["source"]).name: r for r in runs})


def _planned_sizes(folder: Path) -> dict[str, tuple[int, int]]:
    """Each output group's Width and Height, as Plan Transcode gave them to CreateJob."""
    states = json.loads((folder / "execution" / "states.json").read_text(encoding="utf-8"))
    plan = next(s for s in states if s["name"] == "Plan Transcode")["output"]["plan"]
    return {
        group["Name"]: (video["Width"], video["Height"])
        for group in plan["transcode"]["settings"]["OutputGroups"]
        for output in group["Outputs"]
        if (video := output.get("VideoDescription"))
    }


def _written_files(folder: Path) -> dict[str, Path]:
    """The renditions by kind, and the frame captures through the poster copied from one."""
    files = {p.parent.name: p for p in (folder / "output").glob("*/*") if p.is_file()}
    (poster,) = (folder / "output" / "vision").glob("*-poster.jpg")
    return {**{k: files[k] for k in ("web", "phone", "gif")}, "frames": poster}


def _first_frame(path: Path) -> np.ndarray[Any, Any]:
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="gray")


@pytest.mark.parametrize("file_name", [TINY, BANNER])
def test_source_below_mediaconvert_minimum_completes_with_every_rendition(
    batch: Batch, file_name: str
) -> None:
    assert batch.code == 0, batch.text
    assert batch.runs[file_name]["status"] == "SUCCEEDED"
    folder = batch.folder(file_name)
    (record,) = json.loads((folder / "records" / "VideosTable.json").read_text(encoding="utf-8"))
    assert record["status"] == "COMPLETED"
    assert set(record["renditions"]) == {"web", "phone", "gif"}
    assert record["posterKey"]


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        # Raised to 32 px, MediaConvert's minimum, rather than refused at Start Transcode Job
        (TINY, dict.fromkeys(("web", "phone", "gif", "frames"), (32, 32))),
        # Fitted by width; the GIF and the stills, 25 and 17 px tall once fitted, padded to 32
        (BANNER, {"web": (1280, 66), "phone": (960, 50), "gif": (480, 32), "frames": (320, 32)}),
    ],
)
def test_small_source_outputs_have_the_size_their_job_settings_give(
    batch: Batch, file_name: str, expected: dict[str, tuple[int, int]]
) -> None:
    folder = batch.folder(file_name)
    planned = _planned_sizes(folder)
    written = {
        kind: _first_frame(path).shape[::-1] for kind, path in _written_files(folder).items()
    }

    assert planned == expected
    assert written == planned


@pytest.mark.parametrize(("kind", "fitted_rows"), [("gif", 25), ("frames", 17)])
def test_banner_padded_outputs_keep_its_shape_between_black_bars(
    batch: Batch, kind: str, fitted_rows: int
) -> None:
    # The banner fitted to the output's width is under 32 px tall: DEFAULT scaling pads it, so
    # it is not stretched, and the bars are above and below it
    picture = _first_frame(_written_files(batch.folder(BANNER))[kind])
    lit = [row for row in range(picture.shape[0]) if picture[row].max() > BLACK]

    assert picture[0].max() <= BLACK
    assert picture[-1].max() <= BLACK
    assert lit == list(range(lit[0], lit[-1] + 1))
    assert abs(len(lit) - fitted_rows) <= 1
