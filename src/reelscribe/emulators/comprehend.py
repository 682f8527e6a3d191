"""Amazon Comprehend's synchronous sentiment, key phrase and entity detection, over offline engines.

BatchDetectSentiment, BatchDetectKeyPhrases and BatchDetectEntities, and the single-document
DetectSentiment, DetectKeyPhrases and DetectEntities, validated and answered as the service
does: VADER for sentiment, YAKE for key phrases, spaCy (when a model is installed) for entities;
see reelscribe.text for how each maps onto Comprehend's labels and scores. The calls are cheap
and synchronous, like the service's, so there is no job pool.

Limits, as the service documents them: a batch holds 1 to 25 documents of at most 5,000 bytes
of UTF-8 each; DetectSentiment takes 5,000 bytes, DetectKeyPhrases and DetectEntities 100,000.
Each engine analyses the languages it has a model for: key phrases in English, Spanish,
French, German, Italian and Portuguese (YAKE's stop words); sentiment (VADER's lexicon) and
entities (the spaCy model) in English only. A language an engine has no model for is refused
with UnsupportedLanguageException, saying so, rather than analysed as if it were English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..runtime.interception import Router, ServiceError
from ..text import entities, phrases, sentiment
from .warming import Warming

MAX_BATCH_DOCUMENTS = 25
BATCH_DOCUMENT_BYTES = 5_000
SENTIMENT_DOCUMENT_BYTES = 5_000
DOCUMENT_BYTES = 100_000
SENTIMENT_LANGUAGES = frozenset({"en"})
KEY_PHRASE_LANGUAGES = phrases.LANGUAGES
ENTITY_LANGUAGES = frozenset({"en"})


class ComprehendEmulator:
    def __init__(self) -> None:
        # Each engine loads itself once, on first use or on warm(), shared process-wide.
        self._warming = Warming("comprehend-warm")

    def warm(self) -> None:
        """Load the engines in the background, once: the first call then answers at once, as
        the service does, instead of waiting on imports and lexicons."""
        self._warming.start(_load_engines)

    def register(self, router: Router) -> None:
        router.answer("comprehend", "BatchDetectSentiment", self.batch_detect_sentiment)
        router.answer("comprehend", "BatchDetectKeyPhrases", self.batch_detect_key_phrases)
        router.answer("comprehend", "BatchDetectEntities", self.batch_detect_entities)
        router.answer("comprehend", "DetectSentiment", self.detect_sentiment)
        router.answer("comprehend", "DetectKeyPhrases", self.detect_key_phrases)
        router.answer("comprehend", "DetectEntities", self.detect_entities)

    # ------------------------------------------------------------------ batches
    def batch_detect_sentiment(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _sentiment, SENTIMENT_LANGUAGES, "sentiment")

    def batch_detect_key_phrases(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _key_phrases, KEY_PHRASE_LANGUAGES, "key phrases")

    def batch_detect_entities(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _entities, ENTITY_LANGUAGES, "entities")

    # ------------------------------------------------------------------ single documents
    def detect_sentiment(self, params: dict[str, Any]) -> dict[str, Any]:
        text, language = _document(
            params, SENTIMENT_DOCUMENT_BYTES, SENTIMENT_LANGUAGES, "sentiment"
        )
        return _sentiment(text, language)

    def detect_key_phrases(self, params: dict[str, Any]) -> dict[str, Any]:
        text, language = _document(params, DOCUMENT_BYTES, KEY_PHRASE_LANGUAGES, "key phrases")
        return _key_phrases(text, language)

    def detect_entities(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("EndpointArn") or params.get("Bytes") is not None:
            raise ServiceError(
                "InvalidRequestException",
                "Custom entity recognizer endpoints and document Bytes are not available "
                "locally; send the document as Text with LanguageCode en.",
            )
        text, language = _document(params, DOCUMENT_BYTES, ENTITY_LANGUAGES, "entities")
        return _entities(text, language)


# ---------------------------------------------------------------------- one document's answer
def _sentiment(text: str, _: str) -> dict[str, Any]:
    label, scores = sentiment.detect_sentiment(text)
    return {"Sentiment": label, "SentimentScore": scores}


def _key_phrases(text: str, language: str) -> dict[str, Any]:
    return {"KeyPhrases": phrases.detect_key_phrases(text, language=language)}


def _entities(text: str, _: str) -> dict[str, Any]:
    try:
        return {"Entities": entities.detect_entities(text)}
    except entities.EntitiesUnavailableError as error:
        # The service's own failure code: the request was fine, the service could not serve it.
        raise ServiceError("InternalServerException", str(error), 500) from None


# ---------------------------------------------------------------------- validation
def _batch(
    params: dict[str, Any],
    analyse: Callable[[str, str], dict[str, Any]],
    languages: frozenset[str],
    what: str,
) -> dict[str, Any]:
    documents = params.get("TextList")
    if not isinstance(documents, list):
        raise ServiceError("InvalidRequestException", "TextList is required: a list of documents")
    if not 1 <= len(documents) <= MAX_BATCH_DOCUMENTS:
        raise ServiceError(
            "BatchSizeLimitExceededException",
            f"The request has {len(documents)} documents; a batch takes 1 to "
            f"{MAX_BATCH_DOCUMENTS} documents. Send the documents in smaller batches.",
        )
    texts = [
        _checked_text(text, BATCH_DOCUMENT_BYTES, f"TextList[{index}]")
        for index, text in enumerate(documents)
    ]
    language = _check_language(params, languages, what)
    # Every document is answered or the whole call fails, so ErrorList is always empty: the
    # engines either work for all documents or, for entities without spaCy, for none.
    return {
        "ResultList": [
            {"Index": index, **analyse(text, language)} for index, text in enumerate(texts)
        ],
        "ErrorList": [],
    }


def _document(
    params: dict[str, Any], limit: int, languages: frozenset[str], what: str
) -> tuple[str, str]:
    text = _checked_text(params.get("Text"), limit, "Text")
    return text, _check_language(params, languages, what)


def _checked_text(text: Any, limit: int, what: str) -> str:
    if not isinstance(text, str):
        raise ServiceError("InvalidRequestException", f"{what} must be a string of text")
    if not text:
        # The service refuses empty documents outright rather than calling them NEUTRAL.
        raise ServiceError(
            "InvalidRequestException", f"{what} is empty; a document needs at least one character"
        )
    size = len(text.encode("utf-8"))
    if size > limit:
        raise ServiceError(
            "TextSizeLimitExceededException",
            f"Input text size exceeds limit. {what} is {size} bytes of UTF-8; the most allowed "
            f"is {limit} bytes. Split the text into smaller documents.",
        )
    return text


def _check_language(params: dict[str, Any], languages: frozenset[str], what: str) -> str:
    code = params.get("LanguageCode")
    if not code:
        raise ServiceError("InvalidRequestException", "LanguageCode is required")
    if code not in languages:
        known = ", ".join(f'"{language}"' for language in sorted(languages))
        raise ServiceError(
            "UnsupportedLanguageException",
            f'Language "{code}" is not supported here: no offline model for {what} in that '
            f"language ships with the local Comprehend, which analyses {what} in {known} only.",
        )
    return str(code)


def _load_engines() -> None:
    sentiment.warm()
    phrases.warm()
    entities.available()
