"""Local Wait states end when an emulated job finishes.

Every Wait in the pipeline is the pause of a poll loop: wait, ask for the job's status, wait
again. ASL counts waits in whole seconds, so locally each loop waits one second, and after a
job ends the execution sits out the rest of that second before it looks: half a second a job on
average, a tenth of a short run. Here, when an emulated MediaConvert or Transcribe job reaches
a final status, every Wait state then waiting ends at once, as if its timer had just run out.
The execution sees what it would see had its poll landed just after the job ended: the same
states in the same order, the same job statuses, and a Wait event that is merely shorter.

A Wait with no job finishing meanwhile waits its full time; stopping or failing an execution
still ends its waits at once, as in moto. A job's end also wakes the waits of other executions,
which then poll one extra time: harmless, since a poll is a status read and the poll budget
is hundreds of checks.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

# Held while a Wait checks whether to go on waiting and while anything that should end a wait
# happens, so no wake-up can fall between the check and the wait.
_changed = threading.Condition()
_jobs_finished = 0


def job_finished() -> None:
    """An emulated job reached COMPLETE, ERROR, COMPLETED or FAILED: end the waits in progress."""
    global _jobs_finished
    with _changed:
        _jobs_finished += 1
        _changed.notify_all()


def _wait_interval(self: WaitFunction, env: Environment, wait_seconds: int) -> None:
    deadline = time.monotonic() + wait_seconds
    with _changed:
        seen = _jobs_finished
        while env.is_running() and _jobs_finished == seen:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            _changed.wait(left)


def _announcing(set_state: Any) -> Any:
    """moto ends a wait early when the execution stops, fails or times out; so does this."""

    def announced(self: Environment, *args: Any, **kwargs: Any) -> None:
        set_state(self, *args, **kwargs)
        with _changed:
            _changed.notify_all()

    return announced


_applied: list[bool] = []


def apply() -> None:
    if _applied:
        return
    _applied.append(True)
    WaitFunction._wait_interval = _wait_interval  # type: ignore[method-assign]
    for name in ("set_ended", "set_error", "set_timed_out", "set_stop"):
        setattr(Environment, name, _announcing(getattr(Environment, name)))
