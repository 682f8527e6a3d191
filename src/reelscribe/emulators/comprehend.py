"""Amazon Comprehend's synchronous sentiment, key phrase and entity detection, over offline engines.

BatchDetectSentiment, BatchDetectKeyPhrases and BatchDetectEntities, and the single-document
DetectSentiment, DetectKeyPhrases and DetectEntities, validated and answered as the service
does: VADER for sentiment, YAKE for key phrases, spaCy (when a model is installed) for entities;
see reelscribe.text for how each maps onto Comprehend's labels and scores. The calls are cheap
and synchronous, like the service's, so there is no job pool.

Limits, as the service documents them: a batch holds 1 to 25 documents of at most 5,000 bytes
of UTF-8 each; DetectSentiment takes 5,000 bytes, DetectKeyPhrases and DetectEntities 100,000.
Only English is analysed locally; the other languages Comprehend knows are refused with
UnsupportedLanguageException rather than analysed as if they were English.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..runtime.interception import Router, ServiceError
from ..text import entities, phrases, sentiment

MAX_BATCH_DOCUMENTS = 25
BATCH_DOCUMENT_BYTES = 5_000
SENTIMENT_DOCUMENT_BYTES = 5_000
DOCUMENT_BYTES = 100_000
SUPPORTED_LANGUAGES = frozenset({"en"})


class ComprehendEmulator:
    def __init__(self) -> None:
        # Each engine loads itself once, on first use or on warm(), shared process-wide.
        self._warming: threading.Thread | None = None

    def warm(self) -> None:
        """Load the engines in the background, once: the first call then answers at once, as
        the service does, instead of waiting on imports and lexicons."""
        if self._warming is None:
            self._warming = threading.Thread(target=_load_engines, name="comprehend-warm")
            self._warming.daemon = True
            self._warming.start()

    def register(self, router: Router) -> None:
        router.answer("comprehend", "BatchDetectSentiment", self.batch_detect_sentiment)
        router.answer("comprehend", "BatchDetectKeyPhrases", self.batch_detect_key_phrases)
        router.answer("comprehend", "BatchDetectEntities", self.batch_detect_entities)
        router.answer("comprehend", "DetectSentiment", self.detect_sentiment)
        router.answer("comprehend", "DetectKeyPhrases", self.detect_key_phrases)
        router.answer("comprehend", "DetectEntities", self.detect_entities)

    # ------------------------------------------------------------------ batches
    def batch_detect_sentiment(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _sentiment)

    def batch_detect_key_phrases(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _key_phrases)

    def batch_detect_entities(self, params: dict[str, Any]) -> dict[str, Any]:
        return _batch(params, _entities)

    # ------------------------------------------------------------------ single documents
    def detect_sentiment(self, params: dict[str, Any]) -> dict[str, Any]:
        return _sentiment(_document(params, SENTIMENT_DOCUMENT_BYTES))

    def detect_key_phrases(self, params: dict[str, Any]) -> dict[str, Any]:
        return _key_phrases(_document(params, DOCUMENT_BYTES))

    def detect_entities(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("EndpointArn") or params.get("Bytes") is not None:
            raise ServiceError(
                "InvalidRequestException",
                "Custom entity recognizer endpoints and document Bytes are not available "
                "locally; send the document as Text with LanguageCode en.",
            )
        return _entities(_document(params, DOCUMENT_BYTES))


# ---------------------------------------------------------------------- one document's answer
def _sentiment(text: str) -> dict[str, Any]:
    label, scores = sentiment.detect_sentiment(text)
    return {"Sentiment": label, "SentimentScore": scores}


def _key_phrases(text: str) -> dict[str, Any]:
    return {"KeyPhrases": phrases.detect_key_phrases(text)}


def _entities(text: str) -> dict[str, Any]:
    try:
        return {"Entities": entities.detect_entities(text)}
    except entities.EntitiesUnavailableError as error:
        # The service's own failure code: the request was fine, the service could not serve it.
        raise ServiceError("InternalServerException", str(error), 500) from None


# ---------------------------------------------------------------------- validation
def _batch(params: dict[str, Any], analyse: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
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
    _check_language(params)
    # Every document is answered or the whole call fails, so ErrorList is always empty: the
    # engines either work for all documents or, for entities without spaCy, for none.
    return {
        "ResultList": [{"Index": index, **analyse(text)} for index, text in enumerate(texts)],
        "ErrorList": [],
    }


def _document(params: dict[str, Any], limit: int) -> str:
    text = _checked_text(params.get("Text"), limit, "Text")
    _check_language(params)
    return text


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


def _check_language(params: dict[str, Any]) -> None:
    code = params.get("LanguageCode")
    if not code:
        raise ServiceError("InvalidRequestException", "LanguageCode is required")
    if code not in SUPPORTED_LANGUAGES:
        raise ServiceError(
            "UnsupportedLanguageException",
            f'Language "{code}" is not supported here: the local Comprehend analyses English '
            '("en") only.',
        )


def _load_engines() -> None:
    sentiment.warm()
    phrases.warm()
    entities.available()
