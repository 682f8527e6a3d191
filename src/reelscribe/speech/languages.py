"""Whisper's languages and Amazon Transcribe's language codes, each way.

Whisper names a language ("es"); Transcribe names a locale ("es-US", "es-ES"). A job that
names LanguageOptions gets the option whose language was heard; otherwise each language gets
the locale below. Where Transcribe offers several, the one with the most speakers is chosen
(Spanish is es-US, as the service's own examples use; Portuguese is pt-BR; Chinese is
Mandarin, zh-CN). Whisper calls Javanese "jw" and Cantonese "yue"; Transcribe has them as
jv-ID and zh-HK.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

LANGUAGE_CODES: dict[str, str] = {
    "af": "af-ZA", "am": "am-ET", "ar": "ar-SA", "az": "az-AZ", "ba": "ba-RU", "be": "be-BY",
    "bg": "bg-BG", "bn": "bn-IN", "bs": "bs-BA", "ca": "ca-ES", "cs": "cs-CZ", "cy": "cy-GB",
    "da": "da-DK", "de": "de-DE", "el": "el-GR", "en": "en-US", "es": "es-US", "et": "et-EE",
    "eu": "eu-ES", "fa": "fa-IR", "fi": "fi-FI", "fr": "fr-FR", "gl": "gl-ES", "gu": "gu-IN",
    "ha": "ha-NG", "he": "he-IL", "hi": "hi-IN", "hr": "hr-HR", "ht": "ht-HT", "hu": "hu-HU",
    "hy": "hy-AM", "id": "id-ID", "is": "is-IS", "it": "it-IT", "ja": "ja-JP", "jw": "jv-ID",
    "ka": "ka-GE", "kk": "kk-KZ", "km": "km-KH", "kn": "kn-IN", "ko": "ko-KR", "lt": "lt-LT",
    "lv": "lv-LV", "mi": "mi-NZ", "mk": "mk-MK", "ml": "ml-IN", "mn": "mn-MN", "mr": "mr-IN",
    "ms": "ms-MY", "mt": "mt-MT", "my": "my-MM", "ne": "ne-NP", "nl": "nl-NL", "no": "no-NO",
    "pa": "pa-IN", "pl": "pl-PL", "ps": "ps-AF", "pt": "pt-BR", "ro": "ro-RO", "ru": "ru-RU",
    "si": "si-LK", "sk": "sk-SK", "sl": "sl-SI", "so": "so-SO", "sq": "sq-AL", "sr": "sr-RS",
    "su": "su-ID", "sv": "sv-SE", "sw": "sw-KE", "ta": "ta-IN", "te": "te-IN", "th": "th-TH",
    "tl": "tl-PH", "tr": "tr-TR", "tt": "tt-RU", "uk": "uk-UA", "uz": "uz-UZ", "vi": "vi-VN",
    "yue": "zh-HK", "zh": "zh-CN",
}  # fmt: skip
# Transcribe codes whose language Whisper spells differently from the code's first part.
_WHISPER_SPELLING = {"jv": "jw", "zh-HK": "yue"}


def whisper_language_to_code(lang: str) -> str:
    """The Transcribe language code for a whisper language ("en" -> "en-US").

    Languages missing from LANGUAGE_CODES get the conventional "xx-XX" form, which is what
    Transcribe uses for most single-country languages.
    """
    base = lang.strip().lower()
    if not base:
        raise ValueError("a language is needed, got an empty string")
    return LANGUAGE_CODES.get(base, f"{base}-{base.upper()}")


def code_to_whisper_language(code: str) -> str:
    """The whisper language for a Transcribe language code ("en-US" -> "en")."""
    code = code.strip()
    if code in _WHISPER_SPELLING:
        return _WHISPER_SPELLING[code]
    base = code.split("-", 1)[0].lower()
    if not base:
        raise ValueError(f"{code!r} is not a language code")
    return _WHISPER_SPELLING.get(base, base)


def locale_for(lang: str, options: Sequence[str] = ()) -> str:
    """The code to report for a heard whisper language: the first option in that language when
    options were given, else the language's usual locale."""
    for option in options:
        if code_to_whisper_language(option) == lang:
            return option
    return whisper_language_to_code(lang)


def candidates(known_codes: Iterable[str], options: Sequence[str] = ()) -> frozenset[str]:
    """The whisper languages identification may answer: the options' languages when given,
    else every language whose locale the service knows."""
    if options:
        return frozenset(code_to_whisper_language(option) for option in options)
    known = set(known_codes)
    return frozenset(lang for lang, code in LANGUAGE_CODES.items() if code in known)


@functools.cache
def whisper_languages() -> frozenset[str]:
    """Every language the multilingual Whisper models know (99, plus Cantonese)."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES  # the one list; no public name

    return frozenset(str(code) for code in _LANGUAGE_CODES)
