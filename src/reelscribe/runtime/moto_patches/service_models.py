"""botocore's service models, read once a process and decoded with orjson.

Every botocore session makes its own loader, and each loader lists the ~400 services' folders
and decodes the JSON models it is asked for with the standard library into OrderedDicts. A
local run has several sessions (the runtime's, the functions' default one, moto's interpreter's),
so the same models were listed and decoded again and again before the first job could start:
about a third of a CPU second; moto makes a loader for each service whose requests it parses.
Here sessions with the same data path share one loader, moto keeps one, and their
files are decoded by orjson (its dicts keep the file's order, as OrderedDict did).

Before loading any model a loader lists every service it could load, only to see that the one
asked for is among them (and to name them all in an UnknownServiceError): a folder read for each
of ~400 services, for each kind of file (models, endpoint rules) and each loader, 40 ms of a
run's first second. Here a model's loading asks only whether the one service has that kind of
file, the question botocore answers next anyway when it looks for the latest version; the full
listing is made for an unknown service's error and for callers that want it, once a process for
every loader with the same folders (the data folders do not change while a process runs).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import botocore.exceptions
import botocore.loaders
import botocore.session
import moto.core.utils
import orjson

from .patching import Patch


def _shared(create_loader: Callable[..., Any]) -> Callable[..., Any]:
    return functools.lru_cache(maxsize=8)(create_loader)


def _decode_fast(_original: Callable[..., Any]) -> Callable[..., Any]:
    def load_file(self: Any, full_path: str, open_method: Callable[..., Any]) -> Any:
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as handle:
            return orjson.loads(handle.read())

    return load_file


# The service whose model this thread's loader is loading, while it loads it.
_loading: ContextVar[str | None] = ContextVar("loading", default=None)


def _named_while_loading(original: Callable[..., Any]) -> Callable[..., Any]:
    def load_service_model(self: Any, *args: Any, **kwargs: Any) -> Any:
        token = _loading.set(args[0] if args else kwargs.get("service_name"))
        try:
            return original(self, *args, **kwargs)  # as called: its cache keys on the call
        finally:
            _loading.reset(token)

    return load_service_model


def _listed_once(original: Callable[..., Any]) -> Callable[..., Any]:
    listed: dict[tuple[tuple[str, ...], str], list[str]] = {}

    def list_available_services(self: Any, type_name: str) -> list[str]:
        loading = _loading.get()
        if loading is not None:
            # load_service_model asks whether the service it loads is known. It is if it has a
            # version with that kind of file: botocore's own next question, answered (and
            # cached) here. An unknown one gets the full listing, which its error names.
            try:
                if self.list_api_versions(loading, type_name):
                    return [loading]
            except botocore.exceptions.DataNotFoundError:
                pass
        # boto3 appends its data folder to a shared loader's paths once a session: duplicates.
        key = (tuple(dict.fromkeys(self.search_paths)), type_name)
        if key not in listed:
            listed[key] = original(self, type_name)
        return list(listed[key])

    return list_available_services


REQUIRED = [(botocore.loaders.Loader, "list_api_versions")]

PATCHES = [
    Patch(botocore.session, "create_loader", _shared),
    # moto's own loader (botocore's, plus moto's extras) was made anew for each service.
    Patch(moto.core.utils, "create_loader", _shared),
    Patch(botocore.loaders.JSONFileLoader, "_load_file", _decode_fast),
    Patch(botocore.loaders.Loader, "list_available_services", _listed_once),
    Patch(botocore.loaders.Loader, "load_service_model", _named_while_loading),
]
