"""What happened to each state of the definition in one execution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from video_pipeline import failures

SUCCEEDED = "succeeded"
RETRIED = "retried"
CAUGHT = "caught"
FAILED = "failed"
RUNNING = "running"
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
# A state run several times (a poll loop) shows the most telling thing that happened to it.
_WEIGHT = {FAILED: 5, CAUGHT: 4, RUNNING: 3, RETRIED: 2, SUCCEEDED: 1, NOT_REACHED: 0}


# The report's cells are narrower than an email: causes are cut sooner.
CAUSE_CHARACTERS = 400


def plain_cause(cause: object, limit: int = CAUSE_CHARACTERS) -> str:
    """A cause as a person reads it, cleaned as the failure email cleans it."""
    return failures.plain_cause(cause, limit)


def run_status(run: dict[str, Any]) -> str:
    raw = str(run.get("status") or "")
    if raw == "FAILED":
        return FAILED
    if raw == "CAUGHT":
        return CAUGHT
    if raw in ("RUNNING", "ABORTED", "TIMED_OUT"):
        return RUNNING
    return RETRIED if int(run.get("retries") or 0) > 0 else SUCCEEDED


@dataclass
class Outcome:
    status: str = NOT_REACHED
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(float(r.get("seconds") or 0.0) for r in self.runs)

    @property
    def retries(self) -> int:
        return sum(int(r.get("retries") or 0) for r in self.runs)


def outcomes(runs: list[dict[str, Any]]) -> dict[str, Outcome]:
    """Each state name's runs, and the status it is drawn with."""
    found: dict[str, Outcome] = {}
    for run in runs:
        outcome = found.setdefault(str(run.get("name")), Outcome())
        outcome.runs.append(run)
        status = run_status(run)
        if _WEIGHT[status] > _WEIGHT[outcome.status]:
            outcome.status = status
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
