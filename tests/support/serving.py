"""`reelscribe serve`'s app in this process, on a free port, for as long as a test needs it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reelscribe.library import library_dir
from reelscribe.library.serve import app_server, listen
from reelscribe.runtime.local import LocalRuntime

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving(out: Path) -> Iterator[str]:
    """The address the output folder is served at, as `reelscribe serve --port 0` serves it."""
    with LocalRuntime(ROOT / "template.yaml", library=library_dir(out)) as runtime:
        server = app_server(out, listen(0), runtime)
        thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.port}/"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
