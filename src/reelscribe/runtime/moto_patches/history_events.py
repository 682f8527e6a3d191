"""An execution's history events, pushed to listeners as moto's engine records them.

moto keeps each execution's events in a list no one is told about; progress would have to
look at it again and again. Here each event, once recorded, is handed to the listeners with
its execution's ARN, in the order the execution recorded them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager

from .engine import as_returned
from .patching import Patch

# Called with the execution's ARN and the event in GetExecutionHistory's shape, on the
# execution's thread while its history is locked: a listener must be quick and not read it.
Listener = Callable[[str, dict[str, Any]], None]

_listeners: list[Listener] = []
# Each execution's event manager, to its execution's ARN (a Parallel branch shares its
# execution's manager).
_executions: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def unlisten(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _environment_init(original: Callable[..., None]) -> Callable[..., None]:
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        execution = self.states.context_object.context_object_data["Execution"]
        _executions[self.event_manager] = str(execution["Id"])

    return init


def _publish(original: Callable[..., None]) -> Callable[..., None]:
    def publish(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        arn = _executions.get(self)
        if arn is None or not _listeners:
            return
        event = as_returned(self._history_event_list[-1])
        for listener in list(_listeners):
            listener(arn, event)

    return publish


PATCHES = [
    Patch(Environment, "__init__", _environment_init),
    Patch(EventManager, "_publish_history_event", _publish),
]
