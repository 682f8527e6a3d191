"""The progress a run prints as it goes, from the events the runtime pushes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from ..runtime.events import JobProgress, RunEvent, StateEntered


class Progress:
    """A line for each state the first time an execution enters it (a poll loop's states repeat
    quietly), with the time since the run began, then its transcode's percentage as it rises,
    in tens."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self._stream, self._quiet = stream, quiet
        self._labels: dict[str, str] = {}
        self._entered: dict[str, set[str]] = {}
        self._transcode: dict[str, str] = {}
        self._started = datetime.now(UTC)

    def track(self, execution_arn: str, label: str) -> None:
        """Show the execution's events under `label` (its video's file name)."""
        self._labels[execution_arn] = label

    def show(self, event: RunEvent) -> None:
        label = self._labels.get(event.execution_arn)
        if self._quiet or label is None:
            return
        if isinstance(event, StateEntered):
            entered = self._entered.setdefault(event.execution_arn, set())
            if event.name not in entered:
                entered.add(event.name)
                self._print(event.at, label, event.name)
        elif isinstance(event, JobProgress):
            text = f"  transcode {event.status.lower()}, {event.percent // 10 * 10}%"
            if self._transcode.get(event.execution_arn) != text:
                self._transcode[event.execution_arn] = text
                self._print(event.at, label, text)

    def _print(self, at: datetime, label: str, text: str) -> None:
        elapsed = max(0.0, (at - self._started).total_seconds())
        print(f"  [{elapsed:6.1f}s] {label:<28.28} {text}", file=self._stream, flush=True)
