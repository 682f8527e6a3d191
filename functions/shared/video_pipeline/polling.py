"""How often, and how many times, to poll a job, derived from the media's duration.

A short clip is checked every few seconds; a feature film is checked about once a minute,
so it doesn't spend state transitions (which are billed) asking too early.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

# Expected checks over a job that runs about as long as the media; then bounded generously.
_CHECKS_PER_MEDIA_DURATION = 10
_BUDGET_BASE_SECONDS = 900
_BUDGET_PER_MEDIA_SECOND = 4


class PollPlan(BaseModel):
    waitSeconds: int
    maxPolls: int
    polls: int = 0


def poll_plan(duration_seconds: float, min_wait: int, max_wait: int) -> PollPlan:
    wait = math.ceil(duration_seconds / _CHECKS_PER_MEDIA_DURATION)
    wait = max(min_wait, min(max_wait, wait))
    budget = _BUDGET_BASE_SECONDS + _BUDGET_PER_MEDIA_SECOND * duration_seconds
    return PollPlan(waitSeconds=wait, maxPolls=max(3, math.ceil(budget / wait)))
