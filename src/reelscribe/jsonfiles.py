"""Reading and writing the JSON of an output folder: DynamoDB numbers, timestamps and sets
included. orjson does it: a run's history and states are megabytes of nested documents, which
the standard library's encoder indents ten times slower."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _lenient(value: Any) -> Any:
    try:
        return _default(value)
    except TypeError:
        return str(value)


def to_json(data: Any, *, indent: bool = True, lenient: bool = False) -> str:
    """JSON text, indented by two spaces unless `indent` is false; with `lenient`, a value JSON
    cannot hold is written as its str() instead of failing."""
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(data, default=_lenient if lenient else _default, option=option).decode()


def from_json(text: str | bytes) -> Any:
    return orjson.loads(text)


def dump_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(data) + "\n", encoding="utf-8")
    return path
