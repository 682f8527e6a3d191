"""DynamoDB tables whose items outlive a local run: those the template marks ``Library: true``
in their Metadata (the people table). moto's tables live as long as the runtime, so each is
filled from ``<library>/tables/<LogicalId>.json`` when the runtime starts and written back
when it ends. This is the only code that knows where those items are kept.

Two runs may share a library (two `reelscribe` commands on one ``--out`` at once), each with
its own copy of the table in memory. So a save writes back only what this run changed: under
an exclusive lock on ``tables.lock``, the file is read again, the items this run added, changed
or deleted since it loaded are applied to it, and it is written to a temporary file renamed
over the old one (a crash leaves the last whole file). Another run's changes in between stay.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..template import Template

_LOCK = "tables.lock"
Key = tuple[str, ...]


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
        self._loaded: dict[str, dict[Key, dict[str, Any]]] = {}
        self._key_names: dict[str, list[str]] = {}

    def load(self) -> None:
        with self._locked():
            for logical_id, name in self._tables.items():
                items = self._read(logical_id)
                self._loaded[logical_id] = self._keyed(name, items)
                for start in range(0, len(items), 25):
                    batch = [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]
                    self._dynamodb.batch_write_item(RequestItems={name: batch})

    def save(self) -> None:
        changes = {}
        for logical_id, name in self._tables.items():
            now = self._keyed(name, self._scan(name))
            if now != self._loaded.get(logical_id, {}):
                changes[logical_id] = (name, now)
        if not changes:
            return  # a run that enrolled no one writes nothing, even to a full disk
        with self._locked():
            for logical_id, (name, now) in changes.items():
                before = self._loaded.get(logical_id, {})
                kept = self._keyed(name, self._read(logical_id))
                for key, item in now.items():
                    if before.get(key) != item:
                        kept[key] = item
                for key in before.keys() - now.keys():
                    kept.pop(key, None)
                self._write(logical_id, list(kept.values()))
                self._loaded[logical_id] = now

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / _LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _keyed(self, name: str, items: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
        if name not in self._key_names:
            schema = self._dynamodb.describe_table(TableName=name)["Table"]["KeySchema"]
            self._key_names[name] = [k["AttributeName"] for k in schema]
        names = self._key_names[name]
        return {tuple(json.dumps(i[n], sort_keys=True) for n in names): i for i in items}

    def _scan(self, name: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in self._dynamodb.get_paginator("scan").paginate(TableName=name):
            items += page.get("Items") or []
        return items

    def _read(self, logical_id: str) -> list[dict[str, Any]]:
        path = self.folder / f"{logical_id}.json"
        if not path.exists():
            return []
        items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["items"]
        return items

    def _write(self, logical_id: str, items: list[dict[str, Any]]) -> None:
        handle, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{logical_id}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": 1, "items": items}, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.folder / f"{logical_id}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
