"""Whisper's languages and Transcribe's codes: the locale reported, and what may be identified."""

from __future__ import annotations

import botocore.session
import pytest

from reelscribe.speech.languages import (
    LANGUAGE_CODES,
    candidates,
    code_to_whisper_language,
    locale_for,
    whisper_languages,
)


def _transcribe_codes() -> frozenset[str]:
    model = botocore.session.get_session().get_service_model("transcribe")
    return frozenset(model.shape_for("LanguageCode").enum)  # type: ignore[attr-defined]


def test_language_codes_every_locale_is_one_transcribe_takes_and_whisper_knows() -> None:
    assert set(LANGUAGE_CODES.values()) <= _transcribe_codes()
    assert set(LANGUAGE_CODES) <= whisper_languages()


def test_language_codes_cover_every_language_comprehend_analyses() -> None:
    assert {"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh"} <= set(LANGUAGE_CODES)


@pytest.mark.parametrize(
    ("code", "whisper"), [("jv-ID", "jw"), ("zh-HK", "yue"), ("zh-TW", "zh"), ("pt-PT", "pt")]
)
def test_code_to_whisper_language_follows_whisper_spelling(code: str, whisper: str) -> None:
    assert code_to_whisper_language(code) == whisper


def test_locale_for_heard_language_is_the_first_option_in_that_language() -> None:
    options = ["en-GB", "es-ES", "es-MX", "fr-CA"]

    assert locale_for("es", options) == "es-ES"
    assert locale_for("fr", options) == "fr-CA"
    assert locale_for("en", options) == "en-GB"


def test_locale_for_without_options_is_the_usual_locale() -> None:
    assert (locale_for("es"), locale_for("yue"), locale_for("pt")) == ("es-US", "zh-HK", "pt-BR")


def test_candidates_with_options_are_their_languages_only() -> None:
    assert candidates(_transcribe_codes(), ["en-US", "es-ES", "es-MX"]) == {"en", "es"}


def test_candidates_without_options_are_languages_with_a_transcribe_locale() -> None:
    # Whisper knows Latin and Urdu, which Transcribe does not transcribe
    found = candidates(_transcribe_codes())

    assert {"en", "es", "fr", "de", "yue", "jw"} <= found
    assert not {"la", "ur"} & found
