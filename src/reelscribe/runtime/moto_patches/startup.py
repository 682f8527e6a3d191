"""Keep moto's start-up to the services the pipeline uses.

moto's ASL interpreter imports `moto.batch` for one enum, and `moto.batch` imports all of
EC2's models: about 0.9 s of every local run, for a service the pipeline never calls. Here
`moto.batch` is registered as a bare package, so its submodules import on their own; the
first use of anything else on it (moto's backend index asking for `batch_backends`) runs
the package's real imports then.

moto imports its IAM models at its first request of any service (to note the account as
seen), and they import cryptography's X.509 module for certificate calls the pipeline never
makes: 30 ms before a run's first transcode. That module is registered to run at its first
use instead (the standard library's LazyLoader).
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


_CERTIFICATES = "cryptography.x509"


def defer_certificates() -> None:
    if _CERTIFICATES in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(_CERTIFICATES)
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[_CERTIFICATES] = module
    spec.loader.exec_module(module)
    # On its package too: `from cryptography import x509` would otherwise look it up through
    # the import system, whose first look at the module (its __spec__) runs it.
    parent, _, child = _CERTIFICATES.rpartition(".")
    setattr(sys.modules[parent], child, module)
