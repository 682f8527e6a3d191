"""Every error the definition retries or catches, and every error the MockConfigFile scripts, is
one its state can raise: a misspelt name is never matched, so its Retry silently never runs."""

from __future__ import annotations

import ast
import builtins
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session

from reelscribe.results.definition import walk_states
from reelscribe.runtime.deployment import FunctionSpec, _assign_names, _definition, _function_spec
from reelscribe.runtime.error_names import SDK_ERRORS, error_name, integration
from reelscribe.template import Template

ROOT = Path(__file__).resolve().parents[2]
MOCK_CONFIG = ROOT / "statemachine" / "test" / "MockConfigFile.json"

# The errors the Amazon States Language defines (its specification, "Errors").
STATES_ERRORS = frozenset(
    "States." + name
    for name in [
        *("ALL", "HeartbeatTimeout", "Timeout", "TaskFailed", "Permissions"),
        *("ResultPathMatchFailure", "ParameterPathFailure", "QueryEvaluationError"),
        *("BranchFailed", "NoChoiceMatched", "IntrinsicFailure", "Runtime"),
        *("ExceedToleratedFailureThreshold", "ItemReaderFailed", "ResultWriterFailed"),
    ]
)


@functools.cache
def _deployed() -> tuple[dict[str, Any], dict[str, FunctionSpec]]:
    """The definition as deployed (every ${...} substituted), and its functions by ARN."""
    template = Template.load(ROOT / "template.yaml")
    _assign_names(template)
    machine = template.resources["PipelineStateMachine"]["Properties"]
    functions = (
        _function_spec(template, logical_id, spec)
        for logical_id, spec in template.of_type("AWS::Serverless::Function").items()
    )
    return json.loads(_definition(template, machine)), {f.arn: f for f in functions}


@functools.cache
def _service_errors(service: str, prefix: str) -> frozenset[str]:
    """What Step Functions can name an error of `service`: each error its model lists, by the
    rule, and the SDK's own errors for the integration."""
    model = botocore.session.get_session().get_service_model(service)
    modelled = {error_name(prefix, shape.name) for shape in model.error_shapes}
    return frozenset(modelled | {f"{prefix}.{name}" for name in SDK_ERRORS.get(prefix, ())})


def _modules(function: FunctionSpec) -> Iterator[ast.Module]:
    """The parsed handler module and every layer module it imports, directly or not."""
    roots = (function.code_dir, *function.layer_dirs)
    todo = [function.code_dir / (function.handler.rsplit(".", 1)[0].replace(".", "/") + ".py")]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        yield tree
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = (node.module or "").replace(".", "/")
                folders = [path.parent / base] if node.level else [r / base for r in roots]
                for folder in folders:
                    todo += [folder.with_suffix(".py"), folder / "__init__.py"]
                    todo += [folder / f"{alias.name}.py" for alias in node.names]


def _name(node: ast.expr | None) -> str | None:
    node = node.func if isinstance(node, ast.Call) else node
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


@functools.cache
def _function_errors(arn: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(the exception classes the function's code defines and raises, the exceptions it raises
    at all, the AWS services whose clients it makes)."""
    classes: set[str] = set()
    raised: set[str] = set()
    clients: set[str] = set()
    for tree in _modules(_deployed()[1][arn]):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.add(node.name)
            elif isinstance(node, ast.Raise):
                raised.add(_name(node.exc) or "")
            elif (
                isinstance(node, ast.Call)
                and _name(node) == "client"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                clients.add(str(node.args[0].value))
    return frozenset(classes & raised), frozenset(raised), frozenset(clients)


def _tasks(state: dict[str, Any]) -> Iterator[str]:
    """The Resources a state calls: its own, or those of the states inside it."""
    if "Resource" in state:
        yield str(state["Resource"])
    for _, inner in walk_states({"States": {"": state}}):
        if inner is not state and "Resource" in inner:
            yield str(inner["Resource"])


def _problem(resource: str, error: str, *, crash_allowed: bool = False) -> str | None:
    """Why `resource` can never fail with `error`, or None if it can."""
    if error.startswith("States."):
        return None if error in STATES_ERRORS else "the States Language defines no such error"
    called = integration(resource)
    if called is None:
        return f"no known integration calls {resource}"
    service, prefix = called
    if "." in error:
        if error in _service_errors(service, prefix):
            return None
        return f"{service} called by {resource} raises no such error (the prefix is {prefix})"
    if service != "lambda":
        return f"{resource} is not a function: its errors are named {prefix}.<Error>"
    project, raised, clients = _function_errors(resource)
    if error in project:
        return None
    if crash_allowed:  # a scripted crash: a built-in error, or an error of a client it makes
        if isinstance(getattr(builtins, error, None), type) and error in dir(builtins):
            return None
        if any(f"x.{error}" in _service_errors(c, "x") for c in clients):
            return None
    return f"the function's code defines and raises no {error} (it raises {sorted(raised)})"


def _state_problem(state: dict[str, Any], error: str) -> str | None:
    """Why no call of `state` (a Task, or the Tasks inside a Parallel or Map) raises `error`."""
    problems = [_problem(resource, error) for resource in _tasks(state)] or [
        _problem("", error) if error.startswith("States.") else "the state calls nothing"
    ]
    return None if None in problems else "; ".join(p for p in problems if p)


def test_definition_error_equals_name_only_errors_their_state_can_raise() -> None:
    definition, _ = _deployed()
    problems = [
        f"{name}: {error}: {problem}"
        for name, state in walk_states(definition)
        for rule in (*state.get("Retry", []), *state.get("Catch", []))
        for error in rule["ErrorEquals"]
        if (problem := _state_problem(state, error))
    ]
    assert problems == []


def test_mock_config_throws_only_errors_their_state_can_raise() -> None:
    definition, _ = _deployed()
    resources = {name: state.get("Resource") for name, state in walk_states(definition)}
    config = json.loads(MOCK_CONFIG.read_text(encoding="utf-8"))
    problems = []
    for machine in config["StateMachines"].values():
        for case, answers in machine["TestCases"].items():
            for state, answer in answers.items():
                for step in config["MockedResponses"][answer].values():
                    error = (step.get("Throw") or {}).get("Error")
                    if error is None:
                        continue
                    problem = _problem(str(resources[state]), error, crash_allowed=True)
                    if problem:
                        problems.append(f"{case}/{state} ({answer}): {error}: {problem}")
    assert problems == []


# ------------------------------------------------------------------ the rule itself


def test_error_name_of_a_code_lacking_exception_appends_it() -> None:
    assert error_name("Rekognition", "InternalServerError") == (
        "Rekognition.InternalServerErrorException"
    )
    assert error_name("S3", "NoSuchBucket") == "S3.NoSuchBucketException"
    assert (
        error_name("DynamoDB", "RequestLimitExceeded") == "DynamoDB.RequestLimitExceededException"
    )


def test_error_name_of_a_code_ending_in_exception_keeps_it() -> None:
    assert error_name("Transcribe", "ConflictException") == "Transcribe.ConflictException"


def test_integration_optimized_and_sdk_dynamodb_prefix_errors_differently() -> None:
    # The guide's SDK table says DynamoDb; the optimized integration says DynamoDB
    assert integration("arn:aws:states:::dynamodb:putItem") == ("dynamodb", "DynamoDB")
    assert integration("arn:aws:states:::aws-sdk:dynamodb:putItem") == ("dynamodb", "DynamoDb")
    assert integration("arn:aws:states:::sns:publish") == ("sns", "SNS")
    assert integration("arn:aws:states:::aws-sdk:sns:publish") == ("sns", "Sns")


def test_integration_of_any_partition_is_the_same_call() -> None:
    for partition in ("aws", "aws-cn", "aws-us-gov"):
        assert integration(f"arn:{partition}:states:::aws-sdk:rekognition:detectText") == (
            "rekognition",
            "Rekognition",
        )
        assert integration(f"arn:{partition}:lambda:cn-north-1:1:function:f") == (
            "lambda",
            "Lambda",
        )
    assert integration("arn:aws:states:us-east-1:1:activity:a") is None
