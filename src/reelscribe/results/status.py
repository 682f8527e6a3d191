"""How an execution or one of its states ended, in Step Functions' own words, ranked once.

The summary, the report and the index all read statuses through this vocabulary. `CAUGHT` is
the one word Step Functions does not have: a state whose error a Catch handled.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    RUNNING = "RUNNING"
    CAUGHT = "CAUGHT"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"
    FAILED = "FAILED"

    @property
    def rank(self) -> int:
        """How telling the status is: a state run several times (a poll loop) shows its most
        telling run. Declaration order is the ranking."""
        return _ORDER.index(self)

    @property
    def ended_badly(self) -> bool:
        """Failed, stopped or timed out: the execution did not do its work."""
        return self in (Status.FAILED, Status.ABORTED, Status.TIMED_OUT)

    @property
    def label(self) -> str:
        """The words a person reads: "Timed Out"."""
        return self.value.replace("_", " ").title()

    @property
    def css(self) -> str:
        """The lower-case class the report styles it by."""
        return self.value.lower().replace("_", "-")

    @classmethod
    def parse(cls, value: object) -> Status | None:
        try:
            return cls(str(value))
        except ValueError:
            return None


_ORDER = tuple(Status)


def most_telling(statuses: Iterable[Status]) -> Status | None:
    return max(statuses, key=lambda status: status.rank, default=None)
