"""Every handler's event, validated the one way: Powertools' parser into the handler's model.

A malformed event then fails with InvalidEventError (or the handler's own subclass of it), a
class name the state machine's failure path and the failure email can name, rather than a
KeyError or a bare pydantic ValidationError from somewhere inside the handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from pydantic import BaseModel

from .errors import InvalidEventError

if TYPE_CHECKING:
    # Importing the envelopes package builds every envelope's models (a tenth of a second of
    # each cold start); the one handler that unwraps an envelope imports its own.
    from aws_lambda_powertools.utilities.parser.envelopes.base import BaseEnvelope

Model = TypeVar("Model", bound=BaseModel)


def parse_event(
    event: Any,
    model: type[Model],
    *,
    envelope: type[BaseEnvelope] | None = None,
    expected: str | None = None,
    error: type[InvalidEventError] = InvalidEventError,
) -> Model:
    """`event` as `model`, taken out of `envelope` first where the event arrives in one.
    `expected` says in words what the event should have been, for the error message."""
    what = expected or f"a valid {model.__name__}"
    try:
        if envelope is None:
            return parse(event=event, model=model)
        parsed = parse(event=event, model=model, envelope=envelope)
    except ValidationError as failure:
        raise error(f"Not {what}: {plainly(failure)}") from failure
    # Envelopes of many records (SQS, Kinesis) give lists; a handler here takes one event.
    if not isinstance(parsed, model):
        raise error(f"Not {what}: the envelope held {type(parsed).__name__}, not one event")
    return parsed


def plainly(failure: ValidationError) -> str:
    """pydantic's errors in one line, each field once and without its documentation link
    (pydantic's own text repeats the link for every field)."""
    errors = failure.errors(include_url=False)
    where = [".".join(str(part) for part in e["loc"]) or "the event" for e in errors]
    missing = [at for at, e in zip(where, errors, strict=True) if e["type"] == "missing"]
    wrong = [f"{at}: {e['msg']}" for at, e in zip(where, errors, strict=True) if at not in missing]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + wrong
    count = f"{len(errors)} validation error" + ("" if len(errors) == 1 else "s")
    return f"{count}: " + "; ".join(parts)
