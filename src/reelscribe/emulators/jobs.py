"""Who hears of an emulated job's end (the local Wait states, through the runtime)."""

from __future__ import annotations

from typing import Protocol


class JobWatcher(Protocol):
    def job_finished(self, job_id: str) -> None:
        """The job reached a final status."""

    def job_read(self, job_id: str) -> None:
        """The job's final status was returned to a caller."""
