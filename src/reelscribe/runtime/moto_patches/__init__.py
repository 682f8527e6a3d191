"""Every change the local runtime makes to moto, and those it makes to botocore, in one place.

| Module | What it changes |
|---|---|
| `startup` | Defers `moto.batch` (EC2's models) and X.509 at `import reelscribe`. |
| `aws_parity` | Where moto differs from AWS in ways the pipeline depends on. |
| `interpreter_costs` | Shared clients, compiled JSONPaths and cheaper copies of state data. |
| `service_models` | botocore's service models, listed and read once a process, decoded by orjson. |
| `event_hooks` | botocore's event names and handler checks, worked out once a process. |
| `s3_routes` | S3's URL table, read once a run instead of at every request. |
| `object_bodies` | S3 object bodies past 256 KiB are kept on disk, not in memory. |
| `wait_states` | A Wait ends when the emulated job its own loop reads next has finished. |
| `execution_events` | Listeners hear of an execution as it ends, for its status change event. |
| `history_events` | Listeners hear of each history event as it is recorded. |
| `mock_config` | Step Functions Local's MockConfigFile test cases. |
| `botocore_handlers` | The interception's handlers in every new botocore session. |
| `engine` | Reads (no changes): executions in place, and EventBridge's pattern matcher. |

`install()` checks that the installed moto is the version the patches were written for and
that everything they replace or call is there, failing with a message that names what is
missing; then it applies them. It is counted: the first call applies, later calls only count,
and the matching last `uninstall()` puts back everything that was replaced. No other module
imports from moto's internals.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any

from ...errors import MotoChangedError
from .patching import Applied, Patch, check

# The moto release the patches were written against (pyproject pins the same range).
SUPPORTED_MOTO = "5.2"
_MODULES = (
    "aws_parity",
    "interpreter_costs",
    "object_bodies",
    "service_models",
    "event_hooks",
    "s3_routes",
    "wait_states",
    "execution_events",
    "history_events",
    "mock_config",
    "botocore_handlers",
)

_lock = threading.Lock()
_users = 0
_applied = Applied()


def check_version(version: str | None = None) -> None:
    # Imported here: `import reelscribe` runs this package's __init__, and importlib.metadata
    # would double the time before the CLI can catch a Ctrl-C.
    from importlib.metadata import version as installed

    found = version or installed("moto")
    if found.split(".")[:2] != SUPPORTED_MOTO.split("."):
        raise MotoChangedError(
            f"moto {found} is installed; the local runtime is written for moto "
            f"{SUPPORTED_MOTO}.x (install the versions pyproject.toml pins)"
        )


def _load(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ImportError as error:
        raise MotoChangedError(
            f"{error}: the local runtime's patches need it, and the installed moto no longer has it"
        ) from error


def _patches() -> tuple[list[Patch], list[tuple[Any, str]]]:
    modules = [_load(name) for name in _MODULES]
    patches = [patch for module in modules for patch in module.PATCHES]
    required = [need for module in modules for need in getattr(module, "REQUIRED", [])]
    return patches, required


def install() -> None:
    """Apply every patch, once; raises MotoChangedError, having changed nothing, if moto has
    changed."""
    global _users
    with _lock:
        if _users == 0:
            check_version()
            patches, required = _patches()
            check(patches, required)
            for patch in patches:
                _applied.apply(patch)
        _users += 1


def uninstall() -> None:
    """The last of as many calls as `install` had puts back what the patches replaced."""
    global _users
    with _lock:
        if _users == 0:
            return
        _users -= 1
        if _users == 0:
            _applied.undo()


def installed() -> bool:
    with _lock:
        return _users > 0
