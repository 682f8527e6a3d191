"""A run's collector: nothing collected while it starts, then collections in larger batches."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from reelscribe.heap import collection_deferred, heap_policy, libraries_kept

# Python's default thresholds.
_PYTHONS = (700, 10, 10)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection the collector starts, automatic or asked for, with
    Python's own thresholds (a tool run in-process, such as mypy, may have raised them)."""
    seen: list[int] = []
    thresholds = gc.get_threshold()
    gc.set_threshold(*_PYTHONS)

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        yield seen
    finally:
        gc.callbacks.remove(heard)
        gc.set_threshold(*thresholds)


def _make_garbage(count: int = 50_000) -> None:
    for _ in range(count):
        _Cycle()


def test_collection_deferred_while_importing_collects_nothing_then_resumes(
    collections: list[int],
) -> None:
    # Given the collector running, as Python starts it
    assert gc.isenabled()
    # When far more objects than a collection's threshold are made inside
    with collection_deferred():
        _make_garbage()
        inside = len(collections)
    # Then none was collected there, and the collector runs again after
    assert inside == 0
    assert gc.isenabled()
    _make_garbage()
    assert collections


def test_libraries_kept_after_imports_collects_only_what_the_command_makes(
    collections: list[int],
) -> None:
    # Given a command importing its libraries: far more objects than a collection's threshold
    with libraries_kept() as imported:
        libraries = [_Cycle() for _ in range(50_000)]
        during_imports = len(collections)
        imported()
        frozen = gc.get_freeze_count()
        # When the command goes on making short-lived objects
        _make_garbage()
        while_running = len(collections)
    # Then nothing was collected while importing, what the imports made was frozen out of the
    # collections the command's own garbage started, and all is as it was once it is over
    assert during_imports == 0
    assert frozen >= len(libraries)
    assert while_running > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_libraries_kept_when_an_import_fails_leaves_the_collector_as_it_was() -> None:
    # Given a command whose libraries fail to import
    with pytest.raises(ImportError), libraries_kept():
        raise ImportError("no such library")
    # Then the collector runs as before, with nothing frozen
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_heap_policy_collects_nothing_before_settle_then_skips_the_frozen_heap(
    collections: list[int],
) -> None:
    # Given a run's start: its libraries and runtime made before `settle`
    with heap_policy() as settle:
        _make_garbage()
        before = len(collections)
        kept = [object() for _ in range(1_000)]
        settle()
        # When the run goes on making short-lived objects
        frozen = gc.get_freeze_count()
        _make_garbage()
        after = len(collections)
        thresholds = gc.get_threshold()
    # Then nothing was collected before settling; the heap made by then was frozen out of
    # collections, which resumed in larger batches; and all is as it was once the run is over
    assert before == 0
    assert frozen >= len(kept)
    assert after > 0
    assert thresholds[0] > _PYTHONS[0]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == _PYTHONS


def test_heap_policy_that_ends_before_settle_leaves_the_collector_as_it_was() -> None:
    # Given a run that fails before its runtime is up (a usage error)
    with pytest.raises(RuntimeError), heap_policy():
        raise RuntimeError("before settle")
    # Then the collector runs as before
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
