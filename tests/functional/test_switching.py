"""A run hands the interpreter between its threads every millisecond, and leaves the process
it ran in as it found it."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelscribe.cli import main
from reelscribe.console import Progress
from reelscribe.runtime.events import RunEvent
from reelscribe.switching import SWITCH_SECONDS


@pytest.fixture
def callers_interval() -> Iterator[float]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    yield 0.004
    sys.setswitchinterval(previous)


def test_run_in_process_switches_every_millisecond_then_puts_the_interval_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, callers_interval: float
) -> None:
    # Given a caller with its own switch interval, and the interval seen as the run goes on
    seen: list[float] = []

    def show(_self: Progress, _event: RunEvent) -> None:
        seen.append(sys.getswitchinterval())

    monkeypatch.setattr(Progress, "show", show)
    video = tmp_path / "clip.mp4"
    video.write_text("not a video")
    # When a run goes through the pipeline in its process
    code = main(["run", str(video), "--out", str(tmp_path / "out")], io.StringIO())
    # Then the run used 1 ms, and the caller has its own interval back
    assert code == 1
    assert seen
    assert set(seen) == {SWITCH_SECONDS}
    assert sys.getswitchinterval() == pytest.approx(callers_interval)
