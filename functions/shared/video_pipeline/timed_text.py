"""Timed text for Amazon Comprehend: the transcript's words with their times, the windows sent to
DetectSentiment, and Comprehend's answers mapped back onto the video's timeline.

Nothing here calls AWS. The caller sends `Segment.text` to the Batch* APIs in `batches()` of
25 and passes the concatenated ResultLists back in, so every rule can be tested offline.

Offsets are Python string indexes, that is Unicode code points, which is also how Comprehend
counts BeginOffset and EndOffset ("a multi-byte UTF-8 character maps to a single code point").
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypeVar

from pydantic import BaseModel

from .errors import TranscriptReadError
from .transcribe_output import read_items, sentence_ends, word_gap

T = TypeVar("T")

# BatchDetectSentiment, BatchDetectKeyPhrases and BatchDetectEntities take at most 25 documents.
COMPREHEND_BATCH_SIZE = 25
# A sentence shorter than this ("Yes.", "Thank you.") says little on its own: Comprehend scores
# it with a confidence it has not earned, so it joins a neighbouring segment when it fits.
SHORT_SENTENCE_WORDS = 3
# Below five spoken words there is nothing to analyse: what Transcribe found is a greeting, a
# name or speech it heard in music or noise, and a sentiment label for the whole video read from
# it would be stored as if it meant something. The analysis branches report NO_DATA instead,
# as Media2Cloud does for too-short transcripts.
NO_DATA_MIN_WORDS = 5
# A video whose weighted Positive and Negative scores both exceed this has both in earnest, even
# when Neutral wins on average; averaging would otherwise hide the disagreement.
MIXED_THRESHOLD = 0.3
SCORE_KEYS = ("Positive", "Negative", "Neutral", "Mixed")
# On an exact tie the calmer label wins: claiming no sentiment is the smaller mistake.
_TIE_ORDER = ("Neutral", "Positive", "Negative", "Mixed")


class TimedWord(BaseModel):
    """A spoken word; the offsets index the text `timed_words` rebuilds."""

    text: str
    start: float
    end: float
    begin_offset: int
    end_offset: int


class Segment(BaseModel):
    """One document for Comprehend: `text` is `full_text[begin_offset:end_offset]`."""

    index: int
    text: str
    start: float
    end: float
    begin_offset: int
    end_offset: int


class SegmentSentiment(BaseModel):
    index: int
    start: float
    end: float
    text: str
    sentiment: str
    scores: dict[str, float]


class TimedPhrase(BaseModel):
    text: str
    score: float
    count: int
    first_start: float
    occurrences: list[tuple[float, float]]


class TimedEntity(BaseModel):
    text: str
    type: str
    score: float
    count: int
    occurrences: list[tuple[float, float]]


@dataclass(frozen=True)
class _Transcript:
    text: str
    words: list[TimedWord]
    # Where each word's text ends once the punctuation after it is counted: a segment that ends
    # on a word keeps its full stop, so Comprehend reads the sentence as it was written.
    extents: list[int]
    ends_sentence: list[bool]


def _parse(items: list[dict[str, Any]], language_code: str) -> _Transcript:
    parts: list[str] = []
    length = 0
    words: list[TimedWord] = []
    extents: list[int] = []
    for item in read_items(items):
        content = item.content
        if not item.spoken:
            parts.append(content)
            length += len(content)
            if words:
                extents[-1] = length
            continue
        if item.start is None or item.end is None:
            raise TranscriptReadError(f"The spoken word {content!r} has no start or end time")
        if parts:
            gap = word_gap(parts[-1], content, language_code)
            parts.append(gap)
            length += len(gap)
        begin = length
        parts.append(content)
        length += len(content)
        words.append(
            TimedWord(
                text=content, start=item.start, end=item.end, begin_offset=begin, end_offset=length
            )
        )
        extents.append(length)
    text = "".join(parts)
    shown = [text[word.begin_offset : extent] for word, extent in zip(words, extents, strict=True)]
    return _Transcript(text, words, extents, sentence_ends(shown, language_code))


def timed_words(
    items: list[dict[str, Any]], language_code: str = ""
) -> tuple[str, list[TimedWord]]:
    """The transcript text as Transcribe joins it, and the spoken words with their offsets.

    Words are separated by one space (none in a language written without spaces, see
    `word_gap`) and punctuation sticks to what precedes it, which gives Transcribe's own
    results.transcripts[0].transcript. Punctuation items carry no time, so they are not words.
    Malformed items raise TranscriptReadError, the error the state machine already catches
    for unreadable transcripts.
    """
    parsed = _parse(items, language_code)
    return parsed.text, parsed.words


def sentence_segments(
    items: list[dict[str, Any]],
    language_code: str = "",
    *,
    max_bytes: int = 4500,
    max_seconds: float = 30.0,
    pause_seconds: float = 1.5,
) -> list[Segment]:
    """Windows for DetectSentiment, each one sentence or so, so sentiment has a timeline.

    Rules, in order:
    1. A segment breaks where a sentence ends in the transcript's language (`sentence_ends`:
       after . ? ! or the full-width marks, but not after "Mr." or "e.g.") and wherever the
       silence before the next word is longer than `pause_seconds`: Transcribe's punctuation
       is unreliable in unscripted speech, a pause is not.
    2. A sentence over `max_bytes` of UTF-8 or `max_seconds` is split greedily at word
       boundaries. 4500 bytes leaves a margin under Comprehend's 5,000-byte document limit.
    3. A piece of fewer than SHORT_SENTENCE_WORDS words joins the previous segment, or, when
       it comes first, the next one, provided the result stays within both limits.
    A single word longer than `max_seconds` stands alone; a single word (with its punctuation)
    over `max_bytes` is cut at the last whole character that fits, so no document Comprehend
    receives is ever too big. Every word belongs to exactly one segment, in order.
    """
    if max_bytes < 4:
        raise ValueError("max_bytes must hold at least one character (4 bytes)")
    if max_seconds <= 0:
        raise ValueError("max_seconds must be positive")
    parsed = _parse(items, language_code)
    text, words, extents = parsed.text, parsed.words, parsed.extents
    if not words:
        return []
    byte_at = [0, *accumulate(len(char.encode("utf-8")) for char in text)]

    def fits(first: int, last: int) -> bool:
        size = byte_at[extents[last]] - byte_at[words[first].begin_offset]
        return size <= max_bytes and words[last].end - words[first].start <= max_seconds

    pieces: list[tuple[int, int]] = []  # first and last word of each piece, inclusive
    first = 0
    for i, word in enumerate(words):
        is_last = i == len(words) - 1
        if is_last or parsed.ends_sentence[i] or words[i + 1].start - word.end > pause_seconds:
            pieces.extend(_split(first, i, fits))
            first = i + 1

    merged: list[tuple[int, int]] = []
    for first, last in pieces:
        if merged:
            before_first, before_last = merged[-1]
            short = (
                last - first + 1 < SHORT_SENTENCE_WORDS
                or before_last - before_first + 1 < SHORT_SENTENCE_WORDS
            )
            if short and fits(before_first, last):
                merged[-1] = (before_first, last)
                continue
        merged.append((first, last))

    segments: list[Segment] = []
    for index, (first, last) in enumerate(merged):
        begin, end = words[first].begin_offset, extents[last]
        if byte_at[end] - byte_at[begin] > max_bytes:
            # Only a lone word gets here; byte_at rises with every character, so bisect finds
            # the longest prefix within the limit.
            end = bisect_right(byte_at, byte_at[begin] + max_bytes, begin, end + 1) - 1
        segments.append(
            Segment(
                index=index,
                text=text[begin:end],
                start=words[first].start,
                end=words[last].end,
                begin_offset=begin,
                end_offset=end,
            )
        )
    return segments


def _split(first: int, last: int, fits: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = first
    for i in range(first + 1, last + 1):
        if not fits(start, i):
            pieces.append((start, i - 1))
            start = i
    pieces.append((start, last))
    return pieces


def joined_segments(
    segments: list[Segment], text: str, max_documents: int, *, max_bytes: int = 4500
) -> list[Segment]:
    """The segments as they are when there are at most `max_documents`; otherwise runs of
    consecutive segments joined into one document each (never over `max_bytes` of UTF-8), so a
    long transcript needs a bounded number of Comprehend calls and its windows grow instead.
    `text` is the text the segments' offsets index."""
    if len(segments) <= max_documents:
        return segments
    per_document = math.ceil(len(segments) / max_documents)
    byte_at = [0, *accumulate(len(char.encode("utf-8")) for char in text)]
    runs: list[list[Segment]] = []
    for segment in segments:
        run = runs[-1] if runs else []
        if (
            run
            and len(run) < per_document
            and byte_at[segment.end_offset] - byte_at[run[0].begin_offset] <= max_bytes
        ):
            run.append(segment)
        else:
            runs.append([segment])
    return [
        Segment(
            index=index,
            text=text[run[0].begin_offset : run[-1].end_offset],
            start=run[0].start,
            end=run[-1].end,
            begin_offset=run[0].begin_offset,
            end_offset=run[-1].end_offset,
        )
        for index, run in enumerate(runs)
    ]


def batches(items: Sequence[T], size: int = COMPREHEND_BATCH_SIZE) -> list[list[T]]:
    """Consecutive chunks of at most `size`, in order: one Comprehend Batch* call each."""
    if size < 1:
        raise ValueError("A batch holds at least one item")
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def offset_to_time(words: list[TimedWord], offset: int) -> float | None:
    """The start of the word containing `offset`, or of the next word when `offset` falls on a
    space or punctuation. None before the text or from the end of the last word on: the
    punctuation after the last word is followed by no speech."""
    if offset < 0:
        return None
    i = bisect_right(words, offset, key=lambda word: word.begin_offset) - 1
    if i >= 0 and offset < words[i].end_offset:
        return words[i].start
    return words[i + 1].start if i + 1 < len(words) else None


def span_times(words: list[TimedWord], begin: int, end: int) -> tuple[float, float] | None:
    """From the start of the first word to the end of the last word that the character span
    [begin, end) touches; None when it touches no word (empty, blank or out of range)."""
    if begin >= end:
        return None
    first = bisect_right(words, begin, key=lambda word: word.end_offset)
    last = bisect_left(words, end, key=lambda word: word.begin_offset) - 1
    if first > last:
        return None
    return words[first].start, words[last].end


def has_enough_text(words: list[TimedWord]) -> bool:
    """Whether the transcript is worth sending to Comprehend (see NO_DATA_MIN_WORDS)."""
    return len(words) >= NO_DATA_MIN_WORDS


def _per_segment(
    segments: list[Segment], results: list[dict[str, Any]], batch_size: int
) -> list[tuple[Segment, dict[str, Any]]]:
    """Pair each result with its segment. A result's Index counts within its own batch, and a
    ResultList need not be in order, so the batch is found by position: that only works when
    every document has a result, which is why the caller fails on a non-empty ErrorList."""
    if len(results) != len(segments):
        raise ValueError(
            f"{len(results)} Comprehend results for {len(segments)} segments: "
            "every document needs a result"
        )
    paired: list[tuple[int, Segment, dict[str, Any]]] = []
    for number, (batch, answers) in enumerate(
        zip(batches(segments, batch_size), batches(results, batch_size), strict=True)
    ):
        seen: set[int] = set()
        for answer in answers:
            index = int(answer["Index"])
            if not 0 <= index < len(batch) or index in seen:
                raise ValueError(f"Batch {number} has an unexpected result Index {index}")
            seen.add(index)
            paired.append((number * batch_size + index, batch[index], answer))
    paired.sort(key=lambda entry: entry[0])
    return [(segment, answer) for _, segment, answer in paired]


def segment_sentiments(
    segments: list[Segment],
    results: list[dict[str, Any]],
    *,
    batch_size: int = COMPREHEND_BATCH_SIZE,
) -> list[SegmentSentiment]:
    """The sentiment timeline: one entry per segment, in segment order. `results` are the
    BatchDetectSentiment ResultLists concatenated in batch order, batched as `batches()` does."""
    return [
        SegmentSentiment(
            index=segment.index,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            sentiment=str(answer["Sentiment"]),
            scores={key: float(answer["SentimentScore"][key]) for key in SCORE_KEYS},
        )
        for segment, answer in _per_segment(segments, results, batch_size)
    ]


def overall_sentiment(segments: list[SegmentSentiment]) -> tuple[str, dict[str, float]]:
    """The video's label and scores: each score averaged over the segments, weighted by duration,
    so a minute of complaint outweighs a two-second "great". The label is MIXED when weighted
    Positive and Negative both exceed MIXED_THRESHOLD, else the largest score's, upper-cased as
    Comprehend writes labels. If every segment lasts zero seconds they weigh the same.
    Callers check has_enough_text first, so no segments is a bug: ValueError."""
    if not segments:
        raise ValueError("No segments to weigh; check has_enough_text before analysing")
    weights = [max(segment.end - segment.start, 0.0) for segment in segments]
    if sum(weights) <= 0:
        weights = [1.0] * len(segments)
    total = sum(weights)
    scores = {
        key: sum(w * s.scores.get(key, 0.0) for w, s in zip(weights, segments, strict=True)) / total
        for key in SCORE_KEYS
    }
    if scores["Positive"] > MIXED_THRESHOLD and scores["Negative"] > MIXED_THRESHOLD:
        return "MIXED", scores
    return max(_TIE_ORDER, key=scores.__getitem__).upper(), scores


def _fold(text: str) -> str:
    # "Munich" at a sentence start and "munich" mid-sentence are one phrase.
    return " ".join(text.split()).casefold()


@dataclass
class _Found:
    text: str
    type: str
    score: float
    start: float
    end: float


def _found(
    segments: list[Segment],
    results: list[dict[str, Any]],
    words: list[TimedWord],
    field: str,
    batch_size: int,
) -> Iterator[_Found]:
    for segment, answer in _per_segment(segments, results, batch_size):
        for found in answer[field]:
            # Comprehend counts from the start of the document it was sent: the segment.
            begin = segment.begin_offset + int(found["BeginOffset"])
            end = segment.begin_offset + int(found["EndOffset"])
            # Offsets outside any word would mean the segments and results disagree; the
            # segment's own span is still the right neighbourhood on the timeline.
            start, stop = span_times(words, begin, end) or (segment.start, segment.end)
            yield _Found(
                str(found["Text"]), str(found.get("Type", "")), float(found["Score"]), start, stop
            )


def _rank(score: float, count: int) -> float:
    # Repetition counts, but only logarithmically: a phrase said three times beats a slightly
    # surer one said once, yet a word repeated twenty times cannot bury everything else.
    return score * math.log1p(count)


def _grouped(found: Iterator[_Found], by_type: bool) -> list[list[_Found]]:
    groups: dict[tuple[str, str], list[_Found]] = {}
    for item in found:
        groups.setdefault((_fold(item.text), item.type if by_type else ""), []).append(item)
    for group in groups.values():
        group.sort(key=lambda item: (item.start, item.end))
    return list(groups.values())


def key_phrases(
    segments: list[Segment],
    results: list[dict[str, Any]],
    words: list[TimedWord],
    top: int = 10,
    *,
    batch_size: int = COMPREHEND_BATCH_SIZE,
) -> list[TimedPhrase]:
    """The `top` key phrases with when they are said. Phrases that differ only in case or
    spacing merge: `count` occurrences, the best score, the earliest occurrence's spelling.
    Ranked by score x ln(1 + count), then by first appearance."""
    if top < 0:
        raise ValueError("top must not be negative")
    phrases = [
        TimedPhrase(
            text=group[0].text,
            score=max(item.score for item in group),
            count=len(group),
            first_start=group[0].start,
            occurrences=[(item.start, item.end) for item in group],
        )
        for group in _grouped(_found(segments, results, words, "KeyPhrases", batch_size), False)
    ]
    phrases.sort(key=lambda p: (-_rank(p.score, p.count), p.first_start, p.text))
    return phrases[:top]


def entities(
    segments: list[Segment],
    results: list[dict[str, Any]],
    words: list[TimedWord],
    *,
    batch_size: int = COMPREHEND_BATCH_SIZE,
) -> list[TimedEntity]:
    """Every entity with when it is said, merged like key phrases but per type as well, since
    "Paris" the LOCATION and "Paris" the PERSON are different things. Same ranking; all of them,
    since a video names far fewer entities than it has noun phrases."""
    found = [
        TimedEntity(
            text=group[0].text,
            type=group[0].type,
            score=max(item.score for item in group),
            count=len(group),
            occurrences=[(item.start, item.end) for item in group],
        )
        for group in _grouped(_found(segments, results, words, "Entities", batch_size), True)
    ]
    found.sort(key=lambda e: (-_rank(e.score, e.count), e.occurrences[0][0], e.text, e.type))
    return found
