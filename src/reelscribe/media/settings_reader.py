"""A job's ``Settings`` read against MediaConvert's own API model.

botocore ships the service model the real API validates requests with: the values each enum
takes and the range of each integer. Settings are read through it, so this package never
retypes those lists; it only says which of the valid values it reproduces locally.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from .errors import UnsupportedSettingError


@functools.cache
def _job_settings_shape() -> StructureShape:
    # Loaded once per process; every other shape is reached through its members.
    model = botocore.session.get_session().get_service_model("mediaconvert")
    # shape_for is typed as the base Shape; JobSettings is a structure in the model.
    return cast(StructureShape, model.shape_for("JobSettings"))


def unsupported(path: str, value: object = None) -> UnsupportedSettingError:
    shown = path if value is None else f"{path}={value}"
    return UnsupportedSettingError(f"{shown} is not supported locally")


def required(path: str) -> UnsupportedSettingError:
    return UnsupportedSettingError(f"{path} is required")


@dataclass(frozen=True)
class Section:
    """One object of the settings, with its shape in the model and its path for messages."""

    values: Mapping[str, Any]
    shape: StructureShape
    path: str

    @classmethod
    def of_job(cls, settings: Mapping[str, Any]) -> Section:
        return cls(settings, _job_settings_shape(), "")

    def at(self, key: str) -> str:
        """The path of one of this object's settings, as messages name it."""
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = None) -> Any:
        self._member(key)
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def section(self, key: str) -> Section:
        """A nested object; a missing one reads as empty, so its defaults apply."""
        value = self.get(key)
        return self._object({} if value is None else value, self._member(key), self.at(key))

    def sections(self, key: str) -> list[Section]:
        """A list of objects, each with its index in its path."""
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise UnsupportedSettingError(f"{self.at(key)} must be a list")
        shape = cast(ListShape, self._member(key)).member
        return [
            self._object(item, shape, f"{self.at(key)}[{index}]")
            for index, item in enumerate(value)
        ]

    def named_sections(self, key: str) -> dict[str, Section]:
        """A map of objects by name, such as ``AudioSelectors``."""
        value = self.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise UnsupportedSettingError(f"{self.at(key)} must be an object")
        shape = cast(MapShape, self._member(key)).value
        return {
            name: self._object(item, shape, f"{self.at(key)}[{name!r}]")
            for name, item in value.items()
        }

    def choice(self, key: str, default: str, supported: Collection[str] | None = None) -> str:
        """An enum value the model allows and, if ``supported`` is given, one of those."""
        value = self.get(key, default)
        allowed = cast(StringShape, self._member(key)).enum
        if value not in allowed:
            raise UnsupportedSettingError(
                f"{self.at(key)}={value} is not a MediaConvert value: it takes {', '.join(allowed)}"
            )
        if supported is not None and value not in supported:
            raise unsupported(self.at(key), value)
        return str(value)

    def integer(self, key: str, default: int | None = None) -> int:
        """An integer within the model's range for it."""
        value = self.get(key, default)
        if value is None:
            raise required(self.at(key))
        if isinstance(value, bool) or not isinstance(value, int):
            raise UnsupportedSettingError(f"{self.at(key)}={value!r} must be an integer")
        metadata = self._member(key).metadata
        low, high = metadata.get("min"), metadata.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise UnsupportedSettingError(f"{self.at(key)}={value!r} must be {low} to {high}")
        return value

    def number(self, key: str, default: float | None = None) -> float | None:
        """A number (the model records no range for its doubles)."""
        value = self.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UnsupportedSettingError(f"{self.at(key)}={value!r} must be a number")
        return float(value)

    def reject_active(self, keys: Iterable[str]) -> None:
        """Refuse settings this package does not reproduce, unless their value is inert."""
        for key in keys:
            if self.get(key) not in (None, "DISABLED", [], {}):
                raise unsupported(self.at(key))

    def _member(self, key: str) -> Shape:
        return self.shape.members[key]

    @staticmethod
    def _object(value: object, shape: Shape, path: str) -> Section:
        if not isinstance(value, dict):
            raise UnsupportedSettingError(f"{path} must be an object")
        return Section(value, cast(StructureShape, shape), path)
