"""Which files a batch runs, and how its engines share the cores: without starting the runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelscribe.batch import Skipped, collect_videos, engine_threads, upload_metadata
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
    # Then the video is run once, as first named, and the rest are said to be skipped
    clip = tmp_path / "clip.mp4"
    assert videos == [clip]
    assert skipped == [
        Skipped(tmp_path / "notes.txt", "not a video, audio or image file name"),
        Skipped(tmp_path / "sub", "a folder (name it to run its videos)"),
        Skipped(clip, "named more than once"),
        Skipped(again, f"the same file as {clip}"),
    ]


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


def test_collect_videos_folder_names_subfolders_hidden_videos_and_resource_forks_as_skipped(
    tmp_path: Path,
) -> None:
    # Given a folder with a video, a hidden video, a Mac's resource fork of the video, a Mac's
    # folder settings and a subfolder of more videos
    for name in ("clip.mp4", ".hidden.mp4", "._clip.mp4", ".DS_Store"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "deep.mp4").write_bytes(b"x")
    # When the batch collects the folder
    videos, skipped = collect_videos([tmp_path], tmp_path)
    # Then only the video is run, and each of the others that looks like one is named, with why
    assert videos == [tmp_path / "clip.mp4"]
    assert skipped == [
        Skipped(
            tmp_path / "._clip.mp4", "a macOS resource fork (metadata beside a file), not a video"
        ),
        Skipped(tmp_path / ".hidden.mp4", "a hidden file"),
        Skipped(tmp_path / "more", "a folder (name it to run its videos)"),
    ]


def test_collect_videos_resource_fork_named_alone_is_skipped_and_leaves_nothing_to_run(
    tmp_path: Path,
) -> None:
    fork = tmp_path / "._clip.mp4"
    fork.write_bytes(b"x")
    with pytest.raises(UsageError, match="every file named was skipped"):
        collect_videos([fork], tmp_path)


def test_collect_videos_folder_takes_audio_and_picture_files_as_it_takes_videos(
    tmp_path: Path,
) -> None:
    # Given a folder of a video, audio files, pictures and a note
    names = ["clip.mp4", "episode.MP3", "memo.m4a", "talk.ogg", "take.wav", "photo.JPG"]
    names += ["slide.png", "sticker.webp", "notes.txt"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    # When the batch collects the folder
    videos, skipped = collect_videos([tmp_path], tmp_path)
    # Then every media file runs and only the note is passed over, saying why
    assert sorted(p.name for p in videos) == sorted(n for n in names if n != "notes.txt")
    assert [(p.name, reason) for p, reason in skipped] == [
        ("notes.txt", "not a video, audio or image file name")
    ]


@pytest.mark.parametrize(
    ("given", "metadata"),
    [(None, {}), ("2", {"audio-track": "2"}), ("AUTO", {"audio-track": "auto"})],
)
def test_upload_metadata_audio_track_becomes_the_uploads_metadata(
    given: str | None, metadata: dict[str, str]
) -> None:
    assert upload_metadata(given) == metadata


@pytest.mark.parametrize("given", ["0", "two", "-1", ""])
def test_upload_metadata_audio_track_not_a_number_raises_usage_error(given: str) -> None:
    with pytest.raises(UsageError, match="--audio-track"):
        upload_metadata(given)


@pytest.mark.parametrize(
    ("cores", "jobs", "videos", "threads"),
    [
        (2, 2, 20, 1),  # two at once on two cores: one thread each, not four fighting
        (2, 1, 20, 2),  # one at a time: as a single run
        (2, 4, 1, 2),  # one video, whatever --jobs says
        (2, 50, 50, 1),  # never below one
        (8, 2, 20, 2),  # cores to spare: as a single run, no more
    ],
)
def test_engine_threads_cores_over_videos_at_once(
    monkeypatch: pytest.MonkeyPatch, cores: int, jobs: int, videos: int, threads: int
) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: set(range(cores)))
    assert engine_threads(jobs, videos) == threads
