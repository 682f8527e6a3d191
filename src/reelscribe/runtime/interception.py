"""Answering AWS API calls in-process, through botocore's event system.

A handler on `before-call.<service>.<Operation>` that returns `(http, parsed)` short-circuits the
HTTP request: the caller's boto3 client gets `parsed` as if the service had answered. The
parameters arrive already serialized, so a `before-parameter-build` handler keeps the caller's
own parameters in the request context for the answer to use.

The handlers are registered process-wide, by `moto_patches.botocore_handlers` (botocore copies
BUILTIN_HANDLERS into every new session, which is how the state machine interpreter's own
clients see them too), and delegate to whichever runtime is active.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import ServiceError as ServiceError  # the emulators raise it from here

Operation = Callable[[dict[str, Any]], dict[str, Any]]
_CONTEXT_KEY = "reelscribe_params"


class _HttpStatus:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.content = b""
        self.raw = None


class Router:
    """Operations answered locally, by (service id, operation name)."""

    def __init__(self) -> None:
        self._operations: dict[tuple[str, str], Operation] = {}
        self._observers: dict[tuple[str, str], list[Callable[[dict[str, Any]], None]]] = {}

    def answer(self, service: str, operation: str, handler: Operation) -> None:
        self._operations[(service, operation)] = handler

    def observe(
        self, service: str, operation: str, observer: Callable[[dict[str, Any]], None]
    ) -> None:
        self._observers.setdefault((service, operation), []).append(observer)

    def handles(self, service: str, operation: str) -> Operation | None:
        return self._operations.get((service, operation))

    def observers(self, service: str, operation: str) -> list[Callable[[dict[str, Any]], None]]:
        return self._observers.get((service, operation), [])


_active: list[Router] = []
_lock = threading.Lock()


def _service_of(model: Any) -> str:
    return str(model.service_model.service_id).lower().replace(" ", "-")


def _keep_params(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
    context[_CONTEXT_KEY] = dict(params)


def params_of(context: dict[str, Any]) -> dict[str, Any]:
    """The parameters a call was made with, for a handler that runs after it."""
    return dict(context.get(_CONTEXT_KEY, {}))


def _answer(model: Any, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
    if not _active:
        return None
    return _answer_with(_active[-1], model, context)


def _answer_with(
    router: Router, model: Any, context: dict[str, Any]
) -> tuple[Any, dict[str, Any]] | None:
    service, operation = _service_of(model), model.name
    params = context.get(_CONTEXT_KEY, {})
    for observer in router.observers(service, operation):
        observer(params)
    handler = router.handles(service, operation)
    if handler is None:
        return None
    request_id = str(uuid.uuid4())
    try:
        parsed = handler(params)
    except ServiceError as error:
        return _HttpStatus(error.status), {
            "Error": {"Code": error.code, "Message": error.message},
            "ResponseMetadata": {"HTTPStatusCode": error.status, "RequestId": request_id},
        }
    parsed.setdefault("ResponseMetadata", {"HTTPStatusCode": 200, "RequestId": request_id})
    return _HttpStatus(200), parsed


# Put at the head of botocore's built-in handlers by `moto_patches`.
HANDLERS = [("before-call", _answer), ("before-parameter-build", _keep_params)]


def activate(router: Router) -> None:
    """Answer calls with `router` until it is deactivated; the handlers are installed with the
    moto patches."""
    from . import moto_patches  # imports this module: after it is loaded

    moto_patches.install()
    with _lock:
        _active.append(router)


def deactivate(router: Router) -> None:
    with _lock:
        if router not in _active:
            return
        _active.remove(router)
    from . import moto_patches

    moto_patches.uninstall()


def attach(client: Any, router: Router) -> None:
    """Have `router` answer this one client's calls, with no emulated account behind it: for a
    command that needs a single local service (the library's Data API) and none of moto."""

    def answer(model: Any, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
        return _answer_with(router, model, context)

    client.meta.events.register_first("before-parameter-build", _keep_params)
    client.meta.events.register_first("before-call", answer)
