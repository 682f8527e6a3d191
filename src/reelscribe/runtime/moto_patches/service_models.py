"""botocore's service models, read once a process and decoded with orjson.

Every botocore session makes its own loader, and each loader lists the ~400 services' folders
and decodes the JSON models it is asked for with the standard library into OrderedDicts. A
local run has several sessions (the runtime's, the functions' default one, moto's interpreter's),
so the same models were listed and decoded again and again before the first job could start:
about a third of a CPU second; moto makes a loader for each service whose requests it parses.
Here sessions with the same data path share one loader, moto keeps one, and their
files are decoded by orjson (its dicts keep the file's order, as OrderedDict did).

Before loading any model a loader lists every service it could load (to name them in an
UnknownServiceError): a folder read for each of ~400 services, 6 ms, for each kind of file
(models, endpoint rules) and each loader. The data folders do not change while a process runs,
so each listing is made once a process, for every loader with the same folders.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

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


def _listed_once(original: Callable[..., Any]) -> Callable[..., Any]:
    listed: dict[tuple[tuple[str, ...], str], list[str]] = {}

    def list_available_services(self: Any, type_name: str) -> list[str]:
        # boto3 appends its data folder to a shared loader's paths once a session: duplicates.
        key = (tuple(dict.fromkeys(self.search_paths)), type_name)
        if key not in listed:
            listed[key] = original(self, type_name)
        return list(listed[key])

    return list_available_services


PATCHES = [
    Patch(botocore.session, "create_loader", _shared),
    # moto's own loader (botocore's, plus moto's extras) was made anew for each service.
    Patch(moto.core.utils, "create_loader", _shared),
    Patch(botocore.loaders.JSONFileLoader, "_load_file", _decode_fast),
    Patch(botocore.loaders.Loader, "list_available_services", _listed_once),
]
