"""The progress a run prints as it goes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TextIO

from .runtime import LocalRuntime

_TRANSCODE_STATES = {"Wait for Transcode", "Get Transcode Job", "Count Transcode Poll"}


class Progress:
    """A line for each state the first time an execution enters it (a poll loop's states repeat
    quietly), with the time since the run began, then the transcode's percentage as it rises.
    Looked at four times a second: the CPU is the transcode's."""

    INTERVAL = 0.25

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self._stream, self._quiet = stream, quiet
        self._looked: dict[str, float] = {}
        self._cursor: dict[str, int] = {}
        self._entered: dict[str, set[str]] = {}
        self._current: dict[str, str] = {}
        self._transcode: dict[str, str] = {}
        self._video_ids: dict[str, str] = {}
        self._started = datetime.now(UTC)

    def update(
        self, runtime: LocalRuntime, label: str, execution_arn: str, *, last: bool = False
    ) -> None:
        """Print what happened since the last look; `last` looks now, once the execution ended."""
        now = time.monotonic()
        if self._quiet:
            return
        if not last and now - self._looked.get(execution_arn, -self.INTERVAL) < self.INTERVAL:
            return
        self._looked[execution_arn] = now
        states, self._cursor[execution_arn] = runtime.states_entered(
            execution_arn, self._cursor.get(execution_arn, 0)
        )
        entered = self._entered.setdefault(execution_arn, set())
        for name, at in states:
            self._current[execution_arn] = name
            if name not in entered:
                entered.add(name)
                self._print(at, label, name)
        if self._current.get(execution_arn) in _TRANSCODE_STATES:
            transcode = self._transcode_progress(runtime, execution_arn)
            if transcode and self._transcode.get(execution_arn) != transcode:
                self._transcode[execution_arn] = transcode
                self._print(datetime.now(UTC), label, f"  {transcode}")

    def _print(self, at: datetime, label: str, text: str) -> None:
        elapsed = max(0.0, (at - self._started).total_seconds())
        print(f"  [{elapsed:6.1f}s] {label:<28.28} {text}", file=self._stream, flush=True)

    def _transcode_progress(self, runtime: LocalRuntime, arn: str) -> str:
        if arn not in self._video_ids:
            # Parse Upload ended a score of events before the transcode's first poll: read the
            # whole history, once.
            for event in runtime.history(arn):
                details = event.get("stateExitedEventDetails") or {}
                if details.get("name") == "Parse Upload":
                    self._video_ids[arn] = json.loads(details["output"])["video"]["videoId"]
        video_id = self._video_ids.get(arn)
        if video_id is None:
            return ""
        for job in runtime.mediaconvert.jobs():
            if job.get("UserMetadata", {}).get("videoId") == video_id:
                percent = int(job.get("JobPercentComplete") or 0) // 10 * 10
                return f"transcode {job['Status'].lower()}, {percent}%"
        return ""
