"""Local Wait states end when the job their own poll loop reads next has finished.

Every Wait in the pipeline is the pause of a poll loop: wait, ask for a job's status, wait again.
Here a Wait ends at once when the state it goes on to would ask about an emulated job
(MediaConvert, Transcribe, Rekognition Video) that has reached a final status nobody has read
yet, whether the job ended during the Wait or just before it began. The execution sees what it
would see had its poll landed just after the job ended: the same states in the same order, the
same job statuses, and a Wait event that is merely shorter.

Which job that is comes from the definition, not from a list of state names. As a definition is
parsed, each Wait is tied to its `Next` state when that is a Task; when the Wait begins, moto's
own components work out what that Task would send (the Wait's output, then the Task's InputPath
and Parameters, or for a Lambda its payload) from the Wait's input, and every string in that
request is an id the poll may read. A state's input often names other jobs too (after Start
Video Analysis the transcription loop's state carries the Rekognition job ids): those never end
its Wait.

Any other Wait waits its full time: one whose `Next` is no Task, one whose Task names no such
job, and every Wait once the job's final status has been read. Stopping or failing an execution
still ends its waits at once, as in moto.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

from moto.stepfunctions.parser.asl.component.program.states import States
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask
from moto.stepfunctions.parser.asl.component.state.state_continue_with import ContinueWithNext
from moto.stepfunctions.parser.asl.component.state.wait.state_wait import StateWait
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

from .patching import Patch, replace

# Held while a Wait checks whether to go on waiting and while anything that should end a wait
# happens, so no wake-up can fall between the check and the wait.
_changed = threading.Condition()
# Jobs that have finished and whose final status no Get call has returned.
_unread: set[str] = set()
# Each parsed Wait's state, and the Task its loop polls with (its `Next`).
_polls: weakref.WeakKeyDictionary[WaitFunction, tuple[StateWait, StateTask]] = (
    weakref.WeakKeyDictionary()
)


def job_finished(job_id: str) -> None:
    """An emulated job reached a final status (COMPLETE, ERROR, COMPLETED, SUCCEEDED, FAILED).
    Emulators call it as they set that status, under the lock their reads take, so no read can
    return the final status before this flag is up."""
    with _changed:
        _unread.add(job_id)
        _changed.notify_all()


def job_read(job_id: str) -> None:
    """A finished job's final status was returned to a caller: its poll loop is over."""
    with _changed:
        _unread.discard(job_id)


def _tie(states: States) -> None:
    for state in states.states.values():
        if isinstance(state, StateWait) and isinstance(state.continue_with, ContinueWithNext):
            following = states.states.get(state.continue_with.next_state.name)
            if isinstance(following, StateTask):
                _polls[state.wait_function] = (state, following)


def _tying_waits(visit_states: Any) -> Any:
    """Ties each Wait of a parsed `States` block to the Task it goes on to."""

    def visit(self: Preprocessor, ctx: Any) -> States:
        states: States = visit_states(self, ctx)
        _tie(states)
        return states

    return visit


def tie_waits(program: Any) -> None:
    """Ties the Waits of a program that was not parsed in this process (one loaded from the
    parsed-definition cache) as parsing would have: every `States` block in its components."""
    seen: set[int] = set()
    pending = [program]
    while pending:
        component = pending.pop()
        if id(component) in seen:
            continue
        seen.add(id(component))
        if isinstance(component, States):
            _tie(component)
        if isinstance(component, dict):
            pending.extend(component.values())
        elif isinstance(component, list | tuple):
            pending.extend(component)
        elif type(component).__module__.startswith("moto.stepfunctions"):
            pending.extend(getattr(component, "__dict__", {}).values())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def polled_ids(env: Environment, wait: StateWait, task: StateTask) -> frozenset[str]:
    """The strings of the request `task` would send after `wait` passes its input on, evaluated
    by moto's components in a scratch frame that records no events."""
    frame = Environment.as_frame_of(env)
    frame.states.reset(input_value=env.states.get_input())
    try:
        wait._eval_state_input(frame)
        wait._eval_state_output(frame)
        task._eval_state_input(frame)
        request = task._eval_parameters(frame)
    except Exception:  # noqa: BLE001 - the Task meets the same error and reports it itself
        return frozenset()
    return frozenset(_strings(request))


def _wait_interval(self: WaitFunction, env: Environment, wait_seconds: int) -> None:
    deadline = time.monotonic() + wait_seconds
    poll = _polls.get(self)
    polled = polled_ids(env, *poll) if poll is not None else frozenset()
    with _changed:
        while env.is_running() and _unread.isdisjoint(polled):
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
    Patch(Preprocessor, "visitStates_decl", _tying_waits),
    *(
        Patch(Environment, name, _announcing)
        for name in ("set_ended", "set_error", "set_timed_out", "set_stop")
    ),
]
REQUIRED = [
    (Environment, "is_running"),
    (Environment, "as_frame_of"),
    (StateWait, "_eval_state_input"),
    (StateWait, "_eval_state_output"),
    (StateTask, "_eval_parameters"),
]
