"""Step Functions' "Execution Status Change" events, for the rules that match them.

On AWS, Step Functions sends one to EventBridge whenever an execution ends. moto ends an
execution in its worker thread and tells no one; here, as it ends, the listeners hear of it
(the active runtime, which delivers the event to the template's rules). Until they are done
the execution is not `settled`: its status is final, but what the event sets off is not.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

from .patching import Patch


class ExecutionListener(Protocol):
    """Called on the execution's worker thread."""

    def execution_ended(self, described: dict[str, Any]) -> None:
        """The execution's status is final; `described` is what DescribeExecution answers."""

    def execution_settled(self, execution_arn: str) -> None:
        """Every listener's `execution_ended` has returned."""


_listeners: list[ExecutionListener] = []
_ending: set[str] = set()
_lock = threading.Lock()
_LOG = logging.getLogger("reelscribe")


def listen(listener: ExecutionListener) -> None:
    _listeners.append(listener)


def unlisten(listener: ExecutionListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def settled(execution_arn: str) -> bool:
    """False while an ended execution's listeners are still at work."""
    with _lock:
        return execution_arn not in _ending


def _terminated(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def terminated(self: Any) -> None:
        arn = str(self.execution.exec_arn)
        # Marked before the status turns final, so no one sees it final and the work not begun.
        with _lock:
            _ending.add(arn)
        listeners = list(_listeners)
        try:
            original(self)
            described = self.execution.to_describe_output()
            for listener in listeners:
                try:
                    listener.execution_ended(described)
                except Exception:  # noqa: BLE001 - a listener must not keep the execution from ending
                    _LOG.exception("Delivering the end of %s failed", arn)
        finally:
            with _lock:
                _ending.discard(arn)
            for listener in listeners:
                listener.execution_settled(arn)

    return terminated


PATCHES = [Patch(BaseExecutionWorkerCommunication, "terminated", _terminated)]
