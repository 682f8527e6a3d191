"""botocore's event hooks: what each new session and client works out again, worked out once.

A session registers about 150 handlers and a client about 50 more. For each, botocore works out
the event's aliased name (by trying every alias on its parts) and reads the handler's signature
with `inspect` (to check it takes **kwargs), and each session and client starts with empty
caches of both. A local run makes a session for the runtime, for each function's cold start
and for the state machine interpreter: 40 ms of its first second went on these, worked out
again for the same names and the same functions. Both answers depend only on the name (with
botocore's own aliases) or on the function, so here they are kept once a process.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import botocore.hooks

from .patching import Patch

# Aliased names, for every aliaser with botocore's own aliases: the answer depends on nothing else.
_ALIASED: dict[str, str] = {}


def _shared_alias_cache(original: Callable[..., None]) -> Callable[..., None]:
    def init(self: Any, event_emitter: Any, event_aliases: Any = None) -> None:
        original(self, event_emitter, event_aliases)
        # A copied aliaser holds a copy of the aliases: equal, not the same dict.
        if self._event_aliases == botocore.hooks.EVENT_ALIASES:
            self._alias_name_cache = _ALIASED

    return init


def _kwargs_checked_once(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    # By code object: whether a function takes **kwargs is in its code, which every closure made
    # from the same `def` shares, so nothing a session makes is kept alive by this.
    accepts: dict[types.CodeType, bool] = {}

    def accepts_kwargs(func: Any) -> bool:
        # A method is read as its function, an instance as its class's __call__.
        if isinstance(func, types.MethodType):
            function = func.__func__
        elif isinstance(func, types.FunctionType):
            function = func
        else:
            function = vars(type(func)).get("__call__")
        # Other callables (partials, builtins), and anything given a signature of its own: as
        # before.
        if not isinstance(function, types.FunctionType) or hasattr(func, "__signature__"):
            return original(func)
        code = function.__code__
        if code not in accepts:
            accepts[code] = original(func)
        return accepts[code]

    return accepts_kwargs


PATCHES = [
    Patch(botocore.hooks.EventAliaser, "__init__", _shared_alias_cache),
    Patch(botocore.hooks, "accepts_kwargs", _kwargs_checked_once),
]
REQUIRED = [(botocore.hooks, "EVENT_ALIASES")]
