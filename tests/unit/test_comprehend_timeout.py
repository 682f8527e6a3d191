"""The Comprehend detectors finish inside their Lambda Timeout for the longest transcript the
pipeline accepts: the calls are counted on the real code, each given its worst time."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reelscribe.template import Template
from tests.support.events import load_event
from tests.support.transcripts import Token, transcribe_items
from video_pipeline import analysis_branches
from video_pipeline.analysis_branches import COMPREHEND_CLIENT_CONFIG, AnalysisRequest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Template.load(ROOT / "template.yaml")
# Well above the fastest sustained speech (about 300 words a minute), in sentences of three
# words (shorter ones join their neighbours), each word longer than English's average of five
# letters: the most documents a transcript of a given length can give.
WORDS_PER_SECOND = 6
WORDS_PER_SENTENCE = 3
WORD = "abcdefgh"
# Reading a four-hour transcript (tens of MB of JSON), segmenting it and writing the result,
# on the functions' 512 MB, with a cold start: generously.
OVERHEAD_SECONDS = 60
# botocore's standard retry mode: before retry i (from 0) it sleeps at most min(2**i, 20) s,
# plus up to 5 s more when the service asks for a later retry.
MAX_BACKOFF, RETRY_AFTER_EXTRA = 20, 5


def _longest_transcript_document() -> dict[str, Any]:
    spec = TEMPLATE.body["Parameters"]["MaxMediaSeconds"]
    words = int(float(spec["MaxValue"]) * WORDS_PER_SECOND)
    step = 1 / WORDS_PER_SECOND
    tokens: list[Token] = []
    for n in range(words):
        tokens.append((WORD, round(n * step, 3), round(n * step + step * 0.9, 3)))
        if n % WORDS_PER_SENTENCE == WORDS_PER_SENTENCE - 1:
            tokens.append(".")
    return {"results": {"language_code": "en-US", "items": transcribe_items(tokens)}}


class _Bucket:
    def __init__(self, document: dict[str, Any]) -> None:
        self.body = json.dumps(document).encode()
        self.exceptions = type("Exceptions", (), {"ClientError": Exception})

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": io.BytesIO(self.body)}

    def put_object(self, **_: Any) -> dict[str, Any]:
        return {}


class _Comprehend:
    """Counts the Batch* calls and answers each document as Comprehend would, with nothing."""

    def __init__(self) -> None:
        self.calls = 0

    def _answer(self, item: Callable[[int], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        def call(TextList: list[str], LanguageCode: str) -> dict[str, Any]:  # noqa: N803
            assert len(TextList) <= 25
            assert all(len(text.encode()) <= 5000 for text in TextList)
            self.calls += 1
            return {"ResultList": [item(i) for i in range(len(TextList))], "ErrorList": []}

        return call

    def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]:
        scores = {"Positive": 0.1, "Negative": 0.1, "Neutral": 0.7, "Mixed": 0.1}
        answers: dict[str, Callable[[int], dict[str, Any]]] = {
            "batch_detect_sentiment": lambda i: {
                "Index": i,
                "Sentiment": "NEUTRAL",
                "SentimentScore": scores,
            },
            "batch_detect_key_phrases": lambda i: {"Index": i, "KeyPhrases": []},
            "batch_detect_entities": lambda i: {"Index": i, "Entities": []},
        }
        return self._answer(answers[name])


def _worst_call_seconds() -> float:
    """One call's worst time: every attempt cut off at its timeouts, every backoff at its most."""
    config = COMPREHEND_CLIENT_CONFIG
    attempts = int(config.retries["total_max_attempts"])  # the first try included
    per_attempt = float(config.connect_timeout) + float(config.read_timeout)
    backoff = sum(min(2**i, MAX_BACKOFF) + RETRY_AFTER_EXTRA for i in range(attempts - 1))
    return attempts * per_attempt + backoff


def _timeout(logical_id: str) -> float:
    properties = TEMPLATE.resources[logical_id]["Properties"]
    return float(properties.get("Timeout", TEMPLATE.globals_for("Function")["Timeout"]))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return _longest_transcript_document()


@pytest.mark.parametrize(
    ("logical_id", "detect"),
    [
        ("DetectSentimentFunction", analysis_branches.detect_sentiment),
        ("DetectKeyPhrasesFunction", analysis_branches.detect_key_phrases),
        ("DetectEntitiesFunction", analysis_branches.detect_entities),
    ],
)
def test_comprehend_timeout_longest_transcript_fits_the_function_timeout(
    document: dict[str, Any], logical_id: str, detect: Any
) -> None:
    # Given the longest transcript the pipeline accepts, as Transcribe would write it
    video = load_event("plan_transcode.json")["video"]
    request = AnalysisRequest.model_validate(
        {"video": video, "transcriptKey": "transcript.json", "languageCode": "en-US"}
    )
    comprehend = _Comprehend()

    # When the detector runs over it
    result = detect(_Bucket(document), comprehend, "outputs", request)

    # Then its calls, each at its worst, end inside the function's Timeout
    assert result["status"] == "OK"
    needed = comprehend.calls * _worst_call_seconds() + OVERHEAD_SECONDS
    assert needed <= _timeout(logical_id), (comprehend.calls, needed)
