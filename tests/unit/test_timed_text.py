"""Timed text for Comprehend: rebuilding the transcript, the sentiment windows, batching, and
mapping Comprehend's answers back onto the video's timeline."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.transcripts import Token, sample_transcribe_document, transcribe_items
from video_pipeline.errors import TranscriptReadError
from video_pipeline.timed_text import (
    MIXED_THRESHOLD,
    NO_DATA_MIN_WORDS,
    SCORE_KEYS,
    Segment,
    SegmentSentiment,
    TimedWord,
    batches,
    entities,
    has_enough_text,
    joined_segments,
    key_phrases,
    offset_to_time,
    overall_sentiment,
    segment_sentiments,
    sentence_segments,
    span_times,
    timed_words,
)


def spoken(text: str, *, start: float = 0.0, step: float = 0.5) -> list[Token]:
    """Tokens for `text`: words every `step` seconds, punctuation split off the word it ends."""
    tokens: list[Token] = []
    clock = start
    for chunk in text.split():
        word = chunk.rstrip(",.?!")
        tokens.append((word, round(clock, 3), round(clock + step * 0.8, 3)))
        clock += step
        tokens.extend(chunk[len(word) :])
    return tokens


def test_sentence_segments_title_abbreviation_does_not_end_the_segment() -> None:
    items = transcribe_items(spoken("And Mr. John Dashwood smiled warmly. He then left the room."))
    segments = sentence_segments(items, "en-US")
    assert texts(segments) == ["And Mr. John Dashwood smiled warmly.", "He then left the room."]


def test_timed_words_japanese_text_has_no_spaces_and_offsets_still_index_it() -> None:
    tokens: list[Token] = [
        ("今日", 0.0, 0.3), ("は", 0.3, 0.4), ("天気", 0.4, 0.7), ("です", 0.7, 1.0), "\u3002",
        ("明日", 1.4, 1.7), ("は", 1.7, 1.8), ("雨", 1.8, 2.0), ("です", 2.0, 2.3), "\u3002",
    ]  # fmt: skip
    text, words = timed_words(transcribe_items(tokens), "ja-JP")
    assert text == "今日は天気です。明日は雨です。"
    assert [text[w.begin_offset : w.end_offset] for w in words] == [w.text for w in words]
    segments = sentence_segments(transcribe_items(tokens), "ja-JP")
    assert texts(segments) == ["今日は天気です。", "明日は雨です。"]


# "Hello, world. I don't know!" with the times test_transcript_record.py uses
HELLO_WORLD: list[Token] = [
    ("Hello", 0.5, 0.89),
    ",",
    ("world", 1.0, 1.4),
    ".",
    ("I", 2.0, 2.1),
    ("don't", 2.1, 2.4),
    ("know", 2.4, 2.9),
    "!",
]


def texts(segments: list[Segment]) -> list[str]:
    return [segment.text for segment in segments]


def covered(segments: list[Segment], words: list[TimedWord]) -> list[list[str]]:
    """The words each segment holds, by where they begin."""
    return [
        [w.text for w in words if s.begin_offset <= w.begin_offset < s.end_offset] for s in segments
    ]


def segment(index: int, start: float, end: float, begin: int = 0, text: str = "x") -> Segment:
    return Segment(
        index=index,
        text=text,
        start=start,
        end=end,
        begin_offset=begin,
        end_offset=begin + len(text),
    )


def sentiment_result(index: int, label: str, **scores: float) -> dict[str, Any]:
    full = {key: scores.get(key, 0.0) for key in SCORE_KEYS}
    return {"Index": index, "Sentiment": label, "SentimentScore": full}


def timed(index: int, start: float, end: float, **scores: float) -> SegmentSentiment:
    return SegmentSentiment(
        index=index,
        start=start,
        end=end,
        text="x",
        sentiment="NEUTRAL",
        scores={key: scores.get(key, 0.0) for key in SCORE_KEYS},
    )


def found(segment: Segment, text: str, score: float, kind: str | None = None) -> dict[str, Any]:
    """A key phrase or entity at the first place `text` occurs in the segment, offsets relative
    to the segment as Comprehend gives them."""
    begin = segment.text.index(text)
    entry: dict[str, Any] = {
        "Text": text,
        "Score": score,
        "BeginOffset": begin,
        "EndOffset": begin + len(text),
    }
    if kind is not None:
        entry["Type"] = kind
    return entry


# ------------------------------------------------------------------ timed_words


def test_timed_words_sample_event_rebuilds_transcribe_transcript() -> None:
    results = sample_transcribe_document()["results"]

    text, words = timed_words(results["items"])

    assert text == results["transcripts"][0]["transcript"]
    assert [w.text for w in words][:3] == ["Hello", "and", "welcome"]
    assert all(text[w.begin_offset : w.end_offset] == w.text for w in words)


def test_timed_words_punctuation_attaches_to_previous_word() -> None:
    text, words = timed_words(transcribe_items(HELLO_WORLD))

    assert text == "Hello, world. I don't know!"
    assert [(w.begin_offset, w.end_offset) for w in words] == [
        (0, 5),
        (7, 12),
        (14, 15),
        (16, 21),
        (22, 26),
    ]


def test_timed_words_punctuation_items_are_not_words() -> None:
    _, words = timed_words(transcribe_items(HELLO_WORLD))

    assert [w.text for w in words] == ["Hello", "world", "I", "don't", "know"]
    assert [(w.start, w.end) for w in words][:2] == [(0.5, 0.89), (1.0, 1.4)]


def test_timed_words_no_items_gives_empty_text() -> None:
    assert timed_words([]) == ("", [])


@pytest.mark.parametrize(
    "item",
    [
        {"id": 0, "type": "pronunciation", "alternatives": []},
        {"id": 0, "type": "pronunciation", "alternatives": [{"content": "hi"}]},
        {
            "id": 0,
            "type": "pronunciation",
            "alternatives": [{"content": "hi"}],
            "start_time": "soon",
            "end_time": "1.0",
        },
        {"id": 0, "type": "speaker_change", "alternatives": [{"content": "hi"}]},
    ],
    ids=["no-alternatives", "no-times", "time-not-a-number", "unknown-type"],
)
def test_timed_words_malformed_item_raises_transcript_read_error(item: dict[str, Any]) -> None:
    with pytest.raises(TranscriptReadError):
        timed_words([item])


# ------------------------------------------------------------------ sentence_segments


def test_sentence_segments_sample_event_gives_one_segment_per_sentence() -> None:
    items = sample_transcribe_document()["results"]["items"]
    text, _ = timed_words(items)

    segments = sentence_segments(items)

    assert texts(segments) == ["Hello, and welcome to Munich.", "This is a short portrait clip."]
    assert [s.index for s in segments] == [0, 1]
    assert all(text[s.begin_offset : s.end_offset] == s.text for s in segments)
    assert segments[0].start == pytest.approx(0.52)


def test_sentence_segments_sentence_ends_break_segments() -> None:
    items = transcribe_items(spoken("One two three. Four five six? Seven eight nine! Ten ten ten"))

    segments = sentence_segments(items)

    assert texts(segments) == [
        "One two three.",
        "Four five six?",
        "Seven eight nine!",
        "Ten ten ten",
    ]
    assert (segments[1].start, segments[1].end) == (1.5, 2.9)


def test_joined_segments_few_segments_are_kept_as_they_are() -> None:
    items = transcribe_items(spoken("One two three. Four five six? Seven eight nine!"))
    text, _ = timed_words(items)
    segments = sentence_segments(items)

    assert joined_segments(segments, text, max_documents=3) == segments


def test_joined_segments_many_segments_join_into_at_most_the_documents_asked() -> None:
    # Given ten sentences and room for four documents
    items = transcribe_items(spoken(" ".join(f"Word {n} here." for n in range(10))))
    text, _ = timed_words(items)
    segments = sentence_segments(items)

    joined = joined_segments(segments, text, max_documents=4)

    # Then consecutive sentences share a document, every word still in one, in order
    assert len(joined) <= 4
    assert " ".join(texts(joined)) == " ".join(texts(segments))
    assert [s.text for s in joined] == [text[s.begin_offset : s.end_offset] for s in joined]
    assert (joined[0].start, joined[-1].end) == (segments[0].start, segments[-1].end)
    assert [s.index for s in joined] == list(range(len(joined)))


def test_joined_segments_never_pass_the_byte_limit() -> None:
    items = transcribe_items(spoken(" ".join(f"Word {n} here." for n in range(10))))
    text, _ = timed_words(items)

    joined = joined_segments(sentence_segments(items), text, max_documents=1, max_bytes=40)

    assert all(len(s.text.encode()) <= 40 for s in joined)
    assert len(joined) > 1


def test_sentence_segments_comma_does_not_break_segment() -> None:
    segments = sentence_segments(transcribe_items(spoken("One two, three four.")))

    assert texts(segments) == ["One two, three four."]


def after_silence(seconds: float) -> list[Token]:
    """Six words, the second three after `seconds` of silence (binary fractions: exact)."""
    first: list[Token] = [("one", 0.0, 0.5), ("two", 0.5, 1.0), ("three", 1.0, 1.5)]
    later = 1.5 + seconds
    return [
        *first,
        ("four", later, later + 0.5),
        ("five", later + 0.5, later + 1.0),
        ("six", later + 1.0, later + 1.5),
    ]


def test_sentence_segments_pause_longer_than_limit_breaks_segment() -> None:
    segments = sentence_segments(transcribe_items(after_silence(1.75)), pause_seconds=1.5)

    assert texts(segments) == ["one two three", "four five six"]
    assert (segments[1].start, segments[1].end) == (3.25, 4.75)


def test_sentence_segments_pause_at_limit_keeps_segment() -> None:
    segments = sentence_segments(transcribe_items(after_silence(1.5)), pause_seconds=1.5)

    assert texts(segments) == ["one two three four five six"]


def test_sentence_segments_short_sentence_merges_into_previous() -> None:
    items = transcribe_items(spoken("We went to Munich. Really. It was cold there."))

    assert texts(sentence_segments(items)) == ["We went to Munich. Really.", "It was cold there."]


def test_sentence_segments_short_first_sentence_joins_next() -> None:
    items = transcribe_items(spoken("Hi there. We went to Munich. It was cold."))

    assert texts(sentence_segments(items)) == ["Hi there. We went to Munich.", "It was cold."]


def test_sentence_segments_short_sentence_over_limit_stays_alone() -> None:
    items = transcribe_items(spoken("We went to Munich. Really.", step=1.0))

    segments = sentence_segments(items, max_seconds=4.0)

    assert texts(segments) == ["We went to Munich.", "Really."]


def test_sentence_segments_long_sentence_splits_at_max_seconds() -> None:
    items = transcribe_items(spoken(" ".join(f"w{i}" for i in range(20)) + ".", step=1.0))

    segments = sentence_segments(items, max_seconds=5.0)

    assert all(s.end - s.start <= 5.0 for s in segments)
    assert [len(s.text.split()) for s in segments] == [5, 5, 5, 5]
    assert segments[-1].text.endswith("w19.")


def test_sentence_segments_multibyte_text_respects_max_bytes() -> None:
    # 2-, 3- and 4-byte characters: a character count would let these through
    sentence = "Grüße aus München, schöne Straße und 日本語 und 𝄞𝄞 Musik heute Abend."
    items = transcribe_items(spoken(sentence, step=0.1))
    text, words = timed_words(items)

    segments = sentence_segments(items, max_bytes=24)

    assert len(segments) > 1
    assert all(len(s.text.encode("utf-8")) <= 24 for s in segments)
    assert len(text) < len(text.encode("utf-8"))
    assert [w for ws in covered(segments, words) for w in ws] == [w.text for w in words]
    # splits fall between words: each segment is whole words and their punctuation
    assert all(s.text == text[s.begin_offset : s.end_offset] for s in segments)
    assert all(text[s.begin_offset - 1] == " " for s in segments[1:])


def test_sentence_segments_exact_fit_stays_one_segment() -> None:
    items = transcribe_items(spoken("ab cd éf."))  # 10 bytes, 9 characters

    assert texts(sentence_segments(items, max_bytes=10)) == ["ab cd éf."]
    assert len(sentence_segments(items, max_bytes=9)) == 2


def test_sentence_segments_oversized_single_word_is_cut_to_max_bytes() -> None:
    items = transcribe_items([("ab", 0.0, 0.1), ("日本語日本語", 0.2, 0.9), ".", ("cd", 1.0, 1.1)])

    segments = sentence_segments(items, max_bytes=8)

    assert texts(segments) == ["ab", "日本", "cd"]
    assert segments[1].end == 0.9


def test_sentence_segments_no_words_gives_no_segments() -> None:
    assert sentence_segments(transcribe_items(["."])) == []


@pytest.mark.parametrize(
    "limits", [{"max_bytes": 3}, {"max_seconds": 0.0}], ids=["bytes", "seconds"]
)
def test_sentence_segments_impossible_limits_raise_value_error(limits: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="max_"):
        sentence_segments(transcribe_items(HELLO_WORLD), **limits)


# ------------------------------------------------------------------ batches


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, [1]), (25, [25]), (26, [25, 1]), (51, [25, 25, 1])],
)
def test_batches_count_gives_batches_of_at_most_25(count: int, sizes: list[int]) -> None:
    chunks = batches(list(range(count)))

    assert [len(chunk) for chunk in chunks] == sizes
    assert [n for chunk in chunks for n in chunk] == list(range(count))


def test_batches_zero_size_raises_value_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        batches([1, 2], size=0)


# ------------------------------------------------------------------ offset_to_time, span_times

HELLO_TEXT, HELLO_WORDS = timed_words(transcribe_items(HELLO_WORLD))


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, 0.5),  # "H", a word start
        (3, 0.5),  # inside "Hello"
        (5, 1.0),  # "," belongs to no word: the next word's start
        (6, 1.0),  # the space after the comma
        (7, 1.0),  # "world"
        (13, 2.0),  # the space after "world."
        (19, 2.1),  # the apostrophe inside "don't"
        (25, 2.4),  # last character of "know"
        (26, None),  # the final "!": no speech follows it
        (27, None),  # the end of the text
        (500, None),
        (-1, None),
    ],
)
def test_offset_to_time_offset_gives_word_start(offset: int, expected: float | None) -> None:
    assert offset_to_time(HELLO_WORDS, offset) == expected


def test_offset_to_time_no_words_gives_none() -> None:
    assert offset_to_time([], 0) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Hello", (0.5, 0.89)),
        ("world. I", (1.0, 2.1)),
        ("I don't know!", (2.0, 2.9)),
        ("ell", (0.5, 0.89)),
    ],
)
def test_span_times_span_gives_first_start_to_last_end(
    phrase: str, expected: tuple[float, float]
) -> None:
    begin = HELLO_TEXT.index(phrase)

    assert span_times(HELLO_WORDS, begin, begin + len(phrase)) == expected


@pytest.mark.parametrize(
    ("begin", "end"),
    [(5, 7), (26, 27), (40, 50), (3, 3), (4, 2)],
    ids=["comma-and-space", "final-mark", "beyond", "empty", "reversed"],
)
def test_span_times_span_touching_no_word_gives_none(begin: int, end: int) -> None:
    assert span_times(HELLO_WORDS, begin, end) is None


# ------------------------------------------------------------------ has_enough_text


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, False), (NO_DATA_MIN_WORDS - 1, False), (NO_DATA_MIN_WORDS, True), (40, True)],
)
def test_has_enough_text_word_count_boundary(count: int, expected: bool) -> None:
    _, words = timed_words(transcribe_items(spoken(" ".join(["word"] * count))))

    assert has_enough_text(words) is expected


# ------------------------------------------------------------------ segment_sentiments


def test_segment_sentiments_batch_local_index_maps_across_two_batches() -> None:
    segments = [segment(i, float(i), i + 0.9, begin=2 * i) for i in range(30)]
    batch_one = [sentiment_result(i, "POSITIVE", Positive=i / 100) for i in range(25)]
    batch_two = [sentiment_result(i, "NEGATIVE", Negative=(25 + i) / 100) for i in range(5)]
    batch_one.reverse()
    random.Random(7).shuffle(batch_two)

    timeline = segment_sentiments(segments, batch_one + batch_two)

    assert [t.index for t in timeline] == list(range(30))
    assert [t.scores["Positive"] for t in timeline[:25]] == [i / 100 for i in range(25)]
    assert [t.scores["Negative"] for t in timeline[25:]] == [i / 100 for i in range(25, 30)]
    assert {t.sentiment for t in timeline[25:]} == {"NEGATIVE"}
    assert timeline[27].start == 27.0


def test_segment_sentiments_missing_result_raises_value_error() -> None:
    segments = [segment(i, i, i + 1) for i in range(3)]

    with pytest.raises(ValueError, match="every document"):
        segment_sentiments(segments, [sentiment_result(0, "NEUTRAL", Neutral=1.0)])


@pytest.mark.parametrize("indexes", [[0, 0, 1], [0, 1, 3]], ids=["duplicate", "out-of-batch"])
def test_segment_sentiments_bad_index_raises_value_error(indexes: list[int]) -> None:
    segments = [segment(i, i, i + 1) for i in range(3)]

    with pytest.raises(ValueError, match="Index"):
        segment_sentiments(segments, [sentiment_result(i, "NEUTRAL") for i in indexes])


# ------------------------------------------------------------------ overall_sentiment


def test_overall_sentiment_long_negative_outweighs_short_positive() -> None:
    timeline = [
        timed(0, 0.0, 2.0, Positive=0.95, Neutral=0.05),
        timed(1, 2.0, 22.0, Negative=0.9, Neutral=0.1),
    ]

    label, scores = overall_sentiment(timeline)

    assert label == "NEGATIVE"
    assert scores["Negative"] == pytest.approx(0.9 * 20 / 22)
    assert scores["Positive"] == pytest.approx(0.95 * 2 / 22)
    assert sum(scores.values()) == pytest.approx(1.0)


def test_overall_sentiment_strong_positive_and_negative_gives_mixed() -> None:
    timeline = [
        timed(0, 0.0, 10.0, Positive=0.9, Neutral=0.1),
        timed(1, 10.0, 20.0, Negative=0.8, Neutral=0.2),
        timed(2, 20.0, 25.0, Neutral=1.0),
    ]

    label, scores = overall_sentiment(timeline)

    assert scores["Positive"] > MIXED_THRESHOLD
    assert scores["Negative"] > MIXED_THRESHOLD
    assert label == "MIXED"


def test_overall_sentiment_one_side_below_threshold_gives_largest_score() -> None:
    timeline = [
        timed(0, 0.0, 10.0, Positive=0.9, Neutral=0.1),
        timed(1, 10.0, 13.0, Negative=0.9, Neutral=0.1),
    ]

    assert overall_sentiment(timeline)[0] == "POSITIVE"


def test_overall_sentiment_zero_durations_weigh_equally() -> None:
    timeline = [timed(0, 1.0, 1.0, Neutral=1.0), timed(1, 2.0, 2.0, Positive=0.6, Neutral=0.4)]

    label, scores = overall_sentiment(timeline)

    assert label == "NEUTRAL"
    assert scores["Neutral"] == pytest.approx(0.7)


def test_overall_sentiment_no_segments_raises_value_error() -> None:
    with pytest.raises(ValueError, match="has_enough_text"):
        overall_sentiment([])


# ------------------------------------------------------------------ key_phrases, entities

MUNICH = (
    "We flew to Munich in May. The beer halls of Munich were full. "
    "munich is cold in winter. Lisbon was warm."
)


def munich() -> tuple[list[Segment], list[TimedWord]]:
    items = transcribe_items(spoken(MUNICH))
    _, words = timed_words(items)
    return sentence_segments(items), words


def word_times(words: list[TimedWord], *texts: str) -> list[tuple[float, float]]:
    return [(w.start, w.end) for w in words if w.text in texts]


def test_key_phrases_offsets_map_to_spoken_times() -> None:
    segments, words = munich()
    results = [
        {"Index": 1, "KeyPhrases": [found(segments[1], "The beer halls", 0.99)]},
        {"Index": 0, "KeyPhrases": []},
        {"Index": 2, "KeyPhrases": []},
        {"Index": 3, "KeyPhrases": []},
    ]

    [phrase] = key_phrases(segments, results, words)

    the, halls = word_times(words, "The")[0], word_times(words, "halls")[0]
    assert phrase.occurrences == [(the[0], halls[1])]
    assert phrase.first_start == the[0]


def test_key_phrases_duplicates_merge_case_insensitively() -> None:
    segments, words = munich()
    results = [
        {"Index": i, "KeyPhrases": [found(s, word, score)]}
        for i, (s, word, score) in enumerate(
            zip(
                segments,
                ["Munich", "Munich", "munich", "Lisbon"],
                [0.9, 0.97, 0.8, 0.99],
                strict=True,
            )
        )
    ]

    phrases = key_phrases(segments, results, words)

    assert [(p.text, p.count) for p in phrases] == [("Munich", 3), ("Lisbon", 1)]
    assert phrases[0].score == 0.97
    assert phrases[0].occurrences == word_times(words, "Munich", "munich")
    assert phrases[0].first_start == phrases[0].occurrences[0][0]


def test_key_phrases_ranking_prefers_repeated_over_slightly_surer() -> None:
    segments, words = munich()
    results = [
        {
            "Index": 0,
            "KeyPhrases": [found(segments[0], "May", 0.99), found(segments[0], "Munich", 0.9)],
        },
        {"Index": 1, "KeyPhrases": [found(segments[1], "Munich", 0.9)]},
        {"Index": 2, "KeyPhrases": []},
        {"Index": 3, "KeyPhrases": []},
    ]

    assert [p.text for p in key_phrases(segments, results, words)] == ["Munich", "May"]
    assert [p.text for p in key_phrases(segments, results, words, top=1)] == ["Munich"]


def test_key_phrases_second_batch_offsets_add_segment_offset() -> None:
    items = transcribe_items(spoken(" ".join(f"Sentence {i} about Munich." for i in range(27))))
    text, words = timed_words(items)
    segments = sentence_segments(items)
    results = [{"Index": i % 25, "KeyPhrases": []} for i in range(27)]
    results[26] = {"Index": 1, "KeyPhrases": [found(segments[26], "Munich", 0.9)]}

    [phrase] = key_phrases(segments, results, words)

    begin = segments[26].begin_offset + segments[26].text.index("Munich")
    assert phrase.occurrences == [(offset_to_time(words, begin), words[26 * 4 + 3].end)]
    assert text[begin : begin + 6] == "Munich"


def test_key_phrases_negative_top_raises_value_error() -> None:
    with pytest.raises(ValueError, match="top"):
        key_phrases([], [], [], top=-1)


def test_entities_offsets_map_to_times_and_duplicates_merge() -> None:
    segments, words = munich()
    results = [
        {
            "Index": 0,
            "Entities": [
                found(segments[0], "Munich", 0.95, "LOCATION"),
                found(segments[0], "May", 0.9, "DATE"),
            ],
        },
        {"Index": 1, "Entities": [found(segments[1], "Munich", 0.99, "LOCATION")]},
        {"Index": 2, "Entities": [found(segments[2], "munich", 0.6, "ORGANIZATION")]},
        {"Index": 3, "Entities": [found(segments[3], "Lisbon", 0.98, "LOCATION")]},
    ]

    found_entities = entities(segments, results, words)

    assert [(e.text, e.type, e.count) for e in found_entities] == [
        ("Munich", "LOCATION", 2),
        ("Lisbon", "LOCATION", 1),
        ("May", "DATE", 1),
        ("munich", "ORGANIZATION", 1),
    ]
    assert found_entities[0].score == 0.99
    assert found_entities[0].occurrences == word_times(words, "Munich")
    assert found_entities[1].occurrences == word_times(words, "Lisbon")


def test_entities_no_entities_gives_empty_list() -> None:
    segments, words = munich()
    results = [{"Index": i, "Entities": []} for i in range(len(segments))]

    assert entities(segments, results, words) == []


# ------------------------------------------------------------------ properties

word_text = st.text(alphabet="abcXYZéßü日本語'-𝄞", min_size=1, max_size=10)
punctuation = st.sampled_from([",", ".", "?", "!", "...", "\u3002"])
tokens_strategy = st.lists(
    st.one_of(
        st.tuples(word_text, st.floats(0.0, 3.0), st.floats(0.0, 2.0)),
        punctuation,
    ),
    max_size=80,
)


def as_tokens(drawn: list[tuple[str, float, float] | str]) -> list[Token]:
    """Times that only move forward: gaps and durations become a clock, as Transcribe's do."""
    tokens: list[Token] = []
    clock = 0.0
    for entry in drawn:
        if isinstance(entry, str):
            tokens.append(entry)
        else:
            content, gap, duration = entry
            start = round(clock + gap, 3)
            clock = round(start + duration, 3)
            tokens.append((content, start, clock))
    return tokens


@given(tokens_strategy)
def test_timed_words_any_tokens_offsets_slice_each_word(
    drawn: list[tuple[str, float, float] | str],
) -> None:
    tokens = as_tokens(drawn)

    text, words = timed_words(transcribe_items(tokens))

    assert [w.text for w in words] == [t[0] for t in tokens if not isinstance(t, str)]
    assert all(text[w.begin_offset : w.end_offset] == w.text for w in words)
    assert len(text) == sum(len(t if isinstance(t, str) else t[0]) for t in tokens) + max(
        len(words) - (0 if tokens and isinstance(tokens[0], str) else 1), 0
    )


@given(tokens_strategy)
def test_offset_to_time_any_offset_gives_first_word_not_yet_ended(
    drawn: list[tuple[str, float, float] | str],
) -> None:
    text, words = timed_words(transcribe_items(as_tokens(drawn)))

    for offset in range(len(text) + 1):
        following = [w.start for w in words if w.end_offset > offset]
        assert offset_to_time(words, offset) == (following[0] if following else None)


@given(
    tokens_strategy,
    st.integers(min_value=4, max_value=60),
    st.floats(min_value=0.5, max_value=20.0),
    st.floats(min_value=0.0, max_value=3.0),
)
def test_sentence_segments_any_tokens_fit_limits_and_cover_words_in_order(
    drawn: list[tuple[str, float, float] | str],
    max_bytes: int,
    max_seconds: float,
    pause_seconds: float,
) -> None:
    items = transcribe_items(as_tokens(drawn))
    text, words = timed_words(items)

    segments = sentence_segments(
        items, max_bytes=max_bytes, max_seconds=max_seconds, pause_seconds=pause_seconds
    )

    held = covered(segments, words)
    assert [w for ws in held for w in ws] == [w.text for w in words]
    assert all(held)
    assert [s.index for s in segments] == list(range(len(segments)))
    for s, ws in zip(segments, held, strict=True):
        assert 0 < len(s.text.encode("utf-8")) <= max_bytes
        assert s.text == text[s.begin_offset : s.end_offset]
        assert s.end - s.start <= max_seconds or len(ws) == 1
    assert all(a.end_offset < b.begin_offset for a, b in pairwise(segments))
