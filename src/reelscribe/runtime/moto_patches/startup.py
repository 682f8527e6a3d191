"""Keep moto's start-up to the services the pipeline uses.

moto's ASL interpreter imports `moto.batch` for one enum, and `moto.batch` imports all of
EC2's models: about 0.9 s of every local run, for a service the pipeline never calls. Here
`moto.batch` is registered as a bare package, so its submodules import on their own; the
first use of anything else on it (moto's backend index asking for `batch_backends`) runs
the package's real imports then.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

_PACKAGE = "moto.batch"


def defer_batch_backend() -> None:
    if _PACKAGE in sys.modules:
        return
    moto = importlib.util.find_spec("moto")
    if moto is None or not moto.submodule_search_locations:
        return
    folder = Path(next(iter(moto.submodule_search_locations))) / "batch"
    init = folder / "__init__.py"
    if not init.is_file():
        return
    package = types.ModuleType(_PACKAGE)
    package.__file__ = str(init)
    package.__path__ = [str(folder)]
    package.__package__ = _PACKAGE
    package.__spec__ = importlib.util.spec_from_file_location(
        _PACKAGE, init, submodule_search_locations=[str(folder)]
    )

    def real_attribute(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        models = importlib.import_module(f"{_PACKAGE}.models")
        return getattr(models, name)

    package.__getattr__ = real_attribute  # type: ignore[method-assign]  # PEP 562
    sys.modules[_PACKAGE] = package
