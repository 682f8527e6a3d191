"""The local runtime's poll loops, read back from an execution's history and held to the rule
that a Wait ends early when, and only when, the job its own loop reads next has finished.

`EngineClock` is the runtime's `job_finishing` hook: it can slow or jitter each service's
engine, and notes when every job finished. `loop_waits` reads each Wait of a history with the
seconds it was to last and the job that the Task after it read, found in that Task's request.
"""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# History timestamps are whole milliseconds, cut short.
STAMP = timedelta(milliseconds=1)
# A Wait shorter than its seconds by more than this ended early.
EARLY = 0.25
# A Wait whose job has finished ends within this of the later of the job's end and its start:
# time enough for the engine's threads to be scheduled on a busy machine.
WAKE = 1.0


class EngineClock:
    """`delay(service, job_id)` seconds added to each engine's work; each job's end noted."""

    def __init__(self, delay: Callable[[str, str], float] | None = None) -> None:
        self._delay = delay
        self._lock = threading.Lock()
        self.finished: dict[str, datetime] = {}
        self.services: dict[str, str] = {}

    def __call__(self, service: str, job_id: str) -> None:
        if self._delay is not None:
            time.sleep(self._delay(service, job_id))
        with self._lock:
            self.finished[job_id] = datetime.now(UTC)
            self.services[job_id] = service


@dataclass(frozen=True)
class LoopWait:
    state: str
    seconds: int
    entered: datetime
    exited: datetime
    job: str  # the job the Task after the Wait read

    @property
    def lasted(self) -> float:
        return (self.exited - self.entered).total_seconds()


def _seconds_paths(states: dict[str, Any], found: dict[str, str]) -> dict[str, str]:
    for name, state in states.items():
        if state["Type"] == "Wait" and "SecondsPath" in state:
            found[name] = state["SecondsPath"]
        for inner in [state.get("ItemProcessor") or {}, *state.get("Branches", [])]:
            _seconds_paths(inner.get("States", {}), found)
    return found


def _at(path: str, document: Any) -> Any:
    for part in path.removeprefix("$.").split("."):
        document = document[part]
    return document


def _following(history: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    following: dict[int, list[dict[str, Any]]] = {}
    for event in history:  # branches and iterations may follow the same event
        following.setdefault(event.get("previousEventId", 0), []).append(event)
    return following


def _stamp(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@functools.cache
def _pipeline_seconds_paths() -> dict[str, str]:
    definition = json.loads((ROOT / "statemachine" / "pipeline.asl.json").read_text())
    return _seconds_paths(definition["States"], {})


def _wait_seconds(entered: dict[str, Any]) -> int:
    details = entered["stateEnteredEventDetails"]
    path = _pipeline_seconds_paths()[details["name"]]
    return int(_at(path, json.loads(details["input"])))


def cut_short(history: list[dict[str, Any]]) -> list[str]:
    """Waits that ended early although their loop went round again: the read after them found
    the job still running, so the Wait ended for something other than its own job's end."""
    following = _following(history)
    short = []
    for entered in history:
        if entered["type"] != "WaitStateEntered":
            continue
        name = entered["stateEnteredEventDetails"]["name"]
        (exited,) = following[entered["id"]]
        lasted = (_stamp(exited["timestamp"]) - _stamp(entered["timestamp"])).total_seconds()
        if lasted >= _wait_seconds(entered) - EARLY:
            continue
        event = exited
        while len(following.get(event["id"], [])) == 1:  # the loop's states run in a line
            event = following[event["id"]][0]
            if event["type"] == "WaitStateEntered":
                if event["stateEnteredEventDetails"]["name"] == name:
                    short.append(f"{name} at {entered['timestamp']} lasted {lasted:.3f} s")
                break
    return short


def loop_waits(history: list[dict[str, Any]], jobs: set[str]) -> list[LoopWait]:
    """Every Wait of the pipeline's history whose next Task asked about one of `jobs`."""
    following = _following(history)

    def after(event: dict[str, Any], *types: str) -> dict[str, Any]:
        (found,) = [e for e in following[event["id"]] if e["type"] in types]
        return found

    waits = []
    for entered in history:
        if entered["type"] != "WaitStateEntered":
            continue
        details = entered["stateEnteredEventDetails"]
        exited = after(entered, "WaitStateExited")
        task = after(exited, "TaskStateEntered")
        scheduled = after(task, "TaskScheduled", "LambdaFunctionScheduled")
        request = (
            scheduled.get("taskScheduledEventDetails", {}).get("parameters")
            or scheduled.get("lambdaFunctionScheduledEventDetails", {}).get("input")
            or ""
        )
        (job,) = {job for job in jobs if job in request}
        seconds = _wait_seconds(entered)
        waits.append(
            LoopWait(details["name"], seconds, entered["timestamp"], exited["timestamp"], job)
        )
    return waits


def wrong_waits(waits: list[LoopWait], finished: dict[str, datetime]) -> list[str]:
    """What breaks the rule: a Wait that ended early before its own job finished, and one that
    went on waiting after it had."""
    wrong = []
    for wait in waits:
        end = finished.get(wait.job)
        done = end is not None and end <= wait.exited + STAMP
        if wait.lasted < wait.seconds - EARLY and not done:
            ended = f"at {end:%T.%f}" if end else "later"
            wrong.append(
                f"{wait.state} from {wait.entered:%T.%f} to {wait.exited:%T.%f} of "
                f"{wait.seconds} s; {wait.job} finished {ended}"
            )
        if end is not None and done:
            late = (wait.exited - max(wait.entered, end)).total_seconds()
            if late > WAKE:
                wrong.append(f"{wait.state} went on {late:.2f} s after {wait.job} finished")
    return wrong


def excess_polls(waits: list[LoopWait], finished: dict[str, datetime]) -> list[str]:
    """Loops that asked about their job more often than its run needed: a loop that waits its
    seconds between reads and wakes when the job ends reads it at most once a wait while it
    runs, and once more after."""
    excess = []
    for job in dict.fromkeys(wait.job for wait in waits):
        loop = [wait for wait in waits if wait.job == job]
        ran = max(0.0, (finished[job] - loop[0].entered).total_seconds())
        needed = math.ceil(ran / loop[0].seconds) + 1
        if len(loop) > needed:
            excess.append(f"{loop[0].state}: {len(loop)} reads of {job} over {ran:.1f} s")
    return excess
