"""Running a transcode plan's ffmpeg process, with progress, and publishing its outputs."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from typing import IO

from .command import PlannedOutput, TranscodePlan
from .errors import TranscodeError

_STDERR_TAIL_LINES = 10


def run_transcode(
    plan: TranscodePlan,
    duration_seconds: float,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Run the plan's ffmpeg command, reporting progress as whole percentages.

    ``on_progress`` receives 0 at the start, increasing values while ffmpeg works (from
    its ``out_time_us`` against ``duration_seconds``) and 100 once every output is in
    place. Outputs are written under temporary names and renamed into place only when the
    whole job succeeds. If this function raises - :class:`TranscodeError` when ffmpeg
    fails, or whatever ``on_progress`` raised, after ffmpeg is killed - no output is left.
    """
    for output in plan.outputs:
        output.local_path.parent.mkdir(parents=True, exist_ok=True)
        output.partial_path.parent.mkdir(parents=True, exist_ok=True)
    progress = ProgressReporter(duration_seconds, on_progress)
    try:
        progress.report(0)
        returncode, stderr_tail = _run_ffmpeg(plan.argv, progress)
        if returncode != 0:
            raise TranscodeError(_failure_message(returncode, stderr_tail))
        _publish_outputs(plan.outputs)
        progress.report(100)
    except BaseException:
        _discard_outputs(plan.outputs)
        raise


def _run_ffmpeg(argv: list[str], progress: ProgressReporter) -> tuple[int, list[str]]:
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except OSError as error:
        raise TranscodeError(f"ffmpeg could not be started: {error}") from error
    assert process.stdout is not None
    assert process.stderr is not None
    stderr_tail: deque[str] = deque(maxlen=_STDERR_TAIL_LINES)
    # stderr is drained on its own thread so a chatty ffmpeg never blocks on a full pipe.
    drain = threading.Thread(target=_collect_lines, args=(process.stderr, stderr_tail))
    drain.start()
    try:
        for line in process.stdout:
            progress.feed(line)
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        drain.join()
        process.stdout.close()
        process.stderr.close()
    return returncode, list(stderr_tail)


def _collect_lines(stream: IO[str], sink: deque[str]) -> None:
    for line in stream:
        if line.strip():
            sink.append(line.rstrip())


def _failure_message(returncode: int, stderr_tail: list[str]) -> str:
    if returncode < 0:
        reason = f"ffmpeg was killed by signal {-returncode}"
    else:
        reason = f"ffmpeg exited with status {returncode}"
    return "\n".join([reason, *stderr_tail]) if stderr_tail else reason


def _publish_outputs(outputs: list[PlannedOutput]) -> None:
    missing = [o.destination for o in outputs if not _has_content(o)]
    if missing:
        raise TranscodeError(f"ffmpeg finished without writing {', '.join(missing)}")
    for output in outputs:
        if output.is_sequence:
            shutil.rmtree(output.local_path.parent, ignore_errors=True)
            output.partial_path.parent.replace(output.local_path.parent)
        else:
            output.partial_path.replace(output.local_path)


def _has_content(output: PlannedOutput) -> bool:
    if output.is_sequence:
        folder = output.partial_path.parent
        return folder.is_dir() and any(p.stat().st_size > 0 for p in folder.iterdir())
    path = output.partial_path
    return path.is_file() and path.stat().st_size > 0


def _discard_outputs(outputs: list[PlannedOutput]) -> None:
    for output in outputs:
        if output.is_sequence:
            shutil.rmtree(output.partial_path.parent, ignore_errors=True)
            shutil.rmtree(output.local_path.parent, ignore_errors=True)
            continue
        output.partial_path.unlink(missing_ok=True)
        output.local_path.unlink(missing_ok=True)


class ProgressReporter:
    """Turns ``-progress`` key=value lines into rising whole percentages."""

    def __init__(self, duration_seconds: float, callback: Callable[[int], None] | None):
        self._duration_us = duration_seconds * 1_000_000
        self._callback = callback
        self._last = -1

    def feed(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        if key != "out_time_us" or self._duration_us <= 0:
            return
        try:
            out_time_us = int(value)
        except ValueError:
            return  # "N/A" before the first frame is out
        # 100 is kept for the moment the outputs are actually in place.
        self.report(min(99, max(0, int(out_time_us * 100 / self._duration_us))))

    def report(self, percent: int) -> None:
        if self._callback is not None and percent > self._last:
            self._last = percent
            self._callback(percent)
