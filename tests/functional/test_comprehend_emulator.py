"""The Comprehend emulator answers a real boto3 client as Amazon Comprehend does."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from reelscribe.emulators.comprehend import ComprehendEmulator
from reelscribe.runtime import interception
from reelscribe.text import entities

DOCUMENTS = [
    "I love how simple this pipeline is, and the results are wonderful.",
    "The old system was slow, broken and frustrating.",
    "The next release is planned for June.",
]


@pytest.fixture
def comprehend(aws: None) -> Iterator[Any]:
    router = interception.Router()
    ComprehendEmulator().register(router)
    interception.activate(router)
    try:
        yield boto3.client("comprehend", region_name="us-east-1")
    finally:
        interception.deactivate(router)


@pytest.fixture
def no_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """As where spaCy is not installed, whether or not it is installed here."""
    monkeypatch.setitem(sys.modules, "spacy", None)
    monkeypatch.setenv(entities.MODEL_ENV_VAR, f"no_such_model_{uuid.uuid4().hex}")


def _error_code(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return str(raised.value.response["Error"]["Code"])


# ---------------------------------------------------------------------- sentiment
def test_batch_detect_sentiment_three_documents_answers_each_in_order(comprehend: Any) -> None:
    response = comprehend.batch_detect_sentiment(TextList=DOCUMENTS, LanguageCode="en")
    assert response["ErrorList"] == []
    assert [result["Index"] for result in response["ResultList"]] == [0, 1, 2]
    assert [result["Sentiment"] for result in response["ResultList"]] == [
        "POSITIVE",
        "NEGATIVE",
        "NEUTRAL",
    ]
    for result in response["ResultList"]:
        scores = result["SentimentScore"]
        assert set(scores) == {"Positive", "Negative", "Neutral", "Mixed"}
        assert sum(scores.values()) == pytest.approx(1.0)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_batch_detect_sentiment_26_documents_raises_batch_size_limit(comprehend: Any) -> None:
    with pytest.raises(comprehend.exceptions.BatchSizeLimitExceededException) as raised:
        comprehend.batch_detect_sentiment(TextList=["Fine."] * 26, LanguageCode="en")
    assert "25 documents" in raised.value.response["Error"]["Message"]


def test_batch_detect_sentiment_5001_byte_document_raises_text_size_limit(
    comprehend: Any,
) -> None:
    with pytest.raises(comprehend.exceptions.TextSizeLimitExceededException) as raised:
        comprehend.batch_detect_sentiment(TextList=["Fine.", "a" * 5001], LanguageCode="en")
    message = raised.value.response["Error"]["Message"]
    assert "TextList[1]" in message
    assert "5001 bytes" in message


def test_batch_detect_sentiment_multibyte_document_counts_bytes_not_characters(
    comprehend: Any,
) -> None:
    # 2,501 characters, but 5,002 bytes of UTF-8.
    with pytest.raises(comprehend.exceptions.TextSizeLimitExceededException):
        comprehend.batch_detect_sentiment(TextList=["é" * 2501], LanguageCode="en")


def test_batch_detect_sentiment_5000_byte_document_is_answered(comprehend: Any) -> None:
    text = ("The video is fine. " * 300)[:5000]
    response = comprehend.batch_detect_sentiment(TextList=[text], LanguageCode="en")
    assert len(response["ResultList"]) == 1


def test_batch_detect_sentiment_spanish_raises_unsupported_language(comprehend: Any) -> None:
    with pytest.raises(comprehend.exceptions.UnsupportedLanguageException) as raised:
        comprehend.batch_detect_sentiment(TextList=["Me encanta."], LanguageCode="es")
    assert '"en"' in raised.value.response["Error"]["Message"]


def test_batch_detect_sentiment_empty_document_raises_invalid_request(aws: None) -> None:
    # boto3 refuses an empty string before sending it; without its checks the service answers.
    router = interception.Router()
    ComprehendEmulator().register(router)
    interception.activate(router)
    try:
        client = boto3.client(
            "comprehend", region_name="us-east-1", config=Config(parameter_validation=False)
        )
        with pytest.raises(client.exceptions.InvalidRequestException):
            client.batch_detect_sentiment(TextList=["Fine.", ""], LanguageCode="en")
    finally:
        interception.deactivate(router)


def test_detect_sentiment_single_document_matches_batch_answer(comprehend: Any) -> None:
    single = comprehend.detect_sentiment(Text=DOCUMENTS[0], LanguageCode="en")
    batch = comprehend.batch_detect_sentiment(TextList=DOCUMENTS[:1], LanguageCode="en")
    assert single["Sentiment"] == batch["ResultList"][0]["Sentiment"] == "POSITIVE"
    assert single["SentimentScore"] == batch["ResultList"][0]["SentimentScore"]


def test_detect_sentiment_5001_bytes_raises_text_size_limit(comprehend: Any) -> None:
    with pytest.raises(comprehend.exceptions.TextSizeLimitExceededException):
        comprehend.detect_sentiment(Text="a" * 5001, LanguageCode="en")


# ---------------------------------------------------------------------- key phrases
def test_batch_detect_key_phrases_offsets_slice_to_each_phrase(comprehend: Any) -> None:
    texts = [
        "Every video is stored in the cloud by Amazon Web Services.",
        "Captions are written from the transcript of every upload.",
    ]
    response = comprehend.batch_detect_key_phrases(TextList=texts, LanguageCode="en")
    assert response["ErrorList"] == []
    for result, text in zip(response["ResultList"], texts, strict=True):
        assert result["KeyPhrases"]
        for phrase in result["KeyPhrases"]:
            assert set(phrase) == {"Score", "Text", "BeginOffset", "EndOffset"}
            assert text[phrase["BeginOffset"] : phrase["EndOffset"]] == phrase["Text"]
            assert 0.0 < phrase["Score"] <= 1.0
    first = {p["Text"]: p for p in response["ResultList"][0]["KeyPhrases"]}
    aws_phrase = first["Amazon Web Services"]
    assert (aws_phrase["BeginOffset"], aws_phrase["EndOffset"]) == (38, 57)


def test_detect_key_phrases_document_over_5000_bytes_is_answered(comprehend: Any) -> None:
    # The single-document call takes up to 100 KB; only the batch is held to 5 KB a document.
    text = "Amazon Web Services stores every video. " * 200
    response = comprehend.detect_key_phrases(Text=text, LanguageCode="en")
    assert response["KeyPhrases"]


# ---------------------------------------------------------------------- entities
def test_batch_detect_entities_without_spacy_raises_internal_server_exception(
    comprehend: Any, no_spacy: None
) -> None:
    with pytest.raises(ClientError) as raised:
        comprehend.batch_detect_entities(TextList=["Alice lives in Paris."], LanguageCode="en")
    assert _error_code(raised) == "InternalServerException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "spaCy" in raised.value.response["Error"]["Message"]


def test_detect_entities_without_spacy_raises_internal_server_exception(
    comprehend: Any, no_spacy: None
) -> None:
    with pytest.raises(comprehend.exceptions.InternalServerException):
        comprehend.detect_entities(Text="Alice lives in Paris.", LanguageCode="en")


def test_batch_detect_entities_too_many_documents_is_refused_before_the_engine(
    comprehend: Any, no_spacy: None
) -> None:
    with pytest.raises(comprehend.exceptions.BatchSizeLimitExceededException):
        comprehend.batch_detect_entities(TextList=["Paris."] * 26, LanguageCode="en")


def test_batch_detect_entities_with_shipped_model_answers_typed_offsets(comprehend: Any) -> None:
    text = "Alice Johnson moved to Paris in June 2021."
    response = comprehend.batch_detect_entities(TextList=[text], LanguageCode="en")
    found = {(e["Type"], e["Text"]) for e in response["ResultList"][0]["Entities"]}
    assert {("PERSON", "Alice Johnson"), ("LOCATION", "Paris")} <= found
    for entity in response["ResultList"][0]["Entities"]:
        assert text[entity["BeginOffset"] : entity["EndOffset"]] == entity["Text"]


def test_batch_detect_key_phrases_spanish_uses_spanish_stop_words(comprehend: Any) -> None:
    # Given a Spanish document / When its key phrases are asked for in Spanish
    text = "Los precios de las casas en la ciudad de Barcelona subieron mucho este año."
    response = comprehend.batch_detect_key_phrases(TextList=[text], LanguageCode="es")
    phrases = [p["Text"] for p in response["ResultList"][0]["KeyPhrases"]]
    # Then phrases are found, and none starts or ends with a Spanish stop word (English stop
    # words would give "Los precios" and "las casas")
    assert "precios" in phrases
    stop_words = {"los", "las", "el", "de", "la", "del", "y", "en", "este", "mucho"}
    assert all(p.split()[0].lower() not in stop_words for p in phrases), phrases
    assert all(p.split()[-1].lower() not in stop_words for p in phrases), phrases


@pytest.mark.parametrize(
    ("call", "what"),
    [("batch_detect_sentiment", "sentiment"), ("batch_detect_entities", "entities")],
)
def test_batch_detect_english_only_engine_in_french_raises_unsupported_language(
    comprehend: Any, call: str, what: str
) -> None:
    # Given an engine with an English model only / When asked about French text
    with pytest.raises(comprehend.exceptions.UnsupportedLanguageException) as raised:
        getattr(comprehend, call)(TextList=["Bonjour à tous."], LanguageCode="fr")
    # Then it says plainly that no offline model for that analysis ships
    message = raised.value.response["Error"]["Message"]
    assert f"no offline model for {what}" in message
    assert '"fr"' in message


def test_detect_key_phrases_japanese_raises_unsupported_language(comprehend: Any) -> None:
    with pytest.raises(comprehend.exceptions.UnsupportedLanguageException):
        comprehend.detect_key_phrases(Text="今日は良い天気です。", LanguageCode="ja")
