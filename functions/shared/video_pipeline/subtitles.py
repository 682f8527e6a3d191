"""Subtitles from Transcribe's word timings: cues a viewer can read, written as WebVTT and SRT.

The cue rules are the ones broadcasters' style guides share: at most two lines of 42
characters, at most 7 seconds on screen, a new cue after every sentence and at every real
pause, and never two cues on screen at once. Nothing here calls AWS, so every rule is tested
offline on hand-built items.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import TranscriptReadError

MAX_LINE_CHARACTERS = 42
MAX_LINES = 2
MAX_CUE_SECONDS = 7.0
PAUSE_SECONDS = 1.0
MIN_CUE_SECONDS = 0.8

# Punctuation that ends a sentence, including the full-width marks Transcribe writes for ja/zh.
_SENTENCE_ENDS = frozenset(".?!\u3002\uff1f\uff01")
# Where a full cue would rather break than mid-clause.
_CLAUSE_ENDS = frozenset(",;:\u3001\uff0c")
# Marks that open what follows (Spanish ¿ and ¡, brackets): they belong to the next word.
_OPENING_MARKS = frozenset("¿¡([{\u201c\u2018\u00ab")


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    lines: tuple[str, ...]  # 1 or 2 lines


@dataclass(frozen=True)
class _Word:
    text: str  # with the punctuation that follows it
    start: float
    end: float
    ends_sentence: bool = False
    ends_clause: bool = False


def cues_from_items(
    items: list[dict[str, Any]],
    *,
    max_line: int = MAX_LINE_CHARACTERS,
    max_lines: int = MAX_LINES,
    max_seconds: float = MAX_CUE_SECONDS,
    pause_seconds: float = PAUSE_SECONDS,
    min_seconds: float = MIN_CUE_SECONDS,
) -> list[Cue]:
    """The transcript's words as subtitle cues, in order, each word in exactly one cue.

    A cue runs from its first word's start to its last word's end and grows word by word
    until the next word would not fit: the text would need more than `max_lines` lines of
    `max_line` characters, or the cue would last longer than `max_seconds`. It also ends after
    a sentence (. ? !) and before a silence longer than `pause_seconds`, so text is never on
    screen while nobody speaks. A cue that fills up breaks after a comma instead, when that
    keeps at least half its text, so a clause is not cut across two cues. A word that alone
    is too long or lasts too long gets a cue of its own. A cue shorter than `min_seconds` is
    held on screen longer, but never into the next cue.

    Items Transcribe would not write are skipped rather than rejected, so one odd item costs a
    word, not the video's subtitles: see `_words`.
    """
    if max_line < 1 or max_lines < 1:
        raise ValueError("A cue needs at least one line of at least one character")
    if max_seconds <= 0:
        raise ValueError("max_seconds must be positive")
    words = _words(items)
    spans: list[tuple[int, int]] = []  # first word and one past the last word of each cue
    first = 0
    while first < len(words):
        stop = first + 1
        while stop < len(words) and _continues(words, first, stop, pause_seconds):
            too_long = words[stop].end - words[first].start > max_seconds
            if too_long or _line_count(_texts(words, first, stop + 1), max_line) > max_lines:
                stop = _clause_break(words, first, stop)
                break
            stop += 1
        spans.append((first, stop))
        first = stop

    hold = min(min_seconds, max_seconds)
    cues: list[Cue] = []
    for index, (first, stop) in enumerate(spans):
        start, end = words[first].start, words[stop - 1].end
        if end - start < hold:
            following = words[spans[index + 1][0]].start if index + 1 < len(spans) else math.inf
            end = max(end, min(start + hold, following))
        cues.append(Cue(start, end, _lines(_texts(words, first, stop), max_line)))
    return cues


def to_webvtt(cues: list[Cue]) -> str:
    """A WebVTT file: the header, then one numbered block per cue, each ended by a blank line.

    & < and > are escaped, as WebVTT requires in cue text; that also keeps "-->" out of it.
    """
    blocks = [
        f"{number}\n{_timing(cue, '.')}\n" + "\n".join(_vtt_escape(line) for line in cue.lines)
        for number, cue in enumerate(cues, start=1)
    ]
    return "WEBVTT\n\n" + "".join(f"{block}\n\n" for block in blocks)


def to_srt(cues: list[Cue]) -> str:
    """A SubRip file: one numbered block per cue, each ended by a blank line; empty for none."""
    return "".join(
        f"{number}\n{_timing(cue, ',')}\n" + "\n".join(cue.lines) + "\n\n"
        for number, cue in enumerate(cues, start=1)
    )


def subtitles_from_transcript(document: dict[str, Any]) -> tuple[str, str]:
    """(WebVTT, SRT) for a whole Transcribe output document.

    A video with no speech has no items: that gives a WebVTT header with no cues, which
    players accept, and an empty SRT. A document without results is not a Transcribe document
    and raises TranscriptReadError, the error the state machine catches for unreadable
    transcripts.
    """
    try:
        results = document["results"]
        items = results.get("items") or []
    except (KeyError, TypeError, AttributeError) as error:
        raise TranscriptReadError(
            f"The transcript is not a Transcribe document: {error}"
        ) from error
    if not isinstance(items, list):
        raise TranscriptReadError("The transcript's results.items is not a list")
    cues = cues_from_items(items)
    return to_webvtt(cues), to_srt(cues)


def _words(items: Sequence[Any]) -> list[_Word]:
    """The spoken words, each carrying the punctuation after it.

    Robustness rules, for items Transcribe would not write:
    - an item that is not a mapping, has an unknown type or has no content is skipped;
    - a word without a start time starts where the previous word ended (0 for the first one),
      and one without an end time ends where it starts;
    - a word never starts before the previous one ended, so cues cannot overlap even when the
      times do;
    - punctuation with no word before it is dropped, except opening marks, which go to the
      next word, as do opening marks anywhere.
    """
    words: list[_Word] = []
    opening = ""
    for item in items:
        if not isinstance(item, dict):
            continue
        content = _content(item)
        if not content:
            continue
        kind = item.get("type")
        if kind == "punctuation":
            if all(mark in _OPENING_MARKS for mark in content):
                opening += content
            elif words:
                last = words[-1]
                words[-1] = replace(
                    last,
                    text=last.text + content,
                    ends_sentence=last.ends_sentence or any(m in _SENTENCE_ENDS for m in content),
                    ends_clause=last.ends_clause or content[-1] in _CLAUSE_ENDS,
                )
        elif kind == "pronunciation":
            previous_end = words[-1].end if words else 0.0
            start = _seconds(item.get("start_time"))
            start = previous_end if start is None else max(start, previous_end)
            end = _seconds(item.get("end_time"))
            end = start if end is None else max(end, start)
            words.append(_Word(opening + content, start, end))
            opening = ""
    if opening and words:
        # An opening mark with nothing after it is still text the transcript had.
        words[-1] = replace(words[-1], text=words[-1].text + opening)
    return words


def _content(item: dict[str, Any]) -> str:
    alternatives = item.get("alternatives")
    if not isinstance(alternatives, list) or not alternatives:
        return ""
    best = alternatives[0]
    if not isinstance(best, dict) or best.get("content") is None:
        return ""
    # A line break inside a word would end the cue in both formats.
    return " ".join(str(best["content"]).split())


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _continues(words: list[_Word], first: int, stop: int, pause_seconds: float) -> bool:
    """Whether words[stop] may join the cue that words[first:stop] make, before any limit."""
    before = words[stop - 1]
    return not before.ends_sentence and words[stop].start - before.end <= pause_seconds


def _clause_break(words: list[_Word], first: int, stop: int) -> int:
    whole = len(" ".join(_texts(words, first, stop)))
    for cut in range(stop - 1, first, -1):
        if words[cut - 1].ends_clause and 2 * len(" ".join(_texts(words, first, cut))) >= whole:
            return cut
    return stop


def _texts(words: list[_Word], first: int, stop: int) -> list[str]:
    return [word.text for word in words[first:stop]]


def _fill(texts: Sequence[str], width: int) -> list[str]:
    """Words in as few lines of `width` as possible; a longer word gets a line of its own.

    Filling from the last word back leaves any slack on the first line: a short line over a
    long one is the shape subtitle style guides prefer.
    """
    lines: list[list[str]] = []
    length = 0
    for text in reversed(texts):
        if lines and length + 1 + len(text) <= width:
            lines[-1].append(text)
            length += 1 + len(text)
        else:
            lines.append([text])
            length = len(text)
    return [" ".join(reversed(line)) for line in reversed(lines)]


def _line_count(texts: Sequence[str], width: int) -> int:
    return len(_fill(texts, width))


def _lines(texts: Sequence[str], max_line: int) -> tuple[str, ...]:
    """The cue's text: one line when it fits, else as many as it needs, as even as possible.

    The narrowest width that needs no more lines than `max_line` does gives the most even
    lines; words longer than that width sit alone, which every split has to allow anyway.
    """
    single = " ".join(texts)
    if len(single) <= max_line:
        return (single,)
    lines = _fill(texts, max_line)
    for width in range(1, max_line):
        narrower = _fill(texts, width)
        if len(narrower) <= len(lines):
            return tuple(narrower)
    return tuple(lines)


def _timing(cue: Cue, separator: str) -> str:
    # A hand-built Cue may start before 0 or end before it starts; a timing line must not.
    start = max(0, round(cue.start * 1000))
    end = max(start, round(cue.end * 1000))
    return f"{_timestamp(start, separator)} --> {_timestamp(end, separator)}"


def _timestamp(milliseconds: int, separator: str) -> str:
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _vtt_escape(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
