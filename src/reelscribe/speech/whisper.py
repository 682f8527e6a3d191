"""Offline speech recognition with faster-whisper, in the language that was spoken.

When no language is given, the multilingual model identifies it from the first 30 seconds of
speech (restricted to the candidates the caller allows); English is then transcribed with the
fast English-only model and other languages with the multilingual one (see `models`). A model
folder on disk is enough: nothing here reaches the network unless no folder can be found and
the model name is left for faster-whisper to download. faster-whisper is imported only when a
model is loaded, so code that merely formats a `Recognition` stays light.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av

from .errors import NoAudioStreamError, SpeechError, UnsupportedLanguageError
from .models import (
    DEFAULT_CPU_THREADS,
    MODEL_ENV_VAR,
    ModelSet,
    load,
    resolve_models,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "MODEL_ENV_VAR",
    "ModelSet",
    "NoAudioStreamError",
    "Recognition",
    "SpeechError",
    "UnsupportedLanguageError",
    "check_model",
    "identify_language",
    "recognize",
    "resolve_models",
]

SAMPLE_RATE = 16_000
# Measured on espeak-ng speech with tiny.en int8 on 2 cores: beam 5 cut the word error rate
# by about a tenth (5.5 % -> 4.9 %) and mostly avoided garbled first words, for about 40 %
# more compute (0.06 -> 0.09 s per second of audio). Both are far faster than real time.
DEFAULT_BEAM_SIZE = 5
# Whisper identifies a language from one 30 s window; speech is looked for in the first two
# minutes, so a quiet opening does not decide the language and a long file is not scanned.
IDENTIFY_SECONDS = 30
IDENTIFY_SEARCH_SECONDS = 120
# How many languages' scores a result keeps: Transcribe lists a few, not every language.
TOP_SCORES = 5
# Transcriptions kept, by the audio's digest, model, language and beam: a job given its
# language and the job that checks it transcribe the same audio the same way, so the second
# is answered from the first (a model's output for the same samples is the same).
KEPT_TRANSCRIPTIONS = 8


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
    """Everything recognised in one audio file; `segments` is empty for silence.

    `language_scores` are the identified languages' probabilities, best first (empty when the
    language was given); `identify_seconds` is the time identification took.
    """

    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...]
    language_scores: tuple[tuple[str, float], ...] = ()
    identify_seconds: float = field(default=0.0, compare=False)


def check_model(explicit: str | None = None) -> ModelSet:
    """The models `resolve_models` finds; one named explicitly is loaded too (and kept loaded
    for the run), so that a folder that only looks like a model is told before any work."""
    return resolve_models(explicit)


Scores = tuple[tuple[str, float], ...]
_transcriptions: OrderedDict[tuple[str, str, str, int], Recognition] = OrderedDict()
_transcriptions_lock = threading.Lock()


def recognize(
    audio_path: Path,
    *,
    language: str | None = None,
    model: str | None = None,
    candidates: Collection[str] | None = None,
    cpu_threads: int = DEFAULT_CPU_THREADS,
    beam_size: int = DEFAULT_BEAM_SIZE,
    on_identified: Callable[[Scores], None] | None = None,
) -> Recognition:
    """Recognise the speech in an audio or video file.

    `language` is a whisper language code such as "en", or None to identify it among
    `candidates` (whisper codes; None allows every language); `model` is a model folder (see
    `models.resolve_models`). Safe to call from several threads: each model is loaded once
    and used by one call at a time. Raises SpeechError when the file cannot be read or a
    model cannot be loaded, NoAudioStreamError when there is nothing to hear, and
    UnsupportedLanguageError when the models cannot identify or transcribe the language.
    With no `language`, `on_identified` is given the scores as soon as they are known, before
    the transcription.
    """
    if cpu_threads < 1:
        raise ValueError(f"cpu_threads must be at least 1, not {cpu_threads}")
    models = resolve_models(model)
    if language is None:
        models.check_identification()
    else:
        models.check_language(language)
    digest = _digest(Path(audio_path))
    if language is not None and digest is not None:
        kept = _kept((digest, models.for_language(language), language, beam_size))
        if kept is not None:
            return kept
    samples = _decode(Path(audio_path))
    if samples.size == 0:
        # Nothing to identify a language from, so report the requested one, or English with
        # no confidence, rather than guess.
        return Recognition(language or "en", 1.0 if language else 0.0, 0.0, ())
    scores: Scores = ()
    identify_seconds = 0.0
    if language is None:
        started = time.perf_counter()
        scores = _identify(models, samples, candidates, cpu_threads)
        identify_seconds = time.perf_counter() - started
        language = scores[0][0]
        if on_identified is not None:
            on_identified(scores)
    model_ref = models.for_language(language)
    key = None if digest is None else (digest, model_ref, language, beam_size)
    recognition = None if key is None else _kept(key)
    if recognition is None:
        loaded = load(model_ref, cpu_threads, explicit=models.explicit)
        with loaded.lock:
            recognition = _transcribe(loaded.model, samples, language, beam_size)
        if key is not None:
            _keep(key, recognition)
    if not scores:
        return recognition
    return Recognition(
        language=language,
        language_probability=scores[0][1],
        duration=recognition.duration,
        segments=recognition.segments,
        language_scores=scores,
        identify_seconds=identify_seconds,
    )


def identify_language(
    audio_path: Path,
    *,
    model: str | None = None,
    candidates: Collection[str] | None = None,
    cpu_threads: int = DEFAULT_CPU_THREADS,
) -> tuple[tuple[tuple[str, float], ...], float]:
    """The likeliest languages of the speech, as `recognize` identifies them, and the seconds
    identification took (decoding the file not included). Empty for a silent file."""
    models = resolve_models(model)
    models.check_identification()
    samples = _decode(Path(audio_path))
    if samples.size == 0:
        return (), 0.0
    started = time.perf_counter()
    scores = _identify(models, samples, candidates, cpu_threads)
    return scores, time.perf_counter() - started


def _identify(
    models: ModelSet,
    samples: npt.NDArray[np.float32],
    candidates: Collection[str] | None,
    cpu_threads: int,
) -> tuple[tuple[str, float], ...]:
    """The most likely candidate languages (TOP_SCORES at most), best first.

    The probabilities are shared out among the candidates only, as a job's LanguageOptions
    (or the languages the service knows) restrict what it may answer.
    """
    assert models.multilingual is not None  # checked by check_identification
    loaded = load(models.multilingual, cpu_threads, explicit=models.explicit)
    head = samples[: IDENTIFY_SEARCH_SECONDS * SAMPLE_RATE]
    with loaded.lock:
        try:
            _, _, probabilities = loaded.model.detect_language(audio=head, vad_filter=True)
        except ValueError:  # the voice detector found no speech: listen to the start as it is
            _, _, probabilities = loaded.model.detect_language(
                audio=head[: IDENTIFY_SECONDS * SAMPLE_RATE]
            )
    allowed = None if candidates is None else frozenset(candidates)
    scores = [
        (str(lang), float(p)) for lang, p in probabilities if allowed is None or lang in allowed
    ]
    if not scores:
        raise UnsupportedLanguageError(
            f"none of the languages asked for ({', '.join(sorted(allowed or ()))}) is one "
            "Whisper knows"
        )
    total = sum(p for _, p in scores) or 1.0
    return tuple((lang, p / total) for lang, p in scores[:TOP_SCORES])


def _digest(audio_path: Path) -> str | None:
    """The file's digest, or None if it cannot be read (decoding then says why)."""
    try:
        with audio_path.open("rb") as audio:
            return hashlib.file_digest(audio, "blake2b").hexdigest()
    except OSError:
        return None


def _kept(key: tuple[str, str, str, int]) -> Recognition | None:
    with _transcriptions_lock:
        kept = _transcriptions.get(key)
        if kept is not None:
            _transcriptions.move_to_end(key)
        return kept


def _keep(key: tuple[str, str, str, int], recognition: Recognition) -> None:
    with _transcriptions_lock:
        _transcriptions[key] = recognition
        while len(_transcriptions) > KEPT_TRANSCRIPTIONS:
            _transcriptions.popitem(last=False)


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
