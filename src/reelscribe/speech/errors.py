"""The speech engines' errors, in one place so every speech module can raise them."""

from __future__ import annotations

from ..errors import EngineError


class SpeechError(EngineError):
    """Speech could not be recognised; the message says why in plain words."""


class NoAudioStreamError(SpeechError):
    """The file is readable media but has no audio stream to listen to."""


class UnsupportedLanguageError(SpeechError):
    """The speech models at hand cannot do what was asked in this language (or cannot tell
    the language at all); the message names the model and what would work."""
