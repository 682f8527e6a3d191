"""A CreateJob request checked against botocore's model of the MediaConvert API.

botocore's ParamValidator checks members, types, required members and minimums, but neither
enum values nor maximums; `model_violations` checks those from the same model, so a job that
passes both is within every limit the model declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, Shape, StringShape, StructureShape
from botocore.validate import ParamValidator


@cache
def create_job_model() -> OperationModel:
    model = botocore.session.get_session().get_service_model("mediaconvert")
    return model.operation_model("CreateJob")


@dataclass
class Violations:
    problems: list[str] = field(default_factory=list)
    # Every number checked against the model's range, by path: the caller can see that the
    # values it cares about were looked at.
    ranged: dict[str, int | float] = field(default_factory=dict)


def create_job_violations(params: dict[str, Any]) -> Violations:
    """What the service would refuse in a CreateJob request, by path."""
    shape = create_job_model().input_shape
    report = ParamValidator().validate(params, shape)
    found = Violations(
        problems=report.generate_report().splitlines() if report.has_errors() else []
    )
    _walk(shape, params, "", found)
    return found


def model_violations(shape: Shape, value: Any, path: str) -> list[str]:
    """Enum values and ranges that `shape` declares but botocore does not check."""
    found = Violations()
    _walk(shape, value, path, found)
    return found.problems


def _walk(shape: Shape, value: Any, path: str, found: Violations) -> None:
    if isinstance(shape, StructureShape):
        for name, item in value.items():
            if name not in shape.members:
                found.problems.append(f"{path}.{name}: not in the model")
            else:
                _walk(shape.members[name], item, f"{path}.{name}" if path else name, found)
    elif isinstance(shape, ListShape):
        for index, item in enumerate(value):
            _walk(shape.member, item, f"{path}[{index}]", found)
    elif isinstance(shape, MapShape):
        for key, item in value.items():
            _walk(shape.value, item, f"{path}.{key}", found)
    elif isinstance(shape, StringShape):
        if shape.enum and value not in shape.enum:
            found.problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif shape.type_name in ("integer", "long", "float", "double"):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        found.ranged[path] = value
        if (low is not None and value < low) or (high is not None and value > high):
            found.problems.append(f"{path}: {value} is outside {low}..{high}")
