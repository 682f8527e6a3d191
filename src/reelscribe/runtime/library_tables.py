"""DynamoDB tables whose items outlive a local run: those the template marks ``Library: true``
in their Metadata (the people table). moto's tables live as long as the runtime, so each is
filled from ``<library>/tables/<LogicalId>.json`` when the runtime starts and written back
when it ends, to a temporary file renamed over the old one, so a crash leaves the last whole
file. This is the only code that knows where those items are kept."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..template import Template


def library_tables(template: Template, tables: dict[str, str]) -> dict[str, str]:
    """Logical id -> table name, for the tables kept in the library."""
    marked = template.of_type("AWS::DynamoDB::Table")
    return {
        logical_id: name
        for logical_id, name in tables.items()
        if (marked.get(logical_id, {}).get("Metadata") or {}).get("Library") is True
    }


class LibraryTables:
    def __init__(self, folder: Path, tables: dict[str, str], dynamodb: Any) -> None:
        self.folder = folder
        self._tables = tables
        self._dynamodb = dynamodb

    def load(self) -> None:
        for logical_id, name in self._tables.items():
            path = self.folder / f"{logical_id}.json"
            if not path.exists():
                continue
            items = json.loads(path.read_text(encoding="utf-8"))["items"]
            for start in range(0, len(items), 25):
                batch = [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]
                self._dynamodb.batch_write_item(RequestItems={name: batch})

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for logical_id, name in self._tables.items():
            items: list[dict[str, Any]] = []
            for page in self._dynamodb.get_paginator("scan").paginate(TableName=name):
                items += page.get("Items") or []
            handle, temp = tempfile.mkstemp(
                dir=self.folder, prefix=f".{logical_id}-", suffix=".tmp"
            )
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump({"format": 1, "items": items}, out, ensure_ascii=False)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temp, self.folder / f"{logical_id}.json")
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
