"""Which files a batch runs: without starting the runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelscribe.batch import collect_videos
from reelscribe.errors import UsageError


def test_collect_videos_file_named_twice_and_through_its_folder_runs_once(tmp_path: Path) -> None:
    # Given a folder with a video and a note, and the same video named again two ways
    (tmp_path / "clip.mp4").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / ".hidden").write_text("")
    again = tmp_path / "sub" / ".." / "clip.mp4"
    (tmp_path / "sub").mkdir()
    # When the batch collects them
    videos, skipped = collect_videos([tmp_path, tmp_path / "clip.mp4", again], tmp_path)
    # Then the video is run once, as first named, and only the visible other file is skipped
    assert videos == [tmp_path / "clip.mp4"]
    assert skipped == [tmp_path / "notes.txt"]


def test_collect_videos_nothing_named_runs_the_sample_beside_the_template(tmp_path: Path) -> None:
    sample = tmp_path / "samples" / "reelscribe-demo.mp4"
    sample.parent.mkdir()
    sample.write_bytes(b"x")
    assert collect_videos([], tmp_path / "template.yaml") == ([sample], [])


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.mp4", "no such file or folder"), ("empty", "no video files in this folder")],
)
def test_collect_videos_nothing_to_run_is_a_usage_error(
    tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=message):
        collect_videos([tmp_path / name], tmp_path)
