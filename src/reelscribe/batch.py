"""A batch of videos: which files to run, and running them through the local runtime, at most
a few at a time, each one's folder written as its execution ends."""

from __future__ import annotations

import time
from pathlib import Path

from .errors import UsageError
from .progress import Progress
from .results import VideoResult, write_video_folder
from .results.local import LocalSource
from .runtime import TERMINAL, LocalRuntime

VIDEO_EXTENSIONS = {
    ".mp4",
    ".mov",
    ".m4v",
    ".mkv",
    ".webm",
    ".avi",
    ".mpg",
    ".mpeg",
    ".ts",
    ".mts",
    ".wmv",
    ".flv",
    ".3gp",
}
SAMPLE = Path("samples") / "reelscribe-demo.mp4"
# How long a stopped execution may take to leave the state it is in.
_STOP_SECONDS = 30.0


def collect_videos(paths: list[Path], template: Path) -> tuple[list[Path], list[Path]]:
    """The videos to run, each file once however often it is named, and the files in the named
    folders that were passed over because their names are not those of videos."""
    if not paths:
        sample = template.parent / SAMPLE
        if not sample.is_file():
            raise UsageError("Name a video to process (the sample video was not found).")
        return [sample], []
    videos: dict[Path, Path] = {}
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
            found = [p for p in files if p.suffix.lower() in VIDEO_EXTENSIONS]
            if not found:
                raise UsageError(f"{path}: no video files in this folder")
            skipped.extend(p for p in files if p not in found and not p.name.startswith("."))
        elif path.is_file():
            found = [path]
        else:
            raise UsageError(f"{path}: no such file or folder")
        for video in found:
            videos.setdefault(video.resolve(), video)
    return list(videos.values()), skipped


def check_user(user: str) -> None:
    """The user id is the first segment of the upload's key, as the uploader's folder."""
    if not user or "/" in user or user in (".", "..") or not user.isprintable():
        raise UsageError(
            f"--user {user!r}: a user id is one folder name, without '/' and not '.' or '..'"
        )


def run_videos(
    runtime: LocalRuntime,
    videos: list[Path],
    *,
    user: str,
    jobs: int,
    timeout: float,
    out: Path,
    progress: Progress,
) -> list[VideoResult]:
    """Upload and run the videos, at most --jobs at a time, writing each one's folder as soon
    as its execution ends."""
    results: list[VideoResult] = []
    taken: set[str] = {p.name for p in out.iterdir() if p.is_dir()}
    pending = list(videos)
    running: dict[str, tuple[Path, float]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            video = pending.pop(0)
            key = f"{user}/{video.name}"
            event = runtime.upload(video, key)
            for arn in runtime.dispatch(event, video.stem):
                running[arn] = (video, time.monotonic())
        for arn, (video, started) in list(running.items()):
            status = runtime.status(arn)
            progress.update(runtime, video.name, arn, last=status in TERMINAL)
            overdue = status not in TERMINAL and time.monotonic() - started > timeout
            # Finished: ended, and what its end set off (a stop's report) has run too.
            if runtime.finished(arn) or overdue:
                if overdue:
                    runtime.sfn.stop_execution(
                        executionArn=arn,
                        error="LocalTimeout",
                        cause=f"Still running after {timeout:g} s (--timeout)",
                    )
                    runtime.wait(arn, timeout=_STOP_SECONDS)
                del running[arn]
                source = LocalSource(runtime, arn)
                results.append(write_video_folder(source, out, taken, label=str(video)))
        time.sleep(0.05)
    return results
