"""The progress lines, from the runtime's events alone."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from reelscribe.console import Progress
from reelscribe.runtime.events import ExecutionFinished, JobProgress, StateEntered


def test_progress_shows_each_state_once_and_the_transcode_in_tens_for_tracked_runs() -> None:
    # Given progress tracking one execution, and events from it and from another
    out = io.StringIO()
    progress = Progress(out, quiet=False)
    progress.track("arn:a", "clip.mp4")
    at = datetime.now(UTC) + timedelta(seconds=2)
    events = [
        StateEntered("arn:a", "Wait", at),
        JobProgress("arn:a", "PROGRESSING", 12, at),
        JobProgress("arn:a", "PROGRESSING", 17, at),
        StateEntered("arn:a", "Wait", at),
        StateEntered("arn:b", "Other", at),
        JobProgress("arn:a", "COMPLETE", 100, at),
        ExecutionFinished("arn:a", "SUCCEEDED"),
    ]
    # When they are shown
    for event in events:
        progress.show(event)
    # Then a poll loop's state shows once, the percentage once per ten, and nothing of others
    lines = [line[12:] for line in out.getvalue().splitlines()]
    assert lines == [
        f"{'clip.mp4':<28} Wait",
        f"{'clip.mp4':<28}   transcode progressing, 10%",
        f"{'clip.mp4':<28}   transcode complete, 100%",
    ]
    assert out.getvalue().startswith("  [   2.0s] ")


def test_progress_quiet_shows_nothing() -> None:
    out = io.StringIO()
    progress = Progress(out, quiet=True)
    progress.track("arn:a", "clip.mp4")
    progress.show(StateEntered("arn:a", "Wait", datetime.now(UTC)))
    assert out.getvalue() == ""
