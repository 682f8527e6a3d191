"""The summary a run prints: its line on what is on screen, read from the video's item."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reelscribe.console.summary import print_summary
from reelscribe.results import Status, VideoItem, VideoResult


def _printed(item: dict[str, Any] | None) -> list[str]:
    result = VideoResult(
        source="talk.mp4",
        execution_arn="arn:aws:states:us-east-1:123456789012:execution:m:e",
        status=Status.SUCCEEDED,
        folder=Path("/nowhere/talk"),
        video=VideoItem.model_validate(item) if item is not None else None,
    )
    stream = io.StringIO()
    print_summary(result, stream)
    return [line.strip() for line in stream.getvalue().splitlines()]


def test_summary_analysed_video_names_shots_text_and_review() -> None:
    lines = _printed(
        {
            "visionKey": "output/vision/u/v/talk.json",
            "shotCount": 3,
            "onScreenText": "Quarterly results 2026",
            "needsReview": True,
            "reviewLabels": ["Exposed Male Nipple"],
        }
    )
    assert (
        "On screen: 3 shots; text: Quarterly results 2026; needs review: Exposed Male Nipple"
        in lines
    )


def test_summary_picture_without_text_says_none_was_read() -> None:
    lines = _printed({"visionKey": "output/vision/u/v/photo.json", "needsReview": False})
    assert "On screen: no text read" in lines


def test_summary_video_not_analysed_prints_no_on_screen_line() -> None:
    # Analyze Video did not run (an audio file, or every job unavailable): shotCount is 0.
    for item in ({"shotCount": 0, "visionKey": ""}, None):
        assert not any(line.startswith("On screen") for line in _printed(item))
