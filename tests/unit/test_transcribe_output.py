"""Transcribe's items read once: what a word, a time and a sentence end are for every reader."""

from __future__ import annotations

from typing import Any

import pytest

from video_pipeline.errors import TranscriptReadError
from video_pipeline.transcribe_output import (
    TranscribeItem,
    document_items,
    ends_sentence,
    read_item,
    read_items,
    sentence_ends,
    word_gap,
)


def word(content: str, start: Any = "0.5", end: Any = "0.9") -> dict[str, Any]:
    return {
        "type": "pronunciation",
        "start_time": start,
        "end_time": end,
        "alternatives": [{"content": content, "confidence": "0.97"}],
    }


def mark(content: str) -> dict[str, Any]:
    return {"type": "punctuation", "alternatives": [{"content": content, "confidence": "0.0"}]}


def test_read_item_word_gives_times_and_confidence_as_numbers() -> None:
    assert read_item(word("Hello")) == TranscribeItem("pronunciation", "Hello", 0.5, 0.9, 0.97)


def test_read_item_punctuation_has_no_time() -> None:
    item = read_item(mark("."))
    assert not item.spoken
    assert (item.start, item.end) == (None, None)


@pytest.mark.parametrize("bad", ["-1", "nan", "inf", "soon", True])
def test_read_item_time_that_is_not_a_time_is_none(bad: Any) -> None:
    assert read_item(word("Hi", start=bad)).start is None


@pytest.mark.parametrize(
    "raw",
    [
        "hi",
        {"type": "speaker_change", "alternatives": [{"content": "x"}]},
        {"type": "pronunciation", "alternatives": []},
        {"type": "pronunciation", "alternatives": [{"content": None}]},
    ],
)
def test_read_items_unreadable_item_raises_or_is_skipped(raw: Any) -> None:
    with pytest.raises(TranscriptReadError):
        read_items([word("Hi"), raw])

    assert [item.content for item in read_items([word("Hi"), raw], skip_unreadable=True)] == ["Hi"]


@pytest.mark.parametrize(("punctuation", "ends"), [(".", True), ("?!", True), ("\u3002", True)])
def test_ends_sentence_full_stops_in_every_script(punctuation: str, ends: bool) -> None:
    assert ends_sentence(punctuation) is ends


@pytest.mark.parametrize("punctuation", [",", ";", "\u3001", "\u00bf"])
def test_ends_sentence_clause_marks_do_not(punctuation: str) -> None:
    assert not ends_sentence(punctuation)


def test_document_items_no_speech_gives_no_items() -> None:
    assert document_items({"results": {"transcripts": [{"transcript": ""}]}}) == []


@pytest.mark.parametrize("document", [{}, {"results": "x"}, {"results": {"items": "x"}}, []])
def test_document_items_not_a_transcribe_document_raises(document: Any) -> None:
    with pytest.raises(TranscriptReadError):
        document_items(document)


# Where a sentence ends, in the transcript's language


@pytest.mark.parametrize(
    ("language", "words", "ends"),
    [
        ("en-US", ["And", "Mr.", "John", "Dashwood", "smiled.", "He", "left."], [4, 6]),
        ("en-GB", ["I", "saw", "Dr.", "Smith,", "e.g.", "today.", "Yes."], [5, 6]),
        ("es-ES", ["El", "Sr.", "García", "llegó.", "Luego", "se", "fue."], [3, 6]),
        ("de-DE", ["Herr", "Dr.", "Müller", "kam.", "Dann", "ging", "er."], [3, 6]),
        ("ja-JP", ["今日", "は", "雨。", "明日", "は", "晴れ。"], [2, 5]),
    ],
    ids=["en-title", "en-latin", "es-title", "de-title", "ja"],
)
def test_sentence_ends_abbreviation_in_the_language_ends_no_sentence(
    language: str, words: list[str], ends: list[int]
) -> None:
    found = sentence_ends(words, language)
    assert [i for i, end in enumerate(found) if end] == ends


def test_sentence_ends_full_stop_left_inside_a_word_ends_its_sentence() -> None:
    # Transcribe sometimes leaves the full-width stop in a Chinese word ("鸡。")
    assert sentence_ends(["猪", "鸡。", "蛇"], "zh-CN") == [False, True, False]


@pytest.mark.parametrize(
    ("language", "before", "after", "gap"),
    [
        ("en-US", "hello", "world", " "),
        ("ja-JP", "今日", "は", ""),
        ("zh-CN", "天气", "很好", ""),
        ("th-TH", "สวัสดี", "ครับ", ""),
        ("ja-JP", "AWS", "Lambda", " "),
        ("ja-JP", "AWS", "の", ""),
        ("ko-KR", "안녕하세요", "여러분", " "),
        ("", "hello", "world", " "),
    ],
)
def test_word_gap_unspaced_languages_join_words_without_a_space(
    language: str, before: str, after: str, gap: str
) -> None:
    assert word_gap(before, after, language) == gap
