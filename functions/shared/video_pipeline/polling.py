"""How often, and how many times, to poll a job, derived from the media's duration.

A short clip is checked every few seconds; a feature film less often, so it doesn't spend state
transitions (which are billed) asking too early. Every check is written to the execution's
history, which Step Functions stops at 25,000 events, and one execution polls the transcode, the
transcription and the Rekognition Video analyses (which share six jobs' checks, vision_plan.py):
so a job is checked at most MAX_POLLS times, and longer media wait longer between checks instead.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

# Expected checks over a job that runs about as long as the media; then bounded generously.
_CHECKS_PER_MEDIA_DURATION = 10
_BUDGET_BASE_SECONDS = 900
_BUDGET_PER_MEDIA_SECOND = 4
# Eight loops' worth of at most this many checks, each retried to its limit, stay well inside the
# history limit (tests/unit/test_history_limit.py counts them from the state machine).
MAX_POLLS = 80


class PollPlan(BaseModel):
    waitSeconds: int
    maxPolls: int
    polls: int = 0


def poll_plan(duration_seconds: float, min_wait: int, max_wait: int) -> PollPlan:
    """The wait keeps within [min_wait, max_wait] until MAX_POLLS checks would no longer cover
    four times the media's duration; past that it grows with the duration. The checks cover
    the whole budget (a queue plus four times the duration) unless the wait is so short that
    MAX_POLLS of them end sooner."""
    wait = math.ceil(duration_seconds / _CHECKS_PER_MEDIA_DURATION)
    wait = max(min_wait, min(max_wait, wait))
    wait = max(wait, math.ceil(_BUDGET_PER_MEDIA_SECOND * duration_seconds / MAX_POLLS))
    budget = _BUDGET_BASE_SECONDS + _BUDGET_PER_MEDIA_SECOND * duration_seconds
    return PollPlan(waitSeconds=wait, maxPolls=max(3, min(MAX_POLLS, math.ceil(budget / wait))))


def shared_poll_plan(plan: PollPlan, jobs: int, checks: int) -> PollPlan:
    """For `jobs` jobs that together check about `checks` times (each at least 3): each waits
    as long in all as `plan` does, checking less often."""
    polls = max(3, min(plan.maxPolls, checks // max(1, jobs)))
    return PollPlan(waitSeconds=math.ceil(plan.waitSeconds * plan.maxPolls / polls), maxPolls=polls)
