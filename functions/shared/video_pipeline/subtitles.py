"""Subtitles from Transcribe's word timings: cues a viewer can read, written as WebVTT and SRT.

The cue rules are the ones broadcasters' style guides share: at most two lines of 42
characters, at most 7 seconds on screen, a new cue after every sentence and at every real
pause, and never two cues on screen at once. Lengths are characters as a viewer sees them,
in every language: text is composed (NFC), and marks that sit on a letter, such as a
decomposed accent, add nothing; never bytes, which would make an accented line look longer.
Nothing here calls AWS, so every rule is tested offline on hand-built items.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any

from .transcribe_output import document_items, read_items, sentence_ends, word_gap

MAX_LINE_CHARACTERS = 42
MAX_LINES = 2
MAX_CUE_SECONDS = 7.0
PAUSE_SECONDS = 1.0
MIN_CUE_SECONDS = 0.8

# Where a cue or a line had better break than mid-clause.
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
    gap: str = " "  # what separates it from the word before: nothing in Japanese, Chinese...


def cues_from_items(
    items: list[dict[str, Any]],
    language_code: str = "",
    *,
    max_line: int = MAX_LINE_CHARACTERS,
    max_lines: int = MAX_LINES,
    max_seconds: float = MAX_CUE_SECONDS,
    pause_seconds: float = PAUSE_SECONDS,
    min_seconds: float = MIN_CUE_SECONDS,
) -> list[Cue]:
    """The transcript's words as subtitle cues, in order, each word in exactly one cue.

    Hard rules: a cue holds at most `max_lines` lines of `max_line` characters and lasts at
    most `max_seconds` from its first word's start to its last word's end; it ends after a
    sentence (`sentence_ends`: not after "Mr.") and before a silence longer than
    `pause_seconds`, so no text stays on screen while nobody speaks. A word that alone is too
    long or lasts too long gets a cue of its own. Within those rules the words go into as few
    cues as possible, split as evenly as possible and after a comma where one is near, so a
    sentence doesn't end on a two-word flash and a clause isn't cut in half (see
    `_partition`). A cue shorter than `min_seconds` is held on screen longer, but never into
    the next cue.

    Items Transcribe would not write are skipped rather than rejected, so one odd item costs a
    word, not the video's subtitles: see `_words`.
    """
    if max_line < 1 or max_lines < 1:
        raise ValueError("A cue needs at least one line of at least one character")
    if max_seconds <= 0:
        raise ValueError("max_seconds must be positive")
    words = _words(items, language_code)
    last = len(words) - 1
    must_end = [
        k == last or word.ends_sentence or words[k + 1].start - word.end > pause_seconds
        for k, word in enumerate(words)
    ]
    reach: list[int] = []  # one past the last word a cue starting at each word can hold
    stop = 0
    for first in range(len(words)):
        # A cue that fits from `first` still fits starting a word later: `stop` never moves back.
        stop = max(stop, first + 1)
        while (
            stop <= last
            and not must_end[stop - 1]
            and words[stop].end - words[first].start <= max_seconds
            and _line_count(words[first : stop + 1], max_line) <= max_lines
        ):
            stop += 1
        reach.append(stop)
    spans = _partition(
        [_length(word.text) for word in words],
        [len(word.gap) for word in words],
        reach,
        [ends or word.ends_clause for ends, word in zip(must_end, words, strict=True)],
        max_line * max_lines,
    )

    hold = min(min_seconds, max_seconds)
    cues: list[Cue] = []
    for index, (first, stop) in enumerate(spans):
        start, end = words[first].start, words[stop - 1].end
        if end - start < hold:
            following = words[spans[index + 1][0]].start if index + 1 < len(spans) else math.inf
            end = max(end, min(start + hold, following))
        cues.append(Cue(start, end, _lines(words[first:stop], max_line)))
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


def subtitles_from_transcript(document: dict[str, Any], language_code: str = "") -> tuple[str, str]:
    """(WebVTT, SRT) for a whole Transcribe output document in the job's `language_code`.

    A video with no speech has no items: that gives a WebVTT header with no cues, which
    players accept, and an empty SRT. A document without results is not a Transcribe document
    and raises TranscriptReadError, the error the state machine catches for unreadable
    transcripts.
    """
    items = document_items(document)
    cues = cues_from_items(items, language_code)
    return to_webvtt(cues), to_srt(cues)


def _words(items: Sequence[Any], language_code: str) -> list[_Word]:
    """The spoken words, each carrying the punctuation after it and the gap before it.

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
    for item in read_items(list(items), skip_unreadable=True):
        # A line break inside a word would end the cue in both formats.
        content = unicodedata.normalize("NFC", " ".join(item.content.split()))
        if not content:
            continue
        if not item.spoken:
            if all(mark in _OPENING_MARKS for mark in content):
                opening += content
            elif words:
                last = words[-1]
                words[-1] = replace(
                    last,
                    text=last.text + content,
                    ends_clause=last.ends_clause or content[-1] in _CLAUSE_ENDS,
                )
            continue
        previous_end = words[-1].end if words else 0.0
        start = previous_end if item.start is None else max(item.start, previous_end)
        end = start if item.end is None else max(item.end, start)
        text = opening + content
        gap = word_gap(words[-1].text, text, language_code) if words else ""
        words.append(_Word(text, start, end, gap=gap))
        opening = ""
    if opening and words:
        # An opening mark with nothing after it is still text the transcript had.
        words[-1] = replace(words[-1], text=words[-1].text + opening)
    ends = sentence_ends([word.text for word in words], language_code)
    return [replace(word, ends_sentence=end) for word, end in zip(words, ends, strict=True)]


def _partition(
    lengths: Sequence[int],
    gaps: Sequence[int],
    reach: Sequence[int],
    breaks_well: Sequence[bool],
    capacity: int,
) -> list[tuple[int, int]]:
    """Words split into pieces (cues, or a cue's lines): (first, one past the last) each.
    `gaps[i]` is the room between word i and the one before it, unless a piece starts there.

    `reach[i]` is one past the last word a piece starting at word i may hold: more than i, and
    never less than `reach[i - 1]`. Of all splits the rules allow, this takes the fewest
    pieces, then the cheapest: a piece costs its length squared, so even pieces cost least,
    plus (capacity / 2) squared when it ends where `breaks_well` says it should not. So two
    pieces break after a comma as long as their lengths differ by less than capacity / sqrt(2)
    (30 characters between two lines of 42), and evenly otherwise. Ties go to the longer last
    piece: the short line over a long one that style guides prefer.
    """
    count = len(lengths)
    offsets = [0, *accumulate(gap + length for gap, length in zip(gaps, lengths, strict=True))]
    mid_clause = (capacity // 2) ** 2
    # best[j]: (pieces, cost) of the best split of the first j words; start_of[j]: the first
    # word of that split's last piece.
    best = [(0, 0)] + [(count + 1, 0)] * count
    start_of = [0] * (count + 1)
    first = 0
    for stop in range(1, count + 1):
        while reach[first] < stop:
            first += 1
        for start in range(first, stop):
            size = offsets[stop] - offsets[start] - gaps[start]
            cost = size * size + (0 if breaks_well[stop - 1] else mid_clause)
            candidate = (best[start][0] + 1, best[start][1] + cost)
            if candidate < best[stop]:
                best[stop], start_of[stop] = candidate, start
    pieces: list[tuple[int, int]] = []
    stop = count
    while stop:
        pieces.append((start_of[stop], stop))
        stop = start_of[stop]
    return pieces[::-1]


def _length(text: str) -> int:
    """Characters as displayed: combining and enclosing marks and invisible format characters
    (zero-width joiners, direction marks) take no room of their own."""
    return sum(1 for char in text if unicodedata.category(char) not in {"Mn", "Me", "Cf"})


def _line_count(words: Sequence[_Word], width: int) -> int:
    """The fewest lines of `width` the words need; a longer word takes a line of its own."""
    lines, length = 0, width  # as if a full line came before, so the first word opens one
    for word in words:
        size = _length(word.text)
        if length + len(word.gap) + size <= width:
            length += len(word.gap) + size
        else:
            lines, length = lines + 1, size
    return lines


def _lines(words: Sequence[_Word], max_line: int) -> tuple[str, ...]:
    """The cue's text: one line when it fits, else the fewest lines it needs, as even as they
    can be and broken after punctuation where that is near the middle."""
    lengths = [_length(word.text) for word in words]
    gaps = [len(word.gap) for word in words]
    offsets = [0, *accumulate(gap + length for gap, length in zip(gaps, lengths, strict=True))]
    reach: list[int] = []
    stop = 0
    for first in range(len(words)):
        stop = max(stop, first + 1)
        while stop < len(words) and offsets[stop + 1] - offsets[first] - gaps[first] <= max_line:
            stop += 1
        reach.append(stop)
    breaks_well = [
        k == len(words) - 1 or word.text[-1] in _CLAUSE_ENDS or word.ends_sentence
        for k, word in enumerate(words)
    ]
    return tuple(
        "".join(
            (word.gap if k > first else "") + word.text
            for k, word in enumerate(words[first:stop], start=first)
        )
        for first, stop in _partition(lengths, gaps, reach, breaks_well, max_line)
    )


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
