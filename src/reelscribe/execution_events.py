"""Step Functions' "Execution Status Change" events, for the rules that match them.

On AWS, Step Functions sends one to EventBridge whenever an execution ends. moto ends an
execution in its worker thread and tells no one; here, as it ends, the listeners hear of it
(the active runtime, which delivers the event to the template's rules). Until they are done
the execution is not `settled`: its status is final, but what the event sets off is not.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

Listener = Callable[[Any], None]  # called with moto's Execution, on its worker thread

_listeners: list[Listener] = []
_ending: set[str] = set()
_lock = threading.Lock()
_LOG = logging.getLogger("reelscribe")


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def unlisten(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def settled(execution_arn: str) -> bool:
    """False while an ended execution's listeners are still at work."""
    with _lock:
        return execution_arn not in _ending


_original_terminated = BaseExecutionWorkerCommunication.terminated


def _terminated(self: Any) -> None:
    arn = str(self.execution.exec_arn)
    # Marked before the status turns final, so no one sees it final and the work not begun.
    with _lock:
        _ending.add(arn)
    try:
        _original_terminated(self)
        for listener in list(_listeners):
            try:
                listener(self.execution)
            except Exception:  # noqa: BLE001 - a listener must not keep the execution from ending
                _LOG.exception("Delivering the end of %s failed", arn)
    finally:
        with _lock:
            _ending.discard(arn)


@functools.cache  # once per process: the patches are process-wide
def apply() -> None:
    BaseExecutionWorkerCommunication.terminated = _terminated  # type: ignore[method-assign]
