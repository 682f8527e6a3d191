"""The interception's handlers at the head of botocore's built-in list.

botocore copies `BUILTIN_HANDLERS` into every session it makes, which is how the state machine
interpreter's own clients reach the emulators too."""

from __future__ import annotations

from typing import Any

import botocore.handlers

from ..interception import HANDLERS
from .patching import Patch


def _with_interception(original: list[Any]) -> list[Any]:
    return [*HANDLERS, *original]


PATCHES = [Patch(botocore.handlers, "BUILTIN_HANDLERS", _with_interception)]
