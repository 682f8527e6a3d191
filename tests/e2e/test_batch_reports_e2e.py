"""A batch through `reelscribe run`: each video's report can be opened as soon as that video
has ended, while the others still run, and every video still gets its folder and report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reelscribe.cli import main
from tests.support.media import make_video

pytestmark = pytest.mark.slow

NAMES = ("first.mp4", "second.mp4", "third.mp4")


class _Watch(io.StringIO):
    """The run's output; as each video's last state is printed, which reports exist."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self._out = out
        self.reports_when_ended: dict[str, set[str]] = {}

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if "] " in line and line.rstrip().endswith("Video Processed"):
                name = next(n for n in NAMES if n in line)
                drawn = {p.parent.name for p in self._out.glob("*/report.html")}
                self.reports_when_ended[name] = drawn
        return super().write(text)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, _Watch, Path]:
    media = tmp_path_factory.mktemp("batch-media")
    clips = [make_video(media / name, duration=0.6, audio="none") for name in NAMES]
    out = tmp_path_factory.mktemp("batch-out")
    watch = _Watch(out)
    code = main(["run", *map(str, clips), "--out", str(out), "--jobs", "1"], stream=watch)
    return code, watch, out


def test_batch_report_ready_when_next_video_ends(batch: tuple[int, _Watch, Path]) -> None:
    code, watch, _ = batch
    assert code == 0, watch.getvalue()
    # One at a time: by the time the second and third end, the ones before them are drawn.
    assert {"first"} <= watch.reports_when_ended["second.mp4"]
    assert {"first", "second"} <= watch.reports_when_ended["third.mp4"]


def test_batch_every_video_gets_folder_report_and_index(
    batch: tuple[int, _Watch, Path],
) -> None:
    _, _, out = batch
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    assert [Path(r["source"]).name for r in runs] == list(NAMES)
    for run in runs:
        assert run["status"] == "SUCCEEDED"
        report = Path(run["folder"]) / "report.html"
        assert "<html" in report.read_text(encoding="utf-8")[:500].lower()
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("first", "second", "third"):
        assert f"{name}/report.html" in index
