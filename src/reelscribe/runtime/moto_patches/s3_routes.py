"""S3's URL table, read once a run.

moto finds the handler of every S3 request by reloading its `moto.s3.urls` module, twice a
request, so that a change to the MOTO_S3_CUSTOM_ENDPOINTS variable takes effect at once. A local
run never changes it, and a reload re-executes the module after looking for it on the path:
about eight file-system calls each, each one a moment the request thread gives the interpreter
up while the other videos' threads want it. Here the module is reloaded on a run's first S3
request, then kept until the patches are undone.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from moto.s3.models import S3Backend

from .patching import Patch


def _read_once(_reloading: Any) -> property:
    # Made anew each time the patches are applied, so each run reads its own environment once.
    routes: Callable[[], ModuleType] = functools.cache(
        lambda: importlib.reload(importlib.import_module("moto.s3.urls"))
    )
    return property(lambda _backend: routes())


PATCHES = [Patch(S3Backend, "_url_module", _read_once)]
