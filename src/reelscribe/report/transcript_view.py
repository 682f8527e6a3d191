"""The transcript as sentences in time, each a button that seeks the web video to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from video_pipeline.errors import TranscriptReadError
from video_pipeline.transcribe_output import document_items, ends_sentence, read_items

from ..results import VideoFolder
from .html import clock, esc
from .status import plain_cause

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


def _sentence(sentence: Sentence, index: int) -> str:
    mood = sentence.sentiment.upper()
    classes = f"sentence sentiment-{esc(mood)}" if mood else "sentence"
    tag = f'<span class="tag {esc(mood)}">{esc(mood.title())}</span>' if mood else "<span></span>"
    detail = ", ".join(
        f"{name} {sentence.scores[name]:.2f}" for name in SCORE_NAMES if name in sentence.scores
    )
    title = f' title="{esc(detail)}"' if detail else ""
    return (
        f'<li><button type="button" class="{classes}" data-seek="{sentence.start:.3f}" '
        f'data-end="{sentence.end:.3f}" data-index="{index}"{title}>'
        f'<span class="time">{clock(sentence.start)}</span>'
        f'<span class="text">{esc(sentence.text)}</span>{tag}</button></li>'
    )


def _part(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _overall(analysis: dict[str, Any]) -> str:
    sentiment = _part(analysis, "sentiment")
    parts = ['<aside class="overall"><h3>Overall</h3>']
    if sentiment and sentiment.get("available") and sentiment.get("sentiment"):
        mood = str(sentiment["sentiment"]).upper()
        scores = _part(sentiment, "scores")
        colours = {"Positive": "--pos", "Negative": "--neg", "Neutral": "--neu", "Mixed": "--mix"}
        meters = "".join(
            f'<span>{name}</span><span class="meter" aria-hidden="true"><span '
            f'style="width:{100 * float(scores.get(name) or 0):.1f}%;'
            f'background:var({colours[name]})"></span></span>'
            f"<span>{100 * float(scores.get(name) or 0):.0f}%</span>"
            for name in SCORE_NAMES
        )
        parts.append(
            f'<p>Sentiment: <span class="tag {esc(mood)}">{esc(mood.title())}</span></p>'
            f'<div class="scores">{meters}</div>'
        )
    elif sentiment:
        reason = sentiment.get("reason") or sentiment.get("status") or "not available"
        parts.append(f'<p class="empty">Sentiment: {esc(reason)}</p>')
    phrases = _part(analysis, "keyPhrases")
    listed = [p for p in phrases.get("phrases") or [] if isinstance(p, dict)]
    if listed:
        chips = "".join(
            f'<li><button type="button" data-seek="{float(p.get("first_start") or 0):.3f}" '
            f'title="First said at {clock(float(p.get("first_start") or 0))}">'
            f"{esc(p.get('text'))}</button></li>"
            for p in listed[:15]
        )
        parts.append(f'<h3>Key phrases</h3><ul class="chips">{chips}</ul>')
    elif phrases:
        reason = phrases.get("reason") or phrases.get("status") or "none found"
        parts.append(f'<h3>Key phrases</h3><p class="empty">{esc(reason)}</p>')
    entities = _part(analysis, "entities")
    if entities:
        found = [e for e in entities.get("entities") or [] if isinstance(e, dict)]
        if found:
            chips = "".join(
                f'<li><button type="button" data-seek="{_first(e):.3f}">{esc(e.get("text"))} '
                f"<small>{esc(e.get('type') or '')}</small></button></li>"
                for e in found[:20]
            )
            parts.append(f'<h3>Entities</h3><ul class="chips">{chips}</ul>')
        else:
            reason = plain_cause(entities.get("reason")) or "none found"
            parts.append(f'<h3>Entities</h3><p class="empty">Not available. {esc(reason)}</p>')
    parts.append("</aside>")
    return "".join(parts)


def transcript_section(folder: VideoFolder) -> str:
    found = sentences(folder)
    if not found:
        if folder.video_item.no_audio:
            return '<p class="empty">The video has no audio track, so there is no transcript.</p>'
        return '<p class="empty">No transcript was produced for this video.</p>'
    web = folder.media("web") is not None
    hint = (
        "Click a sentence to play the web rendition from there."
        if web
        else "The web rendition is missing, so the sentences cannot be played."
    )
    source = "the sentiment analysis" if folder.analysis.get("sentiment") else "the transcript"
    items = "".join(_sentence(s, i) for i, s in enumerate(found))
    return (
        f'<p class="lede">{len(found)} sentences, times from {source}. {hint}</p>'
        f'<div class="transcript-layout"><ol class="sentences">{items}</ol>'
        f"{_overall(folder.analysis)}</div>"
    )
