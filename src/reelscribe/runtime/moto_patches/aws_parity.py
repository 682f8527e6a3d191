"""Where moto differs from AWS in ways the pipeline depends on, made to behave as AWS does."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from moto.core.responses import ActionResult
from moto.dynamodb.models import DynamoDBBackend
from moto.stepfunctions.models import StepFunctionBackend
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as aws_sdk,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_dynamodb as dynamodb_task,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.responses import StepFunctionResponse

from ..error_names import AWS_SDK_PREFIXES, error_name
from . import wait_states
from .parsed_definitions import parse_kept
from .patching import Patch, replace


def _service_name(original: Callable[[str], str]) -> Any:
    def service_name(service_name: str) -> str:
        return AWS_SDK_PREFIXES.get(service_name.lower()) or original(service_name)

    return staticmethod(service_name)


def _exception_name(norm_service_name: str, ex: Exception) -> str:
    """Step Functions' rule (`error_names.error_name`) on the error's modelled name. For an
    unmodelled code AWS and moto say '<Service>.<Service>Exception', which hides what went
    wrong; locally the code is kept."""
    if type(ex) is ClientError:
        return error_name(
            norm_service_name, str(ex.response.get("Error", {}).get("Code") or "Unknown")
        )
    return error_name(norm_service_name, type(ex).__name__)


def _dynamodb_error(original: Callable[[ClientError], tuple[str, str]]) -> Any:
    def error_cause(client_error: ClientError) -> tuple[str, str]:
        """moto names a DynamoDB task's error `DynamoDB.<code>`; Step Functions appends
        `Exception` where the code lacks it (`DynamoDB.RequestLimitExceededException`)."""
        error, cause = original(client_error)
        prefix, _, code = error.partition(".")
        return error_name(prefix, code), cause

    return staticmethod(error_cause)


_calling = threading.local()


def calling_execution() -> str | None:
    """The ARN of the execution whose aws-sdk task is making the call on this thread, if any:
    how an emulated job knows the execution that started it."""
    arn = getattr(_calling, "execution_arn", None)
    return str(arn) if arn else None


def _eval_json(original: Callable[..., None]) -> Callable[..., None]:
    def eval_service_task(self: Any, env: Any, *args: Any, **kwargs: Any) -> None:
        """State data is JSON: an SDK response's timestamps become strings, as on AWS, instead
        of datetime objects that later break moto's own describe_execution."""
        _calling.execution_arn = env.states.context_object.context_object_data["Execution"]["Id"]
        try:
            original(self, env, *args, **kwargs)
        finally:
            _calling.execution_arn = None
        env.stack.append(json.loads(to_json_str(env.stack.pop())))

    return eval_service_task


def _history_page(self: Any) -> ActionResult:
    """moto returns the whole history oldest-first whatever is asked; Step Functions pages it
    and honours reverseOrder, which is how a failure is traced back to its state."""
    history = self.stepfunction_backend.get_execution_history(self._get_param("executionArn"))
    events = list(history["events"])
    if self._get_param("reverseOrder"):
        events.reverse()
    start = int(self._get_param("nextToken") or 0)
    size = int(self._get_param("maxResults") or 0) or 1000
    page: dict[str, Any] = {"events": events[start : start + size]}
    if start + size < len(events):
        page["nextToken"] = str(start + size)
    return ActionResult(page)


def _stop_execution(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def stop_execution(self: Any) -> ActionResult:
        """moto stops an execution with an empty error and cause whatever is asked; Step
        Functions records the caller's in the ExecutionAborted event, which is how a stopped run
        says why."""
        arn = self._get_param("executionArn")
        backend = self.stepfunction_backend
        backend._validate_execution_arn(arn)
        machine = backend._get_state_machine_for_execution(arn)
        execution = next((e for e in machine.executions if e.execution_arn == arn), None)
        if execution is None:
            return original(self)  # moto's own ExecutionDoesNotExist
        execution.stop(
            stop_date=datetime.now(UTC),
            error=self._get_param("error") or "",
            cause=self._get_param("cause") or "",
        )
        return ActionResult({"stopDate": execution.stop_date})

    return stop_execution


@functools.cache  # one cache for moto's parser, kept when the patches are undone and redone
def _parse_once(original: Callable[[str], tuple[Any, Any]]) -> Any:
    """moto parses a definition, in pure-Python ANTLR, when its state machine is created and
    again for every execution: half a second each time for this pipeline. The parsed
    components keep no state between executions (that lives in each execution's Environment),
    so one parse serves them all, and is kept on disk for the next process. A definition that
    fails to parse raises every time."""

    @functools.lru_cache(maxsize=32)
    def parse(definition: str) -> tuple[Any, Any]:
        return parse_kept(definition, original, loaded=wait_states.tie_waits)

    return staticmethod(parse)


_item_writes = threading.Lock()


def _atomic(write: Callable[..., Any]) -> Callable[..., Any]:
    """DynamoDB evaluates a condition and writes as one step; moto checks, then writes, and
    concurrent executions (a redelivered event) could both pass `attribute_not_exists`."""

    @functools.wraps(write)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _item_writes:
            return write(*args, **kwargs)

    return locked


def _stop_is_final(original: Callable[..., None]) -> Callable[..., None]:
    def set_error(self: Any, error: Any) -> None:
        """A stopped execution stays ABORTED, as on AWS: moto would mark it FAILED when the
        call that was in flight at the stop fails afterwards."""
        if not isinstance(self.program_state(), ProgramStopped):
            original(self, error)

    return set_error


_SDK_TASK = aws_sdk.StateTaskServiceAwsSdk
PATCHES = [
    *(Patch(DynamoDBBackend, name, _atomic) for name in ("put_item", "update_item", "delete_item")),
    replace(StepFunctionResponse, "get_execution_history", _history_page),
    Patch(StepFunctionResponse, "stop_execution", _stop_execution),
    Patch(Environment, "set_error", _stop_is_final),
    Patch(AmazonStateLanguageParser, "parse", _parse_once),
    Patch(_SDK_TASK, "_eval_service_task", _eval_json),
    Patch(_SDK_TASK, "_normalise_service_error_name", _service_name),
    replace(_SDK_TASK, "_normalise_exception_name", staticmethod(_exception_name)),
    Patch(
        dynamodb_task.StateTaskServiceDynamoDB, "_error_cause_from_client_error", _dynamodb_error
    ),
]
# What the replacements call or read of moto's that is not public API.
REQUIRED = [
    (StepFunctionResponse, "_get_param"),
    (StepFunctionResponse, "stepfunction_backend"),
    (StepFunctionBackend, "_validate_execution_arn"),
    (StepFunctionBackend, "_get_state_machine_for_execution"),
    (Environment, "program_state"),
]
