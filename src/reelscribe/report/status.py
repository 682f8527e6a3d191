"""What happened to each state of the definition in one execution, as the report draws it.

The statuses are the one vocabulary of `results.Status`, ranked as it ranks them; the report
draws two refinements of its own: a state that succeeded after a Retry, and a state the
execution never reached. Their lower-case keys are the CSS classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from video_pipeline import failures

from ..results import StateRun, Status, most_telling

SUCCEEDED = Status.SUCCEEDED.css
CAUGHT = Status.CAUGHT.css
FAILED = Status.FAILED.css
RUNNING = Status.RUNNING.css
RETRIED = "retried"
NOT_REACHED = "not-reached"

LABELS = {
    SUCCEEDED: "Succeeded",
    RETRIED: "Retried, then succeeded",
    CAUGHT: "Caught: failed, then handled",
    FAILED: "Failed",
    RUNNING: "Did not finish",
    NOT_REACHED: "Not reached",
}
SHORT = {
    SUCCEEDED: "Succeeded",
    RETRIED: "Retried",
    CAUGHT: "Caught",
    FAILED: "Failed",
    RUNNING: "Unfinished",
    NOT_REACHED: "Not reached",
}
ICONS = {
    SUCCEEDED: "✓",
    RETRIED: "↻",
    CAUGHT: "↪",
    FAILED: "✕",
    RUNNING: "…",
    NOT_REACHED: "○",
}
# A state left when the execution was stopped or timed out is drawn as one that did not finish.
_DRAWN_AS = {Status.ABORTED: Status.RUNNING, Status.TIMED_OUT: Status.RUNNING}

# The report's cells are narrower than an email: causes are cut sooner.
CAUSE_CHARACTERS = 400


def plain_cause(cause: object, limit: int = CAUSE_CHARACTERS) -> str:
    """A cause as a person reads it, cleaned as the failure email cleans it."""
    return failures.plain_cause(cause, limit)


def drawn(status: Status, retried: bool = False) -> str:
    """The key a status is drawn with."""
    if status == Status.SUCCEEDED and retried:
        return RETRIED
    return _DRAWN_AS.get(status, status).css


def run_status(run: StateRun) -> str:
    return drawn(run.status, run.retries > 0)


@dataclass
class Outcome:
    status: str = NOT_REACHED
    runs: list[StateRun] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(r.seconds or 0.0 for r in self.runs)

    @property
    def retries(self) -> int:
        return sum(r.retries for r in self.runs)


def outcomes(runs: list[StateRun]) -> dict[str, Outcome]:
    """Each state name's runs, and the status it is drawn with: its most telling run's."""
    found: dict[str, Outcome] = {}
    for run in runs:
        found.setdefault(run.name, Outcome()).runs.append(run)
    for outcome in found.values():
        status = most_telling(r.status for r in outcome.runs) or Status.RUNNING
        outcome.status = drawn(status, outcome.retries > 0)
    return found


def transitions(history: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """The (from, to) pairs the execution took: a state's entry event points back at the exit
    event of the state before it, which keeps Parallel branches apart."""
    by_id = {int(e.get("id") or 0): e for e in history}
    taken: set[tuple[str, str]] = set()
    for event in history:
        entered = event.get("stateEnteredEventDetails")
        if not isinstance(entered, dict):
            continue
        previous = by_id.get(int(event.get("previousEventId") or 0)) or {}
        exited = previous.get("stateExitedEventDetails")
        if isinstance(exited, dict):
            taken.add((str(exited.get("name")), str(entered.get("name"))))
    return taken
