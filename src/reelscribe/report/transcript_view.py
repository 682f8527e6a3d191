"""The transcript as sentences in time, each a button that seeks the web video to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from video_pipeline.errors import TranscriptReadError
from video_pipeline.transcribe_output import document_items, ends_sentence, read_items

from ..results import VideoFolder
from .status import plain_cause
from .templating import render

SCORE_NAMES = ("Positive", "Negative", "Neutral", "Mixed")


@dataclass
class Sentence:
    start: float
    end: float
    text: str
    sentiment: str = ""
    scores: dict[str, float] = field(default_factory=dict)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def from_analysis(analysis: dict[str, Any]) -> list[Sentence]:
    sentiment = analysis.get("sentiment")
    timeline = sentiment.get("timeline") if isinstance(sentiment, dict) else None
    found: list[Sentence] = []
    for segment in timeline if isinstance(timeline, list) else []:
        if not isinstance(segment, dict):
            continue
        start, end = _number(segment.get("start")), _number(segment.get("end"))
        if start is None or end is None:
            continue
        scores = _part(segment, "scores")
        found.append(
            Sentence(
                start,
                end,
                str(segment.get("text") or ""),
                str(segment.get("sentiment") or ""),
                {k: float(v) for k, v in scores.items() if _number(v) is not None},
            )
        )
    return found


def from_transcript(document: dict[str, Any]) -> list[Sentence]:
    """Sentences from Transcribe's items: words carry times, punctuation closes a sentence."""
    try:
        items = read_items(document_items(document), skip_unreadable=True)
    except TranscriptReadError:
        return []
    found: list[Sentence] = []
    words: list[str] = []
    start = end = None
    for item in items:
        if not item.spoken:
            if words:
                words[-1] += item.content
            if ends_sentence(item.content) and words and start is not None and end is not None:
                found.append(Sentence(start, end, " ".join(words)))
                words, start, end = [], None, None
            continue
        if item.start is None or item.end is None:
            continue
        start = item.start if start is None else start
        end = item.end
        words.append(item.content)
    if words and start is not None and end is not None:
        found.append(Sentence(start, end, " ".join(words)))
    return found


def sentences(folder: VideoFolder) -> list[Sentence]:
    return from_analysis(folder.analysis) or from_transcript(folder.transcript)


def _first(entity: dict[str, Any]) -> float:
    occurrences = entity.get("occurrences") or []
    if occurrences and isinstance(occurrences[0], list | tuple) and occurrences[0]:
        return _number(occurrences[0][0]) or 0.0
    return 0.0


def _shown(sentence: Sentence) -> dict[str, Any]:
    detail = ", ".join(
        f"{name} {sentence.scores[name]:.2f}" for name in SCORE_NAMES if name in sentence.scores
    )
    return {
        "start": sentence.start,
        "end": sentence.end,
        "text": sentence.text,
        "mood": sentence.sentiment.upper(),
        "detail": detail,
    }


def _part(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _overall(analysis: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = dict.fromkeys(
        ("sentiment", "sentiment_reason", "phrases_reason", "entities_reason"), ""
    )
    sentiment = _part(analysis, "sentiment")
    if sentiment and sentiment.get("available") and sentiment.get("sentiment"):
        scores = _part(sentiment, "scores")
        colours = {"Positive": "--pos", "Negative": "--neg", "Neutral": "--neu", "Mixed": "--mix"}
        shown["sentiment"] = str(sentiment["sentiment"]).upper()
        shown["scores"] = [
            (name, colours[name], float(scores.get(name) or 0)) for name in SCORE_NAMES
        ]
    elif sentiment:
        shown["sentiment_reason"] = (
            sentiment.get("reason") or sentiment.get("status") or ("not available")
        )
    phrases = _part(analysis, "keyPhrases")
    listed = [p for p in phrases.get("phrases") or [] if isinstance(p, dict)]
    shown["phrases"] = [(p.get("text"), float(p.get("first_start") or 0)) for p in listed[:15]]
    if phrases and not listed:
        shown["phrases_reason"] = phrases.get("reason") or phrases.get("status") or "none found"
    entities = _part(analysis, "entities")
    found = [e for e in entities.get("entities") or [] if isinstance(e, dict)]
    shown["entities"] = [(e.get("text"), e.get("type") or "", _first(e)) for e in found[:20]]
    if entities and not found:
        shown["entities_reason"] = plain_cause(entities.get("reason")) or "none found"
    return shown


def _kind_word(folder: VideoFolder) -> str:
    return {"audio": "recording", "image": "picture"}.get(folder.media_kind, "video")


def transcript_section(folder: VideoFolder) -> str:
    found = sentences(folder)
    web = folder.media("web") is not None
    audio = folder.media("audio") is not None
    return render(
        "transcript.html.j2",
        sentences=[_shown(s) for s in found],
        empty="The video has no audio track, so there is no transcript."
        if folder.video_item.no_audio
        else f"No transcript was produced for this {_kind_word(folder)}.",
        source="the sentiment analysis" if folder.analysis.get("sentiment") else "the transcript",
        hint="Click a sentence to play the web rendition from there."
        if web
        else "Click a sentence to play the audio from there."
        if audio
        else "The web rendition is missing, so the sentences cannot be played.",
        overall=_overall(folder.analysis),
    )
