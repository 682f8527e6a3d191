"""The analysis stage: subtitles, sentiment over time, key phrases and entities.

Each branch of the state machine's Parallel state reads the Transcribe document, does one job,
writes its detail beside the other outputs and returns a small summary; Store Analysis merges
the details into output/analysis/.../<name>.json. A transcript too short to analyse gives a
NO_DATA status rather than a failure.

This is the side that does I/O (S3 and Comprehend); the rules it applies are pure and live in
timed_text.py and subtitles.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from pydantic import BaseModel

from . import timed_text
from .dynamo import to_attribute_values
from .errors import TranscriptReadError
from .failures import plain_reason
from .output_keys import output_key, output_prefix
from .subtitles import subtitles_from_transcript
from .upload import Video, slug

if TYPE_CHECKING:
    from mypy_boto3_comprehend import ComprehendClient
    from mypy_boto3_s3 import S3Client

NO_DATA = "NO_DATA"
UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
TOP_PHRASES = 10
# Comprehend's sentiment, key phrase and entity APIs accept these language codes.
COMPREHEND_LANGUAGES = {"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"}
# Each detector makes at most this many Batch* calls, one after another, so that its Lambda
# Timeout covers the longest transcript accepted; longer transcripts get longer windows.
MAX_COMPREHEND_CALLS = 10
MAX_DOCUMENTS = MAX_COMPREHEND_CALLS * timed_text.COMPREHEND_BATCH_SIZE
# What one call may take: each attempt is cut off at the connect and read timeouts, and the
# standard retry mode makes three attempts (backing off at most 1 and 2 s, or 5 s more when
# Comprehend asks for longer). The functions' Timeout is sized from these.
COMPREHEND_CONNECT_SECONDS = 2
COMPREHEND_READ_SECONDS = 10
COMPREHEND_ATTEMPTS = 3
COMPREHEND_CLIENT_CONFIG = Config(
    connect_timeout=COMPREHEND_CONNECT_SECONDS,
    read_timeout=COMPREHEND_READ_SECONDS,
    retries={"mode": "standard", "total_max_attempts": COMPREHEND_ATTEMPTS},
)


class AnalysisRequest(BaseModel):
    video: Video
    transcriptKey: str
    languageCode: str = ""


# Transcribe codes whose text Comprehend reads under another code: Cantonese (zh-HK) is written
# in traditional characters, as zh-TW is.
_COMPREHEND_EQUIVALENTS = {"zh-HK": "zh-TW"}


def comprehend_language(code: str) -> str | None:
    """Transcribe says en-US; Comprehend wants en (zh-TW is the one regional code it keeps).
    None for a language Comprehend does not analyse, which the branches report as
    UNSUPPORTED_LANGUAGE."""
    code = _COMPREHEND_EQUIVALENTS.get(code, code)
    if code in COMPREHEND_LANGUAGES:
        return code
    short = code.split("-")[0].lower()
    return short if short in COMPREHEND_LANGUAGES else None


def transcript_language(document: dict[str, Any], language_code: str) -> str:
    """The job's LanguageCode, which GetTranscriptionJob gives for every job; the document's
    own language_code, which only identification jobs write, for an older caller."""
    return language_code or str(document["results"].get("language_code") or "")


def read_document(s3: S3Client, bucket: str, key: str) -> dict[str, Any]:
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        document: dict[str, Any] = json.loads(body)
        if not isinstance(document["results"]["items"], list):  # fail here, not in a branch
            raise TypeError("results.items is not a list")
    except (ValueError, KeyError, TypeError) as error:
        raise TranscriptReadError(f"s3://{bucket}/{key} is not a Transcribe document") from error
    except s3.exceptions.ClientError as error:
        raise TranscriptReadError(f"Cannot read s3://{bucket}/{key}: {error}") from error
    return document


def put_json(s3: S3Client, bucket: str, key: str, data: Any) -> str:
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps(data, indent=2).encode(),
        ContentType="application/json",
    )
    return key


def part_key(video: Video, part: str) -> str:
    """Each branch's detail, kept under parts/ beside the merged analysis document."""
    return f"{output_prefix('analysis', video)}parts/{slug(video.baseName)}.{part}.json"


def _batched(
    call: Callable[..., Mapping[str, Any]], segments: list[timed_text.Segment], language: str
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for batch in timed_text.batches(segments):
        response = call(TextList=[s.text for s in batch], LanguageCode=language)
        if response.get("ErrorList"):
            first = response["ErrorList"][0]
            raise RuntimeError(f"Comprehend refused a document: {first.get('ErrorMessage')}")
        results.extend(response["ResultList"])
    return results


def _prepare(
    document: dict[str, Any], language_code: str
) -> tuple[str | None, list[timed_text.Segment], list[timed_text.TimedWord], str | None]:
    """The Comprehend language, the segments and the words; or why there is nothing to do."""
    items = document["results"]["items"]
    code = transcript_language(document, language_code)
    text, words = timed_text.timed_words(items, code)
    language = comprehend_language(code)
    if not timed_text.has_enough_text(words):
        return None, [], words, NO_DATA
    if language is None:
        return None, [], words, UNSUPPORTED_LANGUAGE
    segments = timed_text.sentence_segments(items, code)
    return language, timed_text.joined_segments(segments, text, MAX_DOCUMENTS), words, None


def build_subtitles(s3: S3Client, bucket: str, request: AnalysisRequest) -> dict[str, Any]:
    document = read_document(s3, bucket, request.transcriptKey)
    vtt, srt = subtitles_from_transcript(
        document, transcript_language(document, request.languageCode)
    )
    keys = {
        "vtt": output_key("subtitles", request.video, "vtt"),
        "srt": output_key("subtitles", request.video, "srt"),
    }
    s3.put_object(Bucket=bucket, Key=keys["vtt"], Body=vtt.encode(), ContentType="text/vtt")
    s3.put_object(
        Bucket=bucket, Key=keys["srt"], Body=srt.encode(), ContentType="application/x-subrip"
    )
    return {
        "part": "subtitles",
        "available": True,
        "keys": keys,
        "cues": max(0, vtt.count(" --> ")),
    }


Detector = Callable[
    ["ComprehendClient", str, list[timed_text.Segment], list[timed_text.TimedWord]],
    dict[str, Any],
]


def _comprehend_part(
    s3: S3Client,
    comprehend: ComprehendClient,
    bucket: str,
    request: AnalysisRequest,
    part: str,
    detect: Detector,
) -> dict[str, Any]:
    """Read the transcript, say why there is nothing to analyse, or run one detector."""
    document = read_document(s3, bucket, request.transcriptKey)
    language, segments, words, status = _prepare(document, request.languageCode)
    if status is not None or language is None:
        return {"part": part, "available": True, "status": status}
    details = detect(comprehend, language, segments, words)
    key = put_json(s3, bucket, part_key(request.video, part.lower()), details.pop("detail"))
    return {"part": part, "available": True, "status": "OK", "key": key, **details}


def _sentiment(
    comprehend: ComprehendClient,
    language: str,
    segments: list[timed_text.Segment],
    _: list[timed_text.TimedWord],
) -> dict[str, Any]:
    timeline = timed_text.segment_sentiments(
        segments, _batched(comprehend.batch_detect_sentiment, segments, language)
    )
    label, scores = timed_text.overall_sentiment(timeline)
    return {
        "detail": [segment.model_dump() for segment in timeline],
        "sentiment": label,
        "scores": {k: round(v, 4) for k, v in scores.items()},
        "segments": len(timeline),
    }


def _key_phrases(
    comprehend: ComprehendClient,
    language: str,
    segments: list[timed_text.Segment],
    words: list[timed_text.TimedWord],
) -> dict[str, Any]:
    results = _batched(comprehend.batch_detect_key_phrases, segments, language)
    phrases = timed_text.key_phrases(segments, results, words, top=50)
    return {
        "detail": [phrase.model_dump() for phrase in phrases],
        "top": [phrase.text for phrase in phrases[:TOP_PHRASES]],
    }


def _entities(
    comprehend: ComprehendClient,
    language: str,
    segments: list[timed_text.Segment],
    words: list[timed_text.TimedWord],
) -> dict[str, Any]:
    results = _batched(comprehend.batch_detect_entities, segments, language)
    found = timed_text.entities(segments, results, words)
    return {
        "detail": [entity.model_dump() for entity in found],
        "top": [f"{e.text} ({e.type})" for e in found[:TOP_PHRASES]],
    }


def detect_sentiment(
    s3: S3Client, comprehend: ComprehendClient, bucket: str, request: AnalysisRequest
) -> dict[str, Any]:
    return _comprehend_part(s3, comprehend, bucket, request, "sentiment", _sentiment)


def detect_key_phrases(
    s3: S3Client, comprehend: ComprehendClient, bucket: str, request: AnalysisRequest
) -> dict[str, Any]:
    return _comprehend_part(s3, comprehend, bucket, request, "keyPhrases", _key_phrases)


def detect_entities(
    s3: S3Client, comprehend: ComprehendClient, bucket: str, request: AnalysisRequest
) -> dict[str, Any]:
    return _comprehend_part(s3, comprehend, bucket, request, "entities", _entities)


class StoreRequest(BaseModel):
    video: Video
    transcriptKey: str
    parts: list[dict[str, Any]]


def _part(parts: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next((p for p in parts if p.get("part") == name), {"part": name, "available": False})


def store_analysis(
    s3: S3Client, bucket: str, request: StoreRequest, now: datetime | None = None
) -> dict[str, Any]:
    """Merge the branches into one analysis document and the values the records need."""
    for part in request.parts:
        if not part.get("available", True) and "reason" in part:
            part["reason"] = plain_reason(str(part["reason"]))
    sentiment, phrases = _part(request.parts, "sentiment"), _part(request.parts, "keyPhrases")
    found, subtitles = _part(request.parts, "entities"), _part(request.parts, "subtitles")
    detail: dict[str, Any] = {}
    for part in (sentiment, phrases, found):
        if part.get("key"):
            detail[part["part"]] = json.loads(
                s3.get_object(Bucket=bucket, Key=part["key"])["Body"].read()
            )
    analysis_doc = {
        "videoId": request.video.videoId,
        "userId": request.video.userId,
        "transcript": request.transcriptKey,
        "createdAt": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "subtitles": subtitles,
        "sentiment": {**sentiment, "timeline": detail.get("sentiment", [])},
        "keyPhrases": {**phrases, "phrases": detail.get("keyPhrases", [])},
        "entities": {**found, "entities": detail.get("entities", [])},
    }
    key = put_json(s3, bucket, output_key("analysis", request.video, "json"), analysis_doc)
    label = str(sentiment.get("sentiment") or sentiment.get("status") or "UNAVAILABLE")
    scores = {k: Decimal(str(v)) for k, v in (sentiment.get("scores") or {}).items()}
    top = list(phrases.get("top") or [])
    summary = {
        "analysisKey": key,
        "sentiment": label,
        "scores": sentiment.get("scores") or {},
        "keyPhrases": top,
        "entities": list(found.get("top") or []),
        "entitiesAvailable": bool(found.get("available")),
        "subtitles": subtitles.get("keys") or {},
    }
    values = to_attribute_values(
        {
            ":sentiment": label,
            ":scores": scores,
            ":phrases": top,
            ":analysisKey": key,
        }
    )
    return {"summary": summary, "values": values}
