"""Step Functions Local's MockConfigFile, on the local engine.

A test case runs when an execution is started on `<stateMachineArn>#<TestCase>`, exactly as in
Step Functions Local. moto's interpreter already answers a state from a mocked response when its
execution carries a test case; its loader for the file is a stub, and its backend drops the
`#TestCase` suffix on the floor. This module reads the file and hands the test case over.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.mocking.mock_config import (
    MockedResponse,
    MockTestCase,
    _mock_test_case_from_raw,
)
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from pydantic import BaseModel, RootModel

from ...errors import MockConfigError
from .patching import Patch, replace


class _Return(RootModel[Any]):
    pass


class _Throw(BaseModel):
    Error: str
    Cause: str = ""


class _Response(BaseModel):
    Return: _Return | None = None
    Throw: _Throw | None = None


class _TestCase(RootModel[dict[str, str]]):
    pass


class _StateMachine(BaseModel):
    TestCases: dict[str, _TestCase]


class MockConfig(BaseModel):
    StateMachines: dict[str, _StateMachine]
    MockedResponses: dict[str, dict[str, _Response]]

    @classmethod
    def load(cls, path: Path) -> MockConfig:
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise MockConfigError(f"{path}: {error}") from error

    def test_case(self, state_machine: str, test_case: str) -> MockTestCase:
        if state_machine not in self.StateMachines:
            raise MockConfigError(f"No state machine {state_machine!r} in the mock config")
        if test_case not in self.StateMachines[state_machine].TestCases:
            raise MockConfigError(f"No test case {test_case!r} for {state_machine!r}")
        case: MockTestCase = _mock_test_case_from_raw(state_machine, test_case, self)
        return case


_config: list[MockConfig] = []
_pending = threading.local()


def _start_execution(original: Callable[..., Any]) -> Callable[..., Any]:
    def start_execution(self: Any, state_machine_arn: str, *args: Any, **kwargs: Any) -> Any:
        arn, _, case_name = state_machine_arn.partition("#")
        if not case_name:
            return original(self, state_machine_arn, *args, **kwargs)
        if not _config:
            raise MockConfigError("A test case was asked for, but no MockConfigFile is loaded")
        name = self.describe_state_machine(arn).name
        _pending.case = _config[-1].test_case(name, case_name)
        try:
            return original(self, arn, *args, **kwargs)
        finally:
            _pending.case = None

    return start_execution


def _execution_worker(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def execution_worker(self: Any) -> Any:
        worker = original(self)
        case = getattr(_pending, "case", None)
        if case is not None:
            worker._mock_test_case = case  # set once, before it starts
        return worker

    return execution_worker


def _next_mocked_response(self: Any) -> MockedResponse:
    """Step Functions Local numbers a state's responses by invocation, retries and loop
    iterations alike ("0" the first call, "1" the second); moto counts retries only, which
    would answer every poll of a Wait/Get/Choice loop with response "0"."""
    case = self.mock_test_case
    state = self.next_state_name
    responses = case.state_mocked_responses[state].mocked_responses
    with _lock:
        calls: dict[str, int] = case.__dict__.setdefault("_invocations", {})
        index = calls.get(state, 0)
        calls[state] = index + 1
    if index >= len(responses):
        raise MockConfigError(f"State {state!r} has no mocked response number {index}")
    response: MockedResponse = responses[index]
    return response


_lock = threading.Lock()


def use(config: MockConfig) -> None:
    """Make `#TestCase` executions answer their states from `config` (the patches are
    installed by `moto_patches.install`)."""
    _config.append(config)


def release(config: MockConfig) -> None:
    if config in _config:
        _config.remove(config)


PATCHES = [
    Patch(StepFunctionsParserBackend, "start_execution", _start_execution),
    Patch(Execution, "_get_start_execution_worker", _execution_worker),
    replace(Environment, "get_current_mocked_response", _next_mocked_response),
]
REQUIRED = [(Environment, "mock_test_case"), (Environment, "next_state_name")]
