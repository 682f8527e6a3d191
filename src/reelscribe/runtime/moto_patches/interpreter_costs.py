"""What moto's interpreter redoes at every state, done once or more cheaply.

Profiled over a batch of short clips, the interpreter spent more of the GIL than any engine's
Python: it makes a new boto3 client for every service task (loading the service model and
building its event handlers, about 30 ms), compiles every JSONPath with ply at every use, and
deep-copies each state's input and result with `copy.deepcopy`. The same clients, the same
compiled paths and an equal copy serve every call: what the states do and in which order is
unchanged.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from types import ModuleType, SimpleNamespace
from typing import Any

from moto.core.models import botocore_stubber
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.common.string import string_expression
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel import state_parallel
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk,
    state_task_service_dynamodb,
    state_task_service_sns,
)
from moto.stepfunctions.parser.asl.eval import states
from moto.stepfunctions.parser.asl.utils import json_path

from .patching import Patch

_SCALARS = (str, int, float, bool, type(None))


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists and scalars) without deepcopy's memo and
    dispatch; anything else falls back to `copy.deepcopy`."""
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    if isinstance(value, _SCALARS):
        return value
    return copy.deepcopy(value)


# The modules whose deep copies are of state data: inputs, results, error outputs and the
# evaluation stack of JSON values.
_COPYING = (states, string_expression, result_path, execute_state, state_parallel)
_FAST_COPY = SimpleNamespace(deepcopy=json_copy)

# The modules that bound moto's `boto_client_for` by name at import.
_CLIENT_USERS = (
    lambda_eval_utils,
    state_task_service_aws_sdk,
    state_task_service_dynamodb,
    state_task_service_sns,
)

_clients: dict[tuple[str, str, bool], Any] = {}
_clients_lock = threading.Lock()


def _shared_clients(original: Callable[..., Any]) -> Callable[..., Any]:
    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        """One client per region and service, as an SDK program keeps: botocore's clients are
        thread-safe. moto signs every call with the same fixed keys, whatever the state's
        credentials, so they do not tell clients apart."""
        key = (region, service, bool(botocore_stubber.enabled))
        with _clients_lock:
            if key not in _clients:
                _clients[key] = original(region, service, state_credentials)
            return _clients[key]

    return boto_client_for


def _compiled_once(original: Callable[[str], Any]) -> Callable[[str], Any]:
    # Compiled paths are only read by `find` and `update`: the same one serves every call.
    return functools.lru_cache(maxsize=1024)(original)


def _patches() -> list[Patch]:
    patches = [Patch(module, "copy", lambda _original: _FAST_COPY) for module in _COPYING]
    patches += [Patch(module, "boto_client_for", _shared_clients) for module in _CLIENT_USERS]
    patches += [Patch(module, "parse", _compiled_once) for module in (json_path, result_path)]
    return patches


PATCHES = _patches()
REQUIRED: list[tuple[ModuleType, str]] = []
