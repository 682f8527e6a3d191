"""Who hears of an emulated job's changes (the local Wait states and progress, through the
runtime)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class JobWatcher(Protocol):
    def job_changed(self, job: Mapping[str, Any]) -> None:
        """The job was created (on the creating caller's thread), or its status or progress
        changed; `job` is what GetJob would answer."""

    def job_finishing(self, job_id: str) -> None:
        """The job's engine is done and its final status is about to be set (on the job's
        worker thread, before anything else can see it): where a test slows an engine."""

    def job_finished(self, job_id: str) -> None:
        """The job reached a final status. Called as that status is set, under the lock its
        reads take, so no caller is given the final status before the watcher hears of it."""

    def job_read(self, job_id: str) -> None:
        """The job's final status was returned to a caller."""
