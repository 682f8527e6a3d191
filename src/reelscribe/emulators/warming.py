"""Loading an emulator's engines ahead of its first call, on a background thread, once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Warming:
    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, load: Callable[..., Any], *args: Any) -> None:
        """Run `load(*args)` in the background unless a load has started already. The thread is
        a daemon: a run that ends before its engines are needed does not wait for them."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=load, args=args, name=self._name, daemon=True)
        self._thread.start()
