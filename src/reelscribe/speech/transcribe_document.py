"""The Amazon Transcribe output document, built from a whisper `Recognition`.

Readers written for the real service must work unchanged on this document, so it keeps the
service's quirks: every number is a string, punctuation gets items of its own without
times, the transcript attaches punctuation to the word before it and runs the words of
Japanese, Chinese or Thai together, and `language_code` and `language_identification` are
written only for a job that identified its language (a job given its LanguageCode has them
in GetTranscriptionJob alone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reelscribe.speech.languages import code_to_whisper_language, whisper_language_to_code
from reelscribe.speech.whisper import Recognition, Segment, Word
from video_pipeline.transcribe_output import word_gap

__all__ = [
    "code_to_whisper_language",
    "transcribe_document",
    "whisper_language_to_code",
]

# Split off as punctuation items. Symbols that are spoken ("$", "%", "&") stay in the word.
_PUNCTUATION = (
    ".,!?;:\"'()[]{}\u2018\u2019\u201c\u201d\u00ab\u00bb\u00bf\u00a1\u2026\u2013\u2014-"
    # and the full-width marks of Japanese and Chinese (stops, commas, brackets)
    "\u3002\u3001\uff01\uff1f\uff0c\uff1a\uff1b\u300c\u300d\u300e\u300f\uff08\uff09"
)
# Characters that open a phrase attach to the word after them in the transcript text.
_OPENING = "\"'([{\u2018\u201c\u00ab\u00bf\u00a1\u300c\u300e\uff08"
_MARKS = f"[{re.escape(_PUNCTUATION)}]*"
_EDGES = re.compile(f"(?P<lead>{_MARKS})(?P<core>.*?)(?P<trail>{_MARKS})", re.DOTALL)
# "U.S." and "a.m." keep their dots: the final one belongs to the abbreviation.
_INITIALISM = re.compile(r"^(?:[^\W\d_]\.){2,}$")
_PUNCTUATION_CONFIDENCE = "0.0"
_DECIMALS = 3


@dataclass(frozen=True)
class _Item:
    kind: str  # "pronunciation" or "punctuation"
    content: str
    confidence: float
    start: float
    end: float
    opening: bool = False


def transcribe_document(
    recognition: Recognition,
    *,
    job_name: str,
    account_id: str,
    language_code: str,
    identified: bool,
    language_scores: Sequence[tuple[str, float]] = (),
) -> dict[str, Any]:
    """The JSON document Amazon Transcribe writes for a COMPLETED job.

    `language_code` is the job's code (e.g. "en-US"), which decides how words are joined; with
    `identified` the document also carries it as `language_code`, and the
    `language_identification` block that IdentifyLanguage jobs get: the `language_scores`
    (Transcribe codes, best first), or the recognised language's own score.
    """
    items: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    texts: list[str] = []
    clock = _Clock(recognition.duration)
    for segment in recognition.segments:
        pieces = [piece for word in _words_of(segment) for piece in _split(word, clock)]
        if not any(piece.kind == "pronunciation" for piece in pieces):
            continue
        first_id = len(items)
        items.extend(_item_json(first_id + offset, piece) for offset, piece in enumerate(pieces))
        timed = [piece for piece in pieces if piece.kind == "pronunciation"]
        text = _join(pieces, language_code)
        texts.append(text)
        segments.append(
            {
                "id": len(segments),
                "transcript": text,
                "start_time": _number(timed[0].start),
                "end_time": _number(timed[-1].end),
                "items": list(range(first_id, len(items))),
            }
        )
    transcript = ""
    for text in texts:
        transcript += (word_gap(transcript, text, language_code) if transcript else "") + text
    results: dict[str, Any] = {"transcripts": [{"transcript": transcript}]}
    if identified:
        scores = language_scores or [(language_code, recognition.language_probability)]
        results = {
            "language_code": language_code,
            **results,
            "language_identification": [
                {"code": code, "score": _number(score)} for code, score in scores
            ],
        }
    results |= {"items": items, "audio_segments": segments}
    return {
        "jobName": job_name,
        "accountId": account_id,
        "status": "COMPLETED",
        "results": results,
    }


class _Clock:
    """Keeps item times inside the audio and never running backwards.

    Whisper's word times may overlap by a few milliseconds or end before they start;
    readers of Transcribe output assume neither happens.
    """

    def __init__(self, duration: float) -> None:
        self._limit = round(duration, _DECIMALS) if duration > 0 else None
        self._last = 0.0

    def span(self, start: float, end: float) -> tuple[float, float]:
        begin = max(round(start, _DECIMALS), self._last, 0.0)
        finish = max(round(end, _DECIMALS), begin)
        if self._limit is not None:
            begin, finish = min(begin, self._limit), min(finish, self._limit)
        self._last = finish
        return begin, finish


def _words_of(segment: Segment) -> tuple[Word, ...]:
    if segment.words:
        return segment.words
    # Without word timestamps, share the segment's time evenly among its words so the
    # document still has every word, each with a plausible time.
    tokens = segment.text.split()
    if not tokens:
        return ()
    step = max(segment.end - segment.start, 0.0) / len(tokens)
    return tuple(
        Word(token, segment.start + i * step, segment.start + (i + 1) * step, 0.0)
        for i, token in enumerate(tokens)
    )


def _split(word: Word, clock: _Clock) -> list[_Item]:
    text = word.text.strip()
    if not text:
        return []
    match = _EDGES.fullmatch(text)
    # Every part of the pattern may be empty, so a match always exists.
    lead, core, trail = match.group("lead", "core", "trail") if match else ("", text, "")
    if core and trail.startswith(".") and _INITIALISM.match(core + "."):
        core, trail = core + ".", trail[1:]
    lead_items = [_punctuation(mark, opening=mark in _OPENING) for mark in lead]
    trail_items = [_punctuation(mark, opening=False) for mark in trail]
    if not core:
        return lead_items + trail_items
    start, end = clock.span(word.start, word.end)
    spoken = _Item("pronunciation", core, word.probability, start, end)
    return [*lead_items, spoken, *trail_items]


def _punctuation(mark: str, *, opening: bool) -> _Item:
    return _Item("punctuation", mark, 0.0, 0.0, 0.0, opening)


def _item_json(item_id: int, item: _Item) -> dict[str, Any]:
    if item.kind == "punctuation":
        return {
            "id": item_id,
            "type": "punctuation",
            "alternatives": [{"content": item.content, "confidence": _PUNCTUATION_CONFIDENCE}],
        }
    return {
        "id": item_id,
        "type": "pronunciation",
        "alternatives": [{"content": item.content, "confidence": _number(item.confidence)}],
        "start_time": _number(item.start),
        "end_time": _number(item.end),
    }


def _join(items: list[_Item], language_code: str) -> str:
    text = ""
    glue = True  # the next item goes on without a space: nothing yet, or after an opener
    for item in items:
        attaches = item.kind == "punctuation" and not item.opening
        gap = "" if glue or attaches else word_gap(text, item.content, language_code)
        text += gap + item.content
        glue = item.opening
    return text


def _number(value: float) -> str:
    """A number as Transcribe writes it: a string, at most three decimals, at least one."""
    text = f"{round(value, _DECIMALS):.{_DECIMALS}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text
