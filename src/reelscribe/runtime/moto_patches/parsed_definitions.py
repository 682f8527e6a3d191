"""Parsed state machine definitions, kept on disk between runs.

moto parses a definition with a pure-Python ANTLR parser: about half a second for this
pipeline's, before anything can run, in every process. The parsed program is plain Python
objects, so the cache folder keeps it pickled, under a name made of the definition's hash
and the versions of moto and Python that parsed it; loading it takes a twentieth of the time.
The cache is only ever an aid: a file that cannot be read is parsed afresh, and one that
cannot be written is not kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto

from ...speech.model_cache import cache_root

Parse = Callable[[str], tuple[Any, Any]]


def cache_file(definition: str) -> Path:
    versions = f"moto {moto.__version__} python {sys.version_info[0]}.{sys.version_info[1]}"
    digest = hashlib.sha256(f"{versions}\n{definition}".encode()).hexdigest()[:32]
    return cache_root() / "definitions" / f"{digest}.pickle"


def parse_kept(
    definition: str, parse: Parse, loaded: Callable[[Any], None] = lambda _program: None
) -> tuple[Any, Any]:
    """moto's (program, parse tree) for `definition`. The tree is not kept: only moto's static
    analysers read it, and the local runtime runs none of them. `loaded` is told of a program
    read from the cache, to redo what parsing it would have set off in this process."""
    path = cache_file(definition)
    kept = _load(path)
    if kept is not None:
        loaded(kept)
        return kept, None
    program, tree = parse(definition)  # raises for a definition that does not parse
    _keep(path, program)
    return program, tree


def _load(path: Path) -> Any:
    """The kept program, or None. Unpickling runs code, so only a file this user owns and no
    one else can write is read."""
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
            return pickle.load(handle)  # noqa: S301 - the user's own file, checked above
    except Exception:  # noqa: BLE001 - absent, unreadable or from another build: parse it
        return None


def _keep(path: Path, program: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(program, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # whole or not at all, even with two runs at once
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        Path(temporary).unlink(missing_ok=True)
