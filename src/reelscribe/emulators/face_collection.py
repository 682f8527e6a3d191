"""Rekognition's face collections, kept on disk so that enrolled people outlive a run.

One JSON file, ``collections.json``, in the library's ``faces/`` folder (``<out>/.library/faces/``
for the CLI) holds every collection: its ARN, creation time and faces, each face with the 128
numbers of its descriptor. Those numbers are biometric data: this file is the only place they
are kept, and DeleteFaces removes them from it.

Two processes may share a folder: every read and change holds an exclusive lock on
``faces.lock`` beside it, and a change is written to a temporary file and renamed over the old
one, so a reader never sees half a file and a crash leaves the last whole one. This class is the
only code that knows the storage; a database can replace it behind the same methods.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_FILE = "collections.json"
_LOCK = "faces.lock"
_FORMAT = 1


class FaceCollections:
    def __init__(self, folder: Path | None = None) -> None:
        """`folder` None keeps the collections in a temporary folder for this process only."""
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="reelscribe-faces-"))
        self.folder = folder
        self._threads = threading.Lock()

    @contextmanager
    def state(self, write: bool = False) -> Iterator[dict[str, Any]]:
        """Every collection, read under the lock; with `write`, saved when the block ends."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._threads, (self.folder / _LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                yield data
                if write:
                    self._write(data)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def has_faces(self) -> bool:
        """Whether any collection holds a face: without one no video face need be described."""
        path = self.folder / _FILE
        if not path.exists():
            return False
        with self.state() as data:
            return any(c["faces"] for c in data["collections"].values())

    def _read(self) -> dict[str, Any]:
        path = self.folder / _FILE
        if not path.exists():
            return {"format": _FORMAT, "collections": {}}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def _write(self, data: dict[str, Any]) -> None:
        handle, name = tempfile.mkstemp(dir=self.folder, prefix=".collections-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, separators=(",", ":"))
                out.flush()
                os.fsync(out.fileno())
            os.replace(name, self.folder / _FILE)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
