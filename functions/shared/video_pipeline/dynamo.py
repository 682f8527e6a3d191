"""DynamoDB's typed JSON, for the state machine's direct putItem and updateItem calls."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeSerializer

_serializer = TypeSerializer()


def to_attribute_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items()}
