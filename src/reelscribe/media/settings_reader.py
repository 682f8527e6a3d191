"""Reading a MediaConvert job's ``Settings``: typed values, with the setting's path in errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import UnsupportedSettingError


def unsupported(path: str, value: object = None) -> UnsupportedSettingError:
    shown = path if value is None else f"{path}={value}"
    return UnsupportedSettingError(f"{shown} is not supported locally")


def required(path: str) -> UnsupportedSettingError:
    return UnsupportedSettingError(f"{path} is required")


def section(parent: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UnsupportedSettingError(f"{path}.{key} must be an object")
    return value


def items(parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise UnsupportedSettingError(f"{path}.{key} must be a list")
    return value


def positive_int(parent: Mapping[str, Any], key: str, path: str, default: int | None = None) -> int:
    value = parent.get(key, default)
    if value is None:
        raise required(f"{path}.{key}")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UnsupportedSettingError(f"{path}.{key}={value!r} must be a positive integer")
    return value


def choice(
    parent: Mapping[str, Any], key: str, path: str, allowed: Iterable[str], default: str
) -> str:
    value = parent.get(key, default)
    if value not in allowed:
        raise unsupported(f"{path}.{key}", value)
    return str(value)


def reject_active_keys(section: Mapping[str, Any], keys: Iterable[str], path: str) -> None:
    for key in keys:
        value = section.get(key)
        if value not in (None, "DISABLED", [], {}):
            raise unsupported(f"{path}.{key}")
