"""A batch of videos: which files to run, and running them through the local runtime, at most
a few at a time, each one's folder written as its execution ends."""

from __future__ import annotations

import errno
import math
import os
import queue
import stat
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, cast

import botocore.loaders
from botocore.model import ServiceModel, StringShape

from . import report
from .console import Progress
from .errors import OutOfSpaceError, UsageError
from .results import VideoResult, write_runs, write_video_folder
from .results.local import LocalSource
from .results.writer import ensure_room
from .runtime.events import ExecutionFinished, RunEvent
from .runtime.local import TERMINAL, LocalRuntime
from .speech import languages, model_cache
from .speech.models import BUNDLED_MULTILINGUAL, DEFAULT_CPU_THREADS, ENGLISH, ModelSet
from .template import SAMPLE

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
# Audio files get the MP3 and the transcript; pictures get renditions and the image analysis.
AUDIO_EXTENSIONS = {".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
MEDIA_EXTENSIONS = VIDEO_EXTENSIONS | AUDIO_EXTENSIONS | IMAGE_EXTENSIONS
_RESOURCE_FORK = "._"
_FORK_REASON = "a macOS resource fork (metadata beside a file), not a video"
# How long a stopped execution may take to leave the state it is in.
_STOP_SECONDS = 30.0
TIMEOUT_CAUSE = "Still running after {:g} s (--timeout)"
INTERRUPT_CAUSE = "The run was interrupted (Ctrl-C)"
OUT_OF_SPACE_CAUSE = "The disk of --out has no room left for the results"


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run, raised once the executions in flight were stopped and their folders
    written: `results` holds every video that ran, so the run can still be recorded."""

    def __init__(self, results: list[VideoResult], stopped: int, not_started: int) -> None:
        super().__init__(
            f"{stopped} video(s) stopped" + (f", {not_started} not started" if not_started else "")
        )
        self.results = results


class Skipped(NamedTuple):
    """A file or folder a run passed over, and why, for the run to say so."""

    path: Path
    reason: str


def collect_videos(paths: list[Path], template: Path) -> tuple[list[Path], list[Skipped]]:
    """The videos to run, each file once however often it is named, and what was passed over.

    A named folder's videos are run, not its subfolders' (an output folder inside it would
    otherwise be run as videos); each subfolder is named as skipped. A hidden file with a video's
    name is too, and so is a macOS resource fork (`._clip.mp4`, the metadata a Mac writes beside
    a file on a foreign disk), never taken as media even when named. Other hidden entries
    (`.DS_Store`, `.git`) are passed over silently. A file named that cannot be read, or that is
    no file (a named pipe, a device), is a usage mistake, told before any work."""
    if not paths:
        sample = template.parent / SAMPLE
        if not sample.is_file():
            raise UsageError("Name a video to process (the sample video was not found).")
        return [sample], []
    videos: dict[Path, Path] = {}
    skipped: list[Skipped] = []
    for path in paths:
        mode = _mode(path)
        if stat.S_ISDIR(mode):
            passed_over = len(skipped)
            found = _folder_videos(path, skipped)
            if not found:
                named = "".join(f"; {s.path.name} is {s.reason}" for s in skipped[passed_over:][:3])
                raise UsageError(f"{path}: no video files in this folder{named}")
        else:
            if problem := _not_readable(path, mode):
                raise UsageError(f"{path}: {problem}")
            found = [path]
            if path.name.startswith(_RESOURCE_FORK):
                skipped.append(Skipped(path, _FORK_REASON))
                found = []
        for video in found:
            first = videos.setdefault(video.resolve(), video)
            if first is not video:
                same = "named more than once" if first == video else f"the same file as {first}"
                skipped.append(Skipped(video, same))
    if not videos:
        raise UsageError("no video to run: every file named was skipped")
    return list(videos.values()), skipped


def _mode(path: Path) -> int:
    """The named path's file type and mode; a path that names nothing is a usage mistake."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"{path}: no such file or folder") from None
    except OSError as error:  # a folder on the way that may not be searched, say
        raise UsageError(f"{path}: cannot be read ({error.strerror})") from None


_NOT_FILES = (
    (stat.S_ISFIFO, "a named pipe, not a file (a run uploads whole files)"),
    (stat.S_ISSOCK, "a socket, not a file"),
    (stat.S_ISCHR, "a device, not a file"),
    (stat.S_ISBLK, "a device, not a file"),
)


def _not_readable(path: Path, mode: int) -> str | None:
    """Why the run could not read the file, or None. Opening it is the one honest test: root
    reads files whose mode says no, and os.access answers for the real user, not the process."""
    for is_kind, reason in _NOT_FILES:
        if is_kind(mode):
            return reason  # and opening a named pipe would wait for a writer
    try:
        with path.open("rb"):
            return None
    except OSError as error:
        return f"cannot be read ({error.strerror.lower() if error.strerror else error})"


def _folder_videos(folder: Path, skipped: list[Skipped]) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:
        raise UsageError(f"{folder}: this folder cannot be read ({error.strerror})") from None
    found: list[Path] = []
    for entry in entries:
        video_name = entry.suffix.lower() in MEDIA_EXTENSIONS
        if entry.name.startswith(_RESOURCE_FORK):
            if video_name:
                skipped.append(Skipped(entry, _FORK_REASON))
        elif entry.name.startswith("."):
            if video_name and entry.is_file():
                skipped.append(Skipped(entry, "a hidden file"))
        elif entry.is_dir():
            skipped.append(Skipped(entry, "a folder (name it to run its videos)"))
        elif not video_name:
            if entry.is_file():
                skipped.append(Skipped(entry, "not a video, audio or image file name"))
        elif problem := _not_readable(entry, _entry_mode(entry)):
            skipped.append(Skipped(entry, problem))
        else:
            found.append(entry)
    return found


def _entry_mode(entry: Path) -> int:
    try:
        return entry.stat().st_mode
    except OSError:
        return 0  # a dangling link: opening it says what is wrong


_KINDS = (
    (VIDEO_EXTENSIONS, ("video", "videos")),
    (AUDIO_EXTENSIONS, ("audio file", "audio files")),
    (IMAGE_EXTENSIONS, ("picture", "pictures")),
)
_OTHER = ("file", "files")  # named explicitly with a name of no known kind


def count_media(videos: list[Path]) -> str:
    """What a run's files are, by kind: "1 picture", "2 videos, 1 audio file"."""
    nouns = [next((n for ext, n in _KINDS if v.suffix.lower() in ext), _OTHER) for v in videos]
    order = [kind for _, kind in _KINDS] + [_OTHER]
    return ", ".join(
        f"{number} {one if number == 1 else many}"
        for one, many in order
        if (number := nouns.count((one, many)))
    )


def check_user(user: str) -> None:
    """The user id is the first segment of the upload's key, as the uploader's folder."""
    if not user.strip() or "/" in user or user in (".", "..") or not user.isprintable():
        raise UsageError(
            f"--user {user!r}: a user id is one folder name, not blank, without '/' and not "
            "'.' or '..'"
        )


def check_timeout(timeout: float) -> None:
    """A time limit of 0 would stop every video before it started."""
    if not (math.isfinite(timeout) and timeout > 0):
        raise UsageError(
            f"--timeout {timeout:g}: a video's time limit is a number of seconds above 0"
        )


def check_out(out: Path) -> None:
    """`--out` is a folder the run can write in, or can be made one; checked before any work so
    a run never fails at its end for want of a place to put its results."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: a file, not a folder")
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"--out {out}: {existing} is a file, not a folder")
    # os.access knows a read-only mount as well as the folder's own permissions.
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == out:
            raise UsageError(f"--out {out}: this folder cannot be written to")
        raise UsageError(f"--out {out}: it cannot be made, since {existing} cannot be written to")


# What a run writes for a file, beyond nothing: its renditions are about its own size, and its
# history, records, emails and report a few MiB. An estimate, to refuse a disk that is plainly
# full before any work; the writer itself checks each folder's exact size before writing it.
_ROOM_PER_FILE = 4 << 20


def check_room(out: Path, videos: list[Path]) -> None:
    """`--out`'s disk has room for about what the run will write."""
    needed = sum(2 * video.stat().st_size + _ROOM_PER_FILE for video in videos)
    try:
        ensure_room(out, needed, f"the results of {count_media(videos)}")
    except OutOfSpaceError as error:
        raise OutOfSpaceError(f"--out {error}") from None


# Room the multilingual speech model takes in the cache once assembled, with some to spare.
_CACHE_ROOM = model_cache.MODEL_BYTES + (8 << 20)


def check_speech(parameters: Mapping[str, str], models: ModelSet, videos: list[Path]) -> None:
    """The template's TranscribeLanguage and TranscribeLanguageOptions are language codes
    Transcribe knows, and the cache the multilingual speech model is built in can be used: found
    before any work, not after the whole transcode. (Whether the models can do a language is
    the emulated Transcribe's to answer, in the pipeline's failure path, as the service would.)"""
    language = parameters.get("TranscribeLanguage", "auto")
    options = [o for o in parameters.get("TranscribeLanguageOptions", "").split(",") if o]
    known = _transcribe_language_codes()
    for name, code in [("TranscribeLanguage", language)] + [
        ("TranscribeLanguageOptions", o) for o in options
    ]:
        if code != "auto" and code not in known:
            raise UsageError(f"{name}={code}: not a language code Amazon Transcribe knows")
    if all(video.suffix.lower() in IMAGE_EXTENSIONS for video in videos):
        return  # pictures have no speech
    heard = None if language == "auto" else languages.code_to_whisper_language(language)
    if models.multilingual == BUNDLED_MULTILINGUAL and heard != ENGLISH:
        _check_cache()


def _transcribe_language_codes() -> frozenset[str]:
    # Read by its path: asked for by name, botocore first lists all ~400 services' folders.
    loader = botocore.loaders.create_loader()
    version = loader.determine_latest_version("transcribe", "service-2")
    model = ServiceModel(loader.load_data(f"transcribe/{version}/service-2"), "transcribe")
    return frozenset(cast(StringShape, model.shape_for("LanguageCode")).enum)


def _check_cache() -> None:
    """The multilingual model is assembled in the cache on first use: the cache folder can be
    made, written and has room for it, unless the model is there already."""
    if model_cache.is_assembled():
        return
    root = model_cache.cache_root()
    where = f"{model_cache.CACHE_ENV_VAR} {root}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):  # the one test of writing that root cannot skip
            pass
    except OSError as error:
        raise UsageError(
            f"{where}: the multilingual speech model cannot be built there "
            f"({error.strerror or error}); point {model_cache.CACHE_ENV_VAR} at a writable folder"
        ) from None
    try:
        ensure_room(root, _CACHE_ROOM, "the multilingual speech model")
    except OutOfSpaceError as error:
        raise UsageError(f"{model_cache.CACHE_ENV_VAR} {error}") from None


def upload_metadata(audio_track: str | None) -> dict[str, str]:
    """The S3 user metadata each upload carries: `--audio-track` as the pipeline reads it."""
    if audio_track is None:
        return {}
    value = audio_track.strip().lower()
    if value != "auto" and not (value.isdecimal() and int(value) >= 1):
        raise UsageError(f"--audio-track {audio_track!r}: an audio track number from 1, or auto")
    return {"audio-track": value}


def engine_threads(jobs: int, videos: int) -> int:
    """How many threads ffmpeg and Whisper each get: two, as a single run has them, unless
    the videos that run at once share the cores; then the cores over those videos, at least
    one. Two videos at once on two cores, with their engines' threads fighting over them, took
    4% more wall time and 3% more CPU than with one thread each."""
    cores = len(os.sched_getaffinity(0))
    at_once = max(1, min(jobs, videos))
    return max(1, min(DEFAULT_CPU_THREADS, cores // at_once))


def run_videos(
    runtime: LocalRuntime,
    videos: list[Path],
    *,
    user: str,
    jobs: int,
    timeout: float,
    out: Path,
    progress: Progress,
    metadata: dict[str, str] | None = None,
) -> list[VideoResult]:
    """Upload and run the videos, at most `jobs` at a time, writing each one's folder as soon
    as its execution has finished. Waits on the runtime's events, not on a clock: only a
    deadline (`timeout` seconds a video) wakes it otherwise."""
    events: queue.Queue[RunEvent] = queue.Queue()
    runtime.subscribe(events.put)
    try:
        batch = _Batch(runtime, user, timeout, out, progress, metadata or {})
        return batch.run(videos, jobs, events)
    finally:
        runtime.unsubscribe(events.put)


class _Batch:
    def __init__(
        self,
        runtime: LocalRuntime,
        user: str,
        timeout: float,
        out: Path,
        progress: Progress,
        metadata: dict[str, str],
    ) -> None:
        self._runtime, self._user, self._timeout = runtime, user, timeout
        self._metadata = metadata
        self._out, self._progress = out, progress
        self._taken: set[str] = {p.name for p in out.iterdir() if p.is_dir()}
        self._running: dict[str, tuple[Path, float]] = {}  # by execution: video, deadline
        self._finished: set[str] = set()  # of those, the ones whose folder is being written
        self._definition: dict[str, Any] | None = None
        self.results: list[VideoResult] = []

    def run(
        self, videos: list[Path], jobs: int, events: queue.Queue[RunEvent]
    ) -> list[VideoResult]:
        pending = list(videos)
        try:
            while pending or self._running:
                while pending and len(self._running) - len(self._finished) < jobs:
                    self._start(pending.pop(0))
                try:
                    event: RunEvent | None = events.get(timeout=self._until_deadline())
                except queue.Empty:
                    event = None
                if event is not None and event.execution_arn in self._running:
                    self._progress.show(event)
                    if isinstance(event, ExecutionFinished):
                        # The next video starts before this one's folder and report are
                        # written: two cores are not left with one job while they are.
                        self._finished.add(event.execution_arn)
                        while pending and len(self._running) - len(self._finished) < jobs:
                            self._start(pending.pop(0))
                        self._collect(event.execution_arn)
                for arn, (_video, deadline) in list(self._running.items()):
                    if time.monotonic() > deadline and not self._runtime.finished(arn):
                        self._stop(arn, "LocalTimeout", TIMEOUT_CAUSE.format(self._timeout))
                        self._settle(arn)
        except KeyboardInterrupt:
            in_flight = list(self._running)
            for arn in in_flight:
                self._stop(arn, "LocalInterrupt", INTERRUPT_CAUSE)
            for arn in in_flight:
                self._settle(arn)
            raise RunInterrupted(self.results, len(in_flight), len(pending)) from None
        except OutOfSpaceError as error:
            # Nothing more can be written: the others are stopped, not left running unseen.
            in_flight = list(self._running)
            for arn in in_flight:
                self._stop(arn, "LocalOutOfSpace", OUT_OF_SPACE_CAUSE)
            for arn in in_flight:
                self._runtime.wait(arn, timeout=_STOP_SECONDS)
            # The one that found the disk full has ended; its folder is not written.
            stopped = len(in_flight) - 1
            raise OutOfSpaceError(
                f"--out {error}. {_counted(len(self.results), 'video folder')} written"
                + (f", {_counted(stopped, 'video')} stopped" if stopped else "")
                + (f", {_counted(len(pending), 'video')} not started" if pending else "")
            ) from None
        return self.results

    def _start(self, video: Path) -> None:
        event = self._runtime.upload(video, f"{self._user}/{video.name}", self._metadata)
        for arn in self._runtime.dispatch(event, video.stem):
            self._running[arn] = (video, time.monotonic() + self._timeout)
            self._progress.track(arn, video.name)

    def _until_deadline(self) -> float | None:
        if not self._running:
            return None
        return max(0.0, min(d for _, d in self._running.values()) - time.monotonic())

    def _stop(self, arn: str, error: str, cause: str) -> None:
        """Stop the execution as StopExecution does; its end is reported like any other stop
        (the video marked FAILED, the failure email sent)."""
        if self._runtime.status(arn) not in TERMINAL:
            self._runtime.sfn.stop_execution(executionArn=arn, error=error, cause=cause)

    def _settle(self, arn: str) -> None:
        self._runtime.wait(arn, timeout=_STOP_SECONDS)
        self._collect(arn)

    def _collect(self, arn: str) -> None:
        video, _ = self._running[arn]
        source = LocalSource(self._runtime, arn)
        result = write_video_folder(source, self._out, self._taken, label=str(video))
        self.results.append(result)
        # Only once its folder is written: a Ctrl-C while writing it stops and writes it again.
        del self._running[arn]
        self._finished.discard(arn)
        self._runtime.release(arn)
        self._draw_report(result)

    def _draw_report(self, result: VideoResult) -> None:
        """A video's report, drawn as soon as its folder is written while the others still
        run: it can be opened at once, and the batch's reports no longer wait, one after
        another on one core, for its last video. Whatever stops it (a full disk) is left to
        `record_run`, which draws what is missing and says what was lost, as it always did."""
        if result.folder is None:
            return
        try:
            if self._definition is None:
                self._definition = report.load_definition(self._runtime.template.path)
            report.build_video_report(result.folder, self._definition)
        except Exception:  # noqa: BLE001, S110 - drawn again, and any error raised, at the end
            pass


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def record_run(results: list[VideoResult], out: Path, template: Path) -> Path:
    """Write the run's `runs.json`, each video's report and the batch's index; returns the
    index. The video folders are complete by then: a disk that fills now loses only these, which
    `reelscribe report` draws again."""
    try:
        write_runs(out, results)
        # Most were drawn as their videos finished (each folder is new to this run).
        missing = [
            result.folder
            for result in results
            if result.folder is not None and not (result.folder / "report.html").exists()
        ]
        if missing:
            definition = report.load_definition(template)
            for folder in missing:
                report.build_video_report(folder, definition)
        return report.build_index(out)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise OutOfSpaceError(
            f"--out {out}: no room left for the run's reports ({error.strerror}). "
            f"{_counted(len(results), 'video folder')} written whole; once there is room, "
            f"`reelscribe report {out}` draws the reports"
        ) from None
