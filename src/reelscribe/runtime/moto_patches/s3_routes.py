"""S3's URL table, read once a run.

moto finds the handler of every S3 request by reloading its `moto.s3.urls` module, twice a
request, so that a change to the MOTO_S3_CUSTOM_ENDPOINTS variable takes effect at once. A local
run never changes it, and a reload re-executes the module after looking for it on the path: a
dozen file-system calls a request, each one a moment the request thread gives the interpreter
up while the other videos' threads want it. Here the module is reloaded on first use, then kept.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

from moto.s3.models import S3Backend

from .patching import replace


@functools.cache
def _routes() -> ModuleType:
    # Reloaded once, as moto would: settings read at import reflect the run's environment.
    return importlib.reload(importlib.import_module("moto.s3.urls"))


def _url_module(_backend: Any) -> ModuleType:
    return _routes()


PATCHES = [replace(S3Backend, "_url_module", property(_url_module))]
