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
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as aws_sdk,
)
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.responses import StepFunctionResponse

# Step Functions names aws-sdk errors <Service>.<Exception>, the service spelt as in its SDK.
_SERVICE_NAMES = {
    "mediaconvert": "MediaConvert",
    "transcribe": "Transcribe",
    "comprehend": "Comprehend",
    "s3": "S3",
    "dynamodb": "DynamoDb",
    "sfn": "Sfn",
}

_original_service_name = aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name
_original_exception_name = aws_sdk.StateTaskServiceAwsSdk._normalise_exception_name


def _service_name(service_name: str) -> str:
    return _SERVICE_NAMES.get(service_name.lower()) or _original_service_name(service_name)


def _exception_name(norm_service_name: str, ex: Exception) -> str:
    """moto names an unmodelled ClientError '<Service>.<Service>Exception'; use its code."""
    if type(ex) is ClientError:
        code = str(ex.response.get("Error", {}).get("Code", "")) or "Unknown"
        name = f"{norm_service_name}.{code}"
        return name if name.endswith("Exception") else name + "Exception"
    return str(_original_exception_name(norm_service_name, ex))


_original_eval = aws_sdk.StateTaskServiceAwsSdk._eval_service_task


def _eval_json(self: Any, env: Any, *args: Any, **kwargs: Any) -> None:
    """State data is JSON: an SDK response's timestamps become strings, as on AWS, instead of
    datetime objects that later break moto's own describe_execution."""
    _original_eval(self, env, *args, **kwargs)
    env.stack.append(json.loads(to_json_str(env.stack.pop())))


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


def _stop_execution(self: Any) -> ActionResult:
    """moto stops an execution with an empty error and cause whatever is asked; Step Functions
    records the caller's in the ExecutionAborted event, which is how a stopped run says why."""
    arn = self._get_param("executionArn")
    backend = self.stepfunction_backend
    backend._validate_execution_arn(arn)
    machine = backend._get_state_machine_for_execution(arn)
    execution = next((e for e in machine.executions if e.execution_arn == arn), None)
    if execution is None:
        return _original_stop(self)  # moto's own ExecutionDoesNotExist
    execution.stop(
        stop_date=datetime.now(UTC),
        error=self._get_param("error") or "",
        cause=self._get_param("cause") or "",
    )
    return ActionResult({"stopDate": execution.stop_date})


_original_stop = StepFunctionResponse.stop_execution
_original_parse = AmazonStateLanguageParser.parse


@functools.lru_cache(maxsize=32)
def _parse_once(definition: str) -> tuple[Any, Any]:
    """moto parses a definition, in pure-Python ANTLR, when its state machine is created and
    again for every execution: a tenth of a second each time for this pipeline. The parsed
    components keep no state between executions (that lives in each execution's Environment),
    so one parse serves them all. A definition that fails to parse raises every time."""
    return _original_parse(definition)


_item_writes = threading.Lock()


def _atomic(write: Callable[..., Any]) -> Callable[..., Any]:
    """DynamoDB evaluates a condition and writes as one step; moto checks, then writes, and
    concurrent executions (a redelivered event) could both pass `attribute_not_exists`."""

    @functools.wraps(write)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _item_writes:
            return write(*args, **kwargs)

    return locked


@functools.cache  # once per process: the patches are process-wide
def apply() -> None:
    for name in ("put_item", "update_item", "delete_item"):
        setattr(DynamoDBBackend, name, _atomic(getattr(DynamoDBBackend, name)))
    StepFunctionResponse.get_execution_history = _history_page  # type: ignore[method-assign]
    StepFunctionResponse.stop_execution = _stop_execution  # type: ignore[method-assign]
    AmazonStateLanguageParser.parse = staticmethod(_parse_once)  # type: ignore[method-assign]
    aws_sdk.StateTaskServiceAwsSdk._eval_service_task = _eval_json  # type: ignore[method-assign]
    aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name = staticmethod(_service_name)  # type: ignore[method-assign]
    aws_sdk.StateTaskServiceAwsSdk._normalise_exception_name = staticmethod(_exception_name)  # type: ignore[method-assign]
