"""Running the template's functions in this process, as Lambda would run them.

Each function's module is imported once (its cold start) with the function's Environment from
the template, so configuration read at import sees exactly what it sees on AWS. Each call runs
in a worker thread and is abandoned at the function's Timeout, as Lambda abandons it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .deployment import FunctionSpec

_IMPORT_LOCK = threading.RLock()
# A Lambda execution environment serves one request at a time. Here every function shares one
# process and its module state (Powertools' logger keys among it, which are not thread-safe),
# so requests take turns; they are milliseconds long, the heavy work is in the emulated jobs.
_INVOKE_LOCK = threading.Lock()
Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Invocation:
    payload: bytes
    function_error: str | None = None  # "Unhandled" when the handler raised, as Lambda says
    duration: float = 0.0


class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.function_name = spec.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec.arn
        self.memory_limit_in_mb = spec.memory
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{spec.name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self._deadline = time.monotonic() + spec.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _error_payload(error: BaseException) -> bytes:
    frames = traceback.format_tb(error.__traceback__)
    return json.dumps(
        {
            "errorMessage": str(error),
            "errorType": type(error).__name__,
            "requestId": "",
            "stackTrace": [frame.rstrip() for frame in frames],
        }
    ).encode()


class LocalFunctions:
    def __init__(self, specs: dict[str, FunctionSpec], runtime_env: dict[str, str]) -> None:
        self._specs = specs
        self._runtime_env = runtime_env
        self._handlers: dict[str, Handler] = {}
        self.on_cold_start: Callable[[FunctionSpec], None] | None = None

    def handler(self, spec: FunctionSpec) -> Handler:
        with _IMPORT_LOCK:
            if spec.logical_id not in self._handlers:
                self._handlers[spec.logical_id] = self._cold_start(spec)
            return self._handlers[spec.logical_id]

    def _cold_start(self, spec: FunctionSpec) -> Handler:
        module_name, _, attribute = spec.handler.rpartition(".")
        path = spec.code_dir / (module_name.replace(".", "/") + ".py")
        for directory in (*spec.layer_dirs, spec.code_dir):
            # Layers and the function's own folder are on Lambda's path; here they must be too.
            if str(directory) not in sys.path:
                sys.path.insert(0, str(directory))
        env = {
            **self._runtime_env,
            **spec.environment,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        }
        with _environment(env):
            module_spec = importlib.util.spec_from_file_location(
                f"reelscribe_function_{spec.logical_id}", path
            )
            if module_spec is None or module_spec.loader is None:
                raise ImportError(f"Cannot load {spec.handler} from {spec.code_dir}")
            module: ModuleType = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        if self.on_cold_start is not None:
            self.on_cold_start(spec)
        handler: Handler = getattr(module, attribute)
        return handler

    def invoke(self, spec: FunctionSpec, payload: bytes) -> Invocation:
        with _INVOKE_LOCK:
            return self._invoke(spec, payload)

    def _invoke(self, spec: FunctionSpec, payload: bytes) -> Invocation:
        started = time.monotonic()
        outcome: dict[str, Any] = {}

        def call() -> None:
            try:
                event = json.loads(payload or b"{}")
                outcome["result"] = self.handler(spec)(event, LambdaContext(spec))
            except BaseException as error:  # noqa: BLE001 - a handler's crash is its result
                outcome["error"] = error

        worker = threading.Thread(target=call, name=f"lambda-{spec.logical_id}", daemon=True)
        worker.start()
        worker.join(spec.timeout)
        elapsed = time.monotonic() - started
        if worker.is_alive():
            message = f"Task timed out after {spec.timeout:.2f} seconds"
            body = json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": message})
            return Invocation(body.encode(), "Unhandled", elapsed)
        if "error" in outcome:
            return Invocation(_error_payload(outcome["error"]), "Unhandled", elapsed)
        return Invocation(json.dumps(outcome.get("result")).encode(), None, elapsed)
