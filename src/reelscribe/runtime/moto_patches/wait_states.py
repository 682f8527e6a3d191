"""Local Wait states end when the emulated job they wait on has finished.

Every Wait in the pipeline is the pause of a poll loop: wait, ask for the job's status, wait
again. ASL counts waits in whole seconds, so locally each loop waits one second, and after a
job ends the execution sits out the rest of that second before it looks: half a second a job on
average, a tenth of a short run. Here a Wait state ends at once when its input names an emulated
MediaConvert or Transcribe job that has reached a final status nobody has read yet, whether the
job ended during the wait or just before it began. The execution sees what it would see had its
poll landed just after the job ended: the same states in the same order, the same job statuses,
and a Wait event that is merely shorter.

Any other Wait waits its full time: one whose input names no such job, and every Wait once the
job's final status has been read. Stopping or failing an execution still ends its waits at
once, as in moto.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

from .patching import Patch, replace

# Held while a Wait checks whether to go on waiting and while anything that should end a wait
# happens, so no wake-up can fall between the check and the wait.
_changed = threading.Condition()
# Jobs that have finished and whose final status no GetJob or GetTranscriptionJob has returned.
_unread: set[str] = set()


def job_finished(job_id: str) -> None:
    """An emulated job reached COMPLETE, ERROR, COMPLETED or FAILED."""
    with _changed:
        _unread.add(job_id)
        _changed.notify_all()


def job_read(job_id: str) -> None:
    """A finished job's final status was returned to a caller: its poll loop is over."""
    with _changed:
        _unread.discard(job_id)


def _wait_interval(self: WaitFunction, env: Environment, wait_seconds: int) -> None:
    deadline = time.monotonic() + wait_seconds
    text = json.dumps(env.states.get_input())
    with _changed:
        while env.is_running() and not any(job in text for job in _unread):
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


PATCHES = [
    replace(WaitFunction, "_wait_interval", _wait_interval),
    *(
        Patch(Environment, name, _announcing)
        for name in ("set_ended", "set_error", "set_timed_out", "set_stop")
    ),
]
REQUIRED = [(Environment, "is_running")]
