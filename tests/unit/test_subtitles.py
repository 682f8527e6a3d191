"""Subtitles from Transcribe's word timings: the cue rules a viewer notices (reading speed, line
length, breaks at sentences and pauses, nothing on screen twice) and the WebVTT and SRT files."""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.transcripts import Token, sample_transcribe_document, transcribe_items
from video_pipeline.errors import TranscriptReadError
from video_pipeline.subtitles import (
    Cue,
    cues_from_items,
    subtitles_from_transcript,
    to_srt,
    to_webvtt,
)
from video_pipeline.transcribe_output import sentence_ends

MAX_LINE = 42
MAX_SECONDS = 7.0
PAUSE_SECONDS = 1.0
MIN_SECONDS = 0.8


def spoken(text: str, *, start: float = 0.0, step: float = 0.2) -> list[Token]:
    """Tokens for `text`: one word every `step` seconds without a gap, punctuation split off the
    word it ends. The default pace is quick enough that only the text limits a cue."""
    tokens: list[Token] = []
    for index, chunk in enumerate(text.split()):
        word = chunk.rstrip(",.?!")
        tokens.append((word, round(start + index * step, 3), round(start + (index + 1) * step, 3)))
        tokens.extend(chunk[len(word) :])
    return tokens


def cues_for(text: str, *, step: float = 0.2) -> list[Cue]:
    return cues_from_items(transcribe_items(spoken(text, step=step)))


def texts(cues: list[Cue]) -> list[str]:
    return [" ".join(cue.lines) for cue in cues]


# Sentence and pause breaks


def test_cues_from_items_sentence_end_starts_new_cue() -> None:
    cues = cues_for("Where are you? I am here! Come in. Sit down.")
    assert texts(cues) == ["Where are you?", "I am here!", "Come in.", "Sit down."]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en-US", "And Mr. John Dashwood smiled. He left.", ["And Mr. John Dashwood smiled.",
                                                          "He left."]),
        ("es-ES", "El Sr. García llegó. Luego se fue.", ["El Sr. García llegó.", "Luego se fue."]),
        ("de-DE", "Herr Dr. Müller kam. Dann ging er.", ["Herr Dr. Müller kam.", "Dann ging er."]),
    ],
)  # fmt: skip
def test_cues_from_items_abbreviation_does_not_end_the_cue(
    language: str, text: str, expected: list[str]
) -> None:
    cues = cues_from_items(transcribe_items(spoken(text)), language)
    assert texts(cues) == expected


JAPANESE: list[Token] = [
    ("今日", 0.0, 0.3), ("は", 0.3, 0.4), ("天", 0.4, 0.5), ("気", 0.5, 0.6), ("が", 0.6, 0.7),
    ("と", 0.7, 0.8), ("て", 0.8, 0.9), ("も", 0.9, 1.0), ("良い", 1.0, 1.3), "\u3002",
    ("明日", 1.4, 1.7), ("は", 1.7, 1.8), ("雨", 1.8, 2.0), ("です", 2.0, 2.3), "\u3002",
]  # fmt: skip


def test_cues_from_items_japanese_words_join_without_spaces() -> None:
    # Given a ja-JP transcript's items, one token each as Transcribe and whisper give them
    cues = cues_from_items(transcribe_items(JAPANESE), "ja-JP")
    # Then each sentence is a cue, written as Japanese is: no space inside or between words
    assert [cue.lines for cue in cues] == [("今日は天気がとても良い。",), ("明日は雨です。",)]


def test_subtitles_from_transcript_japanese_document_has_no_spaces_in_cues() -> None:
    document = {"results": {"items": transcribe_items(JAPANESE)}}
    vtt, srt = subtitles_from_transcript(document, "ja-JP")
    assert "今日は天気がとても良い。" in vtt.splitlines()
    assert "明日は雨です。" in srt.splitlines()


def test_cues_from_items_comma_keeps_one_cue() -> None:
    assert texts(cues_for("Well, come in, then.")) == ["Well, come in, then."]


def test_cues_from_items_pause_over_one_second_starts_new_cue() -> None:
    items = transcribe_items([("wait", 0.0, 0.4), ("for", 0.4, 0.6), ("it", 1.61, 1.8)])
    cues = cues_from_items(items)
    assert [(cue.start, texts([cue])[0]) for cue in cues] == [(0.0, "wait for"), (1.61, "it")]


def test_cues_from_items_pause_of_exactly_one_second_keeps_one_cue() -> None:
    items = transcribe_items([("wait", 0.0, 0.5), ("for", 1.5, 1.7), ("it", 1.7, 2.0)])
    assert texts(cues_from_items(items)) == ["wait for it"]


def test_cues_from_items_pause_without_punctuation_ends_cue_before_silence() -> None:
    items = transcribe_items([("so", 0.0, 0.3), ("yeah", 0.3, 0.6), ("right", 5.0, 5.3)])
    first, second = cues_from_items(items)
    assert first.end <= 1.6  # not held on screen through four seconds of silence
    assert second.start == 5.0


# Reading time


def test_cues_from_items_speech_over_seven_seconds_splits_cue_evenly() -> None:
    cues = cues_for("one two three four five six seven eight nine ten", step=1.0)
    assert [(cue.start, cue.end, texts([cue])[0]) for cue in cues] == [
        (0.0, 5.0, "one two three four five"),
        (5.0, 10.0, "six seven eight nine ten"),
    ]


def test_cues_from_items_speech_of_exactly_seven_seconds_keeps_one_cue() -> None:
    cues = cues_for("one two three four five six seven", step=1.0)
    assert [(cue.start, cue.end) for cue in cues] == [(0.0, 7.0)]


def test_cues_from_items_word_longer_than_seven_seconds_gets_own_cue() -> None:
    items = transcribe_items([("so", 0.0, 0.5), ("ummmm", 0.5, 9.0), ("yes", 9.0, 9.5)])
    cues = cues_from_items(items)
    assert [(cue.start, cue.end, cue.lines) for cue in cues] == [
        (0.0, 0.5, ("so",)),
        (0.5, 9.0, ("ummmm",)),
        (9.0, 9.8, ("yes",)),
    ]


def test_cues_from_items_cue_times_are_first_start_and_last_end() -> None:
    items = transcribe_items([("Good", 0.52, 0.91), ("morning", 1.02, 1.63), "."])
    assert cues_from_items(items) == [Cue(0.52, 1.63, ("Good morning.",))]


def test_cues_from_items_short_cue_extends_to_min_seconds() -> None:
    items = transcribe_items([("Yes", 2.0, 2.3), "."])
    assert cues_from_items(items) == [Cue(2.0, 2.8, ("Yes.",))]


def test_cues_from_items_short_cue_extension_stops_at_next_cue() -> None:
    items = transcribe_items([("No", 2.0, 2.2), ".", ("Never", 2.5, 3.0), "."])
    first, second = cues_from_items(items)
    assert (first.start, first.end) == (2.0, 2.5)
    assert second.start == 2.5


# Line length and line count


def test_cues_from_items_text_within_42_characters_stays_on_one_line() -> None:
    text = "This line is exactly forty-two characters."
    assert len(text) == MAX_LINE
    assert cues_for(text)[0].lines == (text,)


def test_cues_from_items_text_over_42_characters_wraps_at_word_boundary() -> None:
    (cue,) = cues_for("This line is exactly forty-three characters.")
    assert cue.lines == ("This line is exactly", "forty-three characters.")


def test_cues_from_items_two_lines_are_balanced_with_shorter_line_on_top() -> None:
    (cue,) = cues_for("The ferry leaves from the north pier at half past seven tonight.")
    assert cue.lines == ("The ferry leaves from the north", "pier at half past seven tonight.")


def test_cues_from_items_text_over_two_lines_continues_in_next_cue() -> None:
    text = (
        "and then we walked along the river past the old market and the cathedral and the "
        "bridge until we reached the small square where the musicians were playing"
    )
    cues = cues_for(text)
    assert len(cues) == 2
    assert all(len(cue.lines) <= 2 for cue in cues)
    assert all(len(line) <= MAX_LINE for cue in cues for line in cue.lines)
    assert " ".join(texts(cues)) == text


def test_cues_from_items_full_cue_breaks_after_comma() -> None:
    cues = cues_for(
        "We drove north for hours through the hills and the rain, and at last we reached "
        "the house by the lake."
    )
    assert texts(cues) == [
        "We drove north for hours through the hills and the rain,",
        "and at last we reached the house by the lake.",
    ]


def test_cues_from_items_sentence_over_one_cue_splits_without_orphan() -> None:
    cues = cues_for(
        "Look, we drove north for hours through the hills and the rain and at last we reached "
        "the house."
    )
    assert [cue.lines for cue in cues] == [
        ("Look, we drove north for", "hours through the hills"),
        ("and the rain and at last", "we reached the house."),
    ]


def test_cues_from_items_two_lines_break_after_comma_near_middle() -> None:
    (cue,) = cues_for("Then, once the transcript is ready, we build the subtitles.")
    assert cue.lines == ("Then, once the transcript is ready,", "we build the subtitles.")


def test_cues_from_items_comma_near_line_start_does_not_break_line() -> None:
    (cue,) = cues_for("So, today we are going to talk about the whole pipeline.")
    assert cue.lines == ("So, today we are going to", "talk about the whole pipeline.")


def test_cues_from_items_overlong_word_stands_alone_on_its_line() -> None:
    long_word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
    cues = cues_for(f"We visited {long_word} today.")
    assert [cue.lines for cue in cues] == [("We visited",), (long_word, "today.")]


def test_cues_from_items_overlong_word_leaves_no_more_than_two_lines() -> None:
    long_word = "x" * 50
    cues = cues_for(f"one {long_word} two three")
    assert all(len(cue.lines) <= 2 for cue in cues)
    assert " ".join(texts(cues)) == f"one {long_word} two three"


# Punctuation


def test_cues_from_items_punctuation_attaches_to_previous_word() -> None:
    items = transcribe_items(
        [("Hello", 0.0, 0.3), ",", ("world", 0.4, 0.8), "?", ("Yes", 0.9, 1.0), "!"]
    )
    assert texts(cues_from_items(items)) == ["Hello, world?", "Yes!"]


def test_cues_from_items_opening_mark_attaches_to_next_word() -> None:
    items = transcribe_items(
        [("Hola", 0.0, 0.3), ".", "¿", ("Qué", 0.5, 0.7), ("tal", 0.7, 0.9), "?"]
    )
    assert texts(cues_from_items(items)) == ["Hola.", "¿Qué tal?"]


def test_cues_from_items_punctuation_before_any_word_is_dropped() -> None:
    items = transcribe_items([",", ("so", 0.0, 0.3), ("there", 0.3, 0.6), "."])
    assert texts(cues_from_items(items)) == ["so there."]


# Odd items


def test_cues_from_items_word_without_times_takes_previous_end() -> None:
    items = transcribe_items([("one", 1.0, 1.4), ("two", 1.4, 1.9)])
    del items[1]["start_time"], items[1]["end_time"]
    (cue,) = cues_from_items(items)
    assert (cue.start, cue.end, cue.lines) == (1.0, 1.8, ("one two",))


def test_cues_from_items_first_word_without_times_starts_at_zero() -> None:
    items = transcribe_items([("one", 1.0, 1.4)])
    items[0]["start_time"] = "not a time"
    del items[0]["end_time"]
    assert cues_from_items(items) == [Cue(0.0, 0.8, ("one",))]


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "pronunciation", "start_time": "0.5", "end_time": "0.6"},
        {"type": "pronunciation", "alternatives": [], "start_time": "0.5", "end_time": "0.6"},
        {"type": "pronunciation", "alternatives": [{"content": None}]},
        {"type": "pronunciation", "alternatives": ["nope"]},
        {"type": "pronunciation", "alternatives": [{"content": "   "}]},
        {"type": "speaker_change", "alternatives": [{"content": "x"}]},
        {"type": "punctuation"},
        "not an item",
    ],
)
def test_cues_from_items_unreadable_item_is_skipped(broken: Any) -> None:
    one, two = transcribe_items([("one", 0.0, 0.4), ("two", 0.4, 0.9)])
    items = [one, broken, two]
    assert texts(cues_from_items(items)) == ["one two"]


def test_cues_from_items_overlapping_word_times_give_ordered_cues() -> None:
    items = transcribe_items([("one", 0.0, 1.0), ".", ("two", 0.5, 0.8), ".", ("three", 0.9, 1.2)])
    cues = cues_from_items(items)
    assert texts(cues) == ["one.", "two.", "three"]
    assert all(a.end <= b.start for a, b in pairwise(cues))
    assert all(cue.start <= cue.end for cue in cues)


def test_cues_from_items_line_break_inside_content_stays_on_line() -> None:
    items = transcribe_items([("New\nYork", 0.0, 0.6)])
    assert cues_from_items(items)[0].lines == ("New York",)


def test_cues_from_items_no_items_gives_no_cues() -> None:
    assert cues_from_items([]) == []


def test_cues_from_items_only_punctuation_gives_no_cues() -> None:
    assert cues_from_items(transcribe_items([".", "?"])) == []


@pytest.mark.parametrize(
    "limits", [{"max_line": 0}, {"max_lines": 0}, {"max_seconds": 0.0}, {"max_seconds": -1.0}]
)
def test_cues_from_items_impossible_limits_raise_value_error(limits: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"max_seconds|line"):
        cues_from_items(transcribe_items(spoken("hello")), **limits)


# The files


def test_to_webvtt_cues_give_exact_file() -> None:
    cues = [Cue(0.5, 2.1, ("line one", "line two")), Cue(3725.25, 3727.0, ("and then",))]
    assert to_webvtt(cues) == (
        "WEBVTT\n\n"
        "1\n00:00:00.500 --> 00:00:02.100\nline one\nline two\n\n"
        "2\n01:02:05.250 --> 01:02:07.000\nand then\n\n"
    )


def test_to_srt_cues_give_exact_file() -> None:
    cues = [Cue(0.5, 2.1, ("line one", "line two")), Cue(3725.25, 3727.0, ("and then",))]
    assert to_srt(cues) == (
        "1\n00:00:00,500 --> 00:00:02,100\nline one\nline two\n\n"
        "2\n01:02:05,250 --> 01:02:07,000\nand then\n\n"
    )


def test_to_webvtt_markup_characters_are_escaped() -> None:
    vtt = to_webvtt([Cue(0.0, 1.0, ("Fish & chips <3 -->",))])
    assert vtt.splitlines()[4] == "Fish &amp; chips &lt;3 --&gt;"


def test_to_srt_markup_characters_are_kept() -> None:
    assert to_srt([Cue(0.0, 1.0, ("Fish & chips",))]).splitlines()[2] == "Fish & chips"


def test_to_webvtt_times_round_to_nearest_millisecond() -> None:
    vtt = to_webvtt([Cue(1.23456, 59.9996, ("x",))])
    assert vtt.splitlines()[3] == "00:00:01.235 --> 00:01:00.000"


def test_to_srt_end_rounding_before_start_keeps_end_at_start() -> None:
    srt = to_srt([Cue(1.0006, 1.0004, ("x",))])
    assert srt.splitlines()[1] == "00:00:01,001 --> 00:00:01,001"


def test_to_webvtt_no_cues_gives_header_only() -> None:
    assert to_webvtt([]) == "WEBVTT\n\n"


def test_to_srt_no_cues_gives_empty_file() -> None:
    assert to_srt([]) == ""


def test_subtitles_from_transcript_sample_event_gives_one_cue_per_sentence() -> None:
    vtt, srt = subtitles_from_transcript(sample_transcribe_document())
    assert vtt == (
        "WEBVTT\n\n"
        "1\n00:00:00.520 --> 00:00:02.210\nHello, and welcome to Munich.\n\n"
        "2\n00:00:02.600 --> 00:00:04.270\nThis is a short portrait clip.\n\n"
    )
    assert srt == (
        "1\n00:00:00,520 --> 00:00:02,210\nHello, and welcome to Munich.\n\n"
        "2\n00:00:02,600 --> 00:00:04,270\nThis is a short portrait clip.\n\n"
    )


def test_subtitles_from_transcript_sample_event_matches_transcribe_text() -> None:
    document = sample_transcribe_document()
    vtt, _ = subtitles_from_transcript(document)
    spoken_text = " ".join(" ".join(lines) for _, _, lines in parse_subtitles(vtt, "."))
    assert spoken_text == document["results"]["transcripts"][0]["transcript"]


@pytest.mark.parametrize("results", [{"items": []}, {"transcripts": [{"transcript": ""}]}])
def test_subtitles_from_transcript_empty_transcript_gives_header_and_empty_srt(
    results: dict[str, Any],
) -> None:
    assert subtitles_from_transcript({"results": results}) == ("WEBVTT\n\n", "")


@pytest.mark.parametrize(
    "document", [{}, {"results": None}, {"results": {"items": "oops"}}, {"results": []}]
)
def test_subtitles_from_transcript_not_a_document_raises_transcript_read_error(
    document: dict[str, Any],
) -> None:
    with pytest.raises(TranscriptReadError):
        subtitles_from_transcript(document)


# Random transcripts


_TIMING = re.compile(r"(\d{2,}):(\d{2}):(\d{2})[.,](\d{3}) --> (\d{2,}):(\d{2}):(\d{2})[.,](\d{3})")


def _milliseconds(hours: str, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def parse_subtitles(text: str, separator: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start ms, end ms, lines) per cue: just enough of a player's reader for these files."""
    if separator == ".":
        header, _, text = text.partition("\n\n")
        assert header == "WEBVTT"
    assert text == "" or text.endswith("\n\n")
    cues: list[tuple[int, int, tuple[str, ...]]] = []
    for number, block in enumerate(text.split("\n\n")[:-1], start=1):
        identifier, timing, *lines = block.split("\n")
        assert identifier == str(number)
        match = _TIMING.fullmatch(timing)
        assert match is not None
        assert timing[8] == timing[25] == separator
        assert lines
        if separator == ".":
            lines = [
                line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                for line in lines
            ]
        times = match.groups()
        cues.append((_milliseconds(*times[:4]), _milliseconds(*times[4:]), tuple(lines)))
    return cues


@dataclass(frozen=True)
class Spoken:
    text: str  # as it should appear on screen, punctuation included
    start: float
    end: float


_LETTERS = string.ascii_letters


# One draw in `odds` takes the rare value: plain tuples, since flatmap makes examples slow.
def _mostly(usual: st.SearchStrategy[int], rare: st.SearchStrategy[int], odds: int) -> Any:
    return st.tuples(st.integers(1, odds), usual, rare).map(
        lambda drawn: drawn[2] if drawn[0] == 1 else drawn[1]
    )


# Mostly short words spoken in runs; now and then a word no line can hold, one that lasts longer
# than a cue may, or a silence. Gaps of up to 3 s cover both sides of the 1 s pause rule.
_SPOKEN = st.tuples(
    st.integers(0, len(_LETTERS) - 1),  # where the word's letters start
    _mostly(st.integers(1, 15), st.integers(MAX_LINE + 1, 60), odds=15),  # its length
    _mostly(st.integers(0, 300), st.integers(0, 3000), odds=4),  # gap before, ms
    _mostly(st.integers(0, 800), st.integers(800, 9000), odds=10),  # duration, ms
    st.sampled_from(["", "", "", "", "", "", ",", ".", "?", "!"]),
)


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[Spoken]]:
    """Random Transcribe items, and the words a viewer should read from them with their times.

    Times are whole milliseconds, written as strings the way Transcribe writes them.
    """
    tokens: list[Token] = []
    spoken_words: list[Spoken] = []
    clock = draw(st.integers(0, 5000))
    count = draw(st.integers(0, 40))
    for first_letter, length, gap, duration, mark in draw(
        st.lists(_SPOKEN, min_size=count, max_size=count)
    ):
        word = (_LETTERS * 2)[first_letter : first_letter + length]
        start, end = (clock + gap) / 1000, (clock + gap + duration) / 1000
        clock += gap + duration
        tokens.append((word, start, end))
        if mark:
            tokens.append(mark)
        spoken_words.append(Spoken(word + mark, start, end))
    return transcribe_items(tokens), spoken_words


def words_per_cue(cues: list[Cue], spoken_words: list[Spoken]) -> list[list[Spoken]]:
    grouped: list[list[Spoken]] = []
    position = 0
    for cue in cues:
        count = len(" ".join(cue.lines).split(" "))
        grouped.append(spoken_words[position : position + count])
        position += count
    return grouped


def assert_every_word_once_in_order(cues: list[Cue], spoken_words: list[Spoken]) -> None:
    on_screen = [word for cue in cues for line in cue.lines for word in line.split(" ")]
    assert on_screen == [word.text for word in spoken_words]


def assert_lines_fit_the_screen(cues: list[Cue]) -> None:
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        for line in cue.lines:
            assert line
            assert len(line) <= MAX_LINE or " " not in line, line


def assert_timing_is_readable(cues: list[Cue], spoken_words: list[Spoken]) -> None:
    flags = sentence_ends([word.text for word in spoken_words], "")
    ends = {id(word): end for word, end in zip(spoken_words, flags, strict=True)}
    for cue, words in zip(cues, words_per_cue(cues, spoken_words), strict=True):
        assert cue.start == words[0].start
        assert cue.end == words[-1].end or words[-1].end < cue.end <= cue.start + MIN_SECONDS
        assert cue.end - cue.start <= MAX_SECONDS or len(words) == 1
        assert all(b.start - a.end <= PAUSE_SECONDS for a, b in pairwise(words))
        assert not any(ends[id(word)] for word in words[:-1])
    for before, after in pairwise(cues):
        assert before.start <= before.end <= after.start


# One test, not three: drawing a transcript costs more than checking it.
@settings(max_examples=200, deadline=None)
@given(transcripts())
def test_cues_from_items_random_transcript_follows_cue_rules(
    transcript: tuple[list[dict[str, Any]], list[Spoken]],
) -> None:
    items, spoken_words = transcript
    cues = cues_from_items(items)
    assert_every_word_once_in_order(cues, spoken_words)
    assert_lines_fit_the_screen(cues)
    assert_timing_is_readable(cues, spoken_words)


@settings(max_examples=200, deadline=None)
@given(transcripts())
def test_to_webvtt_random_transcript_parses_back_to_same_cues(
    transcript: tuple[list[dict[str, Any]], list[Spoken]],
) -> None:
    items, _ = transcript
    cues = cues_from_items(items)
    expected = [(round(cue.start * 1000), round(cue.end * 1000), cue.lines) for cue in cues]
    assert parse_subtitles(to_webvtt(cues), ".") == expected
    assert parse_subtitles(to_srt(cues), ",") == expected


# Line length in every language


def test_cues_from_items_accented_line_of_42_characters_stays_on_one_line() -> None:
    # Given 42 characters of French, which take 57 bytes of UTF-8
    line = "Déjà là, élève âgé, ça été évité à Noël ô."
    assert (len(line), len(line.encode())) == (MAX_LINE, 57)
    # When cues are made / Then the line is not wrapped as if it were longer
    assert [cue.lines for cue in cues_for(line)] == [(line,)]


def test_cues_from_items_decomposed_accents_wrap_as_composed_text_and_come_out_composed() -> None:
    # Given the same Spanish text with accents as separate combining marks (NFD)
    composed = "El pingüino miró el camión y la canción sonó también allí."
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    # When cues are made from each / Then both wrap the same and read as composed text
    assert texts(cues_for(decomposed)) == texts(cues_for(composed))
    assert all(unicodedata.is_normalized("NFC", t) for t in texts(cues_for(decomposed)))


def test_cues_from_items_japanese_line_is_measured_in_characters() -> None:
    # Given 40 kana characters, 120 bytes of UTF-8, as one word
    word = "あいうえおかきくけこ" * 4
    # When cues are made / Then it fits one line
    assert [cue.lines for cue in cues_for(word)] == [(word,)]
