"""A batch of videos: which files to run, and running them through the local runtime, at most
a few at a time, each one's folder written as its execution ends."""

from __future__ import annotations

import queue
import time
from pathlib import Path

from .console import Progress
from .errors import UsageError
from .report import build_index, build_video_report, load_definition
from .results import VideoResult, write_runs, write_video_folder
from .results.local import LocalSource
from .runtime.events import ExecutionFinished, RunEvent
from .runtime.local import LocalRuntime

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
    """Upload and run the videos, at most `jobs` at a time, writing each one's folder as soon
    as its execution has finished. Waits on the runtime's events, not on a clock: only a
    deadline (`timeout` seconds a video) wakes it otherwise."""
    events: queue.Queue[RunEvent] = queue.Queue()
    runtime.subscribe(events.put)
    try:
        return _Batch(runtime, user, timeout, out, progress).run(videos, jobs, events)
    finally:
        runtime.unsubscribe(events.put)


class _Batch:
    def __init__(
        self, runtime: LocalRuntime, user: str, timeout: float, out: Path, progress: Progress
    ) -> None:
        self._runtime, self._user, self._timeout = runtime, user, timeout
        self._out, self._progress = out, progress
        self._taken: set[str] = {p.name for p in out.iterdir() if p.is_dir()}
        self._running: dict[str, tuple[Path, float]] = {}  # by execution: video, deadline
        self.results: list[VideoResult] = []

    def run(
        self, videos: list[Path], jobs: int, events: queue.Queue[RunEvent]
    ) -> list[VideoResult]:
        pending = list(videos)
        while pending or self._running:
            while pending and len(self._running) < jobs:
                self._start(pending.pop(0))
            try:
                event: RunEvent | None = events.get(timeout=self._until_deadline())
            except queue.Empty:
                event = None
            if event is not None and event.execution_arn in self._running:
                self._progress.show(event)
                if isinstance(event, ExecutionFinished):
                    self._collect(event.execution_arn)
            for arn, (_video, deadline) in list(self._running.items()):
                if time.monotonic() > deadline and not self._runtime.finished(arn):
                    self._stop(arn)
        return self.results

    def _start(self, video: Path) -> None:
        event = self._runtime.upload(video, f"{self._user}/{video.name}")
        for arn in self._runtime.dispatch(event, video.stem):
            self._running[arn] = (video, time.monotonic() + self._timeout)
            self._progress.track(arn, video.name)

    def _until_deadline(self) -> float | None:
        if not self._running:
            return None
        return max(0.0, min(d for _, d in self._running.values()) - time.monotonic())

    def _stop(self, arn: str) -> None:
        self._runtime.sfn.stop_execution(
            executionArn=arn,
            error="LocalTimeout",
            cause=f"Still running after {self._timeout:g} s (--timeout)",
        )
        self._runtime.wait(arn, timeout=_STOP_SECONDS)
        self._collect(arn)

    def _collect(self, arn: str) -> None:
        video, _ = self._running.pop(arn)
        source = LocalSource(self._runtime, arn)
        self.results.append(write_video_folder(source, self._out, self._taken, label=str(video)))


def record_run(results: list[VideoResult], out: Path, template: Path) -> Path:
    """Write the run's `runs.json`, each video's report and the batch's index; returns the
    index."""
    write_runs(out, results)
    definition = load_definition(template)
    for result in results:
        if result.folder is not None:
            build_video_report(result.folder, definition)
    return build_index(out)
