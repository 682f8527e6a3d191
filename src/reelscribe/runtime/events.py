"""What the local runtime tells its subscribers as a run goes on, pushed as it happens.

A subscriber is called on the engine's threads, often while the engine holds a lock: it should
hand the event over (to a queue) rather than work on it there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StateEntered:
    execution_arn: str
    name: str
    at: datetime


@dataclass(frozen=True)
class JobProgress:
    """An emulated MediaConvert job that an execution started changed status or progress."""

    execution_arn: str
    status: str  # MediaConvert's: SUBMITTED, PROGRESSING, COMPLETE, ERROR, CANCELED
    percent: int
    at: datetime


@dataclass(frozen=True)
class ExecutionFinished:
    """The execution ended, and what its end set off (its status change event's targets) has
    run: its records and notifications are complete."""

    execution_arn: str
    status: str


RunEvent = StateEntered | JobProgress | ExecutionFinished
Subscriber = Callable[[RunEvent], None]
