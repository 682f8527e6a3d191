"""The Amazon Transcribe document built from hand-made recognitions."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reelscribe.speech.transcribe_document import (
    code_to_whisper_language,
    transcribe_document,
    whisper_language_to_code,
)
from reelscribe.speech.whisper import Recognition, Segment, Word


def _recognition(*segments: tuple[tuple[str, float, float], ...]) -> Recognition:
    built = []
    for words in segments:
        parts = tuple(Word(text, start, end, 0.9) for text, start, end in words)
        text = "".join(word.text for word in parts)
        built.append(Segment(text, parts[0].start, parts[-1].end, parts))
    return Recognition("en", 0.97, 30.0, tuple(built))


def _document(recognition: Recognition, *, identified: bool = False) -> dict[str, Any]:
    return transcribe_document(
        recognition,
        job_name="reelscribe-job-1",
        account_id="123456789012",
        language_code="en-US",
        identified=identified,
    )


def _contents(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (item["type"], item["alternatives"][0]["content"]) for item in document["results"]["items"]
    ]


def _transcript(document: dict[str, Any]) -> str:
    text: str = document["results"]["transcripts"][0]["transcript"]
    return text


HELLO = _recognition(
    ((" Hello,", 0.5, 0.89), (" world.", 1.0, 1.4)),
    ((" I", 2.0, 2.1), (" don't", 2.1, 2.4), (" know!", 2.4, 2.9)),
)


def test_document_top_level_is_a_completed_transcribe_job() -> None:
    # Given a recognised clip / When the document is built
    document = _document(HELLO)

    # Then it has the service's envelope
    assert document["jobName"] == "reelscribe-job-1"
    assert document["accountId"] == "123456789012"
    assert document["status"] == "COMPLETED"


def test_document_job_given_its_language_names_no_language_as_the_service_writes() -> None:
    # Given a job started with a LanguageCode / When its document is built
    results = _document(HELLO)["results"]

    # Then, as in Transcribe's own output for such a job, the language is not in the document
    # (GetTranscriptionJob's LanguageCode says it): results has transcripts and items only
    assert "language_code" not in results
    assert "language_identification" not in results
    assert list(results)[:2] == ["transcripts", "items"]


def test_document_identifying_job_names_its_language_before_the_transcripts() -> None:
    # Given a job that identified its language (IdentifyLanguage, with or without options)
    results = _document(HELLO, identified=True)["results"]

    # Then the documented shape: language_code, transcripts, language_identification, items
    assert results["language_code"] == "en-US"
    assert list(results)[:4] == ["language_code", "transcripts", "language_identification", "items"]


def _japanese(*words: tuple[str, float, float]) -> Recognition:
    parts = tuple(Word(text, start, end, 0.9) for text, start, end in words)
    segment = Segment("".join(w.text for w in parts), parts[0].start, parts[-1].end, parts)
    return Recognition("ja", 0.97, 30.0, (segment,))


def test_document_japanese_tokens_join_without_spaces_in_the_transcript() -> None:
    # Given whisper's Japanese tokens, split as it splits unspaced scripts
    recognition = _japanese(
        ("今日", 0.0, 0.3), ("は", 0.3, 0.4), ("天", 0.4, 0.5), ("気", 0.5, 0.6),
        ("が", 0.6, 0.7), ("と", 0.7, 0.8), ("て", 0.8, 0.9), ("も", 0.9, 1.0),
        ("良い。", 1.0, 1.3), ("AWS", 1.4, 1.8), ("Lambda", 1.8, 2.2), ("です", 2.2, 2.5),
    )  # fmt: skip

    # When the document of a ja-JP job is built
    document = transcribe_document(
        recognition, job_name="j", account_id="1", language_code="ja-JP", identified=False
    )

    # Then the transcript reads as Japanese is written, and the full stop is punctuation
    assert _transcript(document) == "今日は天気がとても良い。AWS Lambdaです"
    assert ("punctuation", "\u3002") in _contents(document)
    assert document["results"]["audio_segments"][0]["transcript"] == _transcript(document)


def test_document_words_with_punctuation_split_into_pronunciation_and_punctuation_items() -> None:
    document = _document(HELLO)

    assert _contents(document) == [
        ("pronunciation", "Hello"),
        ("punctuation", ","),
        ("pronunciation", "world"),
        ("punctuation", "."),
        ("pronunciation", "I"),
        ("pronunciation", "don't"),
        ("pronunciation", "know"),
        ("punctuation", "!"),
    ]
    assert [item["id"] for item in document["results"]["items"]] == list(range(8))


def test_document_transcript_attaches_punctuation_to_the_preceding_word() -> None:
    assert _transcript(_document(HELLO)) == "Hello, world. I don't know!"


def test_document_numbers_are_strings_with_at_most_three_decimals() -> None:
    # Given a word whose times carry float noise
    recognition = _recognition(((" Hello,", 0.5, 0.8900000001), (" there", 1.23456, 2.0)))

    # When
    items = _document(recognition, identified=True)["results"]["items"]

    # Then every number is a string, trimmed like the service writes them
    hello, comma, there = items
    assert (hello["start_time"], hello["end_time"]) == ("0.5", "0.89")
    assert hello["alternatives"][0]["confidence"] == "0.9"
    assert comma == {
        "id": 1,
        "type": "punctuation",
        "alternatives": [{"content": ",", "confidence": "0.0"}],
    }
    assert (there["start_time"], there["end_time"]) == ("1.235", "2.0")
    assert all(isinstance(value, str) for value in _scalars(items) if not isinstance(value, int))


def test_document_hyphenated_words_and_decimals_stay_single_items() -> None:
    recognition = _recognition(
        ((" A", 0.0, 0.2), (" well-known", 0.2, 0.8), (" 3.5", 0.8, 1.2), (" percent.", 1.2, 1.6)),
    )

    assert _contents(_document(recognition)) == [
        ("pronunciation", "A"),
        ("pronunciation", "well-known"),
        ("pronunciation", "3.5"),
        ("pronunciation", "percent"),
        ("punctuation", "."),
    ]


def test_document_leading_quote_becomes_punctuation_that_opens_the_next_word() -> None:
    recognition = _recognition(
        ((" He", 0.0, 0.3), (" said", 0.3, 0.6), (' "hello,"', 0.6, 1.0), (" twice.", 1.0, 1.5)),
    )
    document = _document(recognition)

    assert _contents(document)[2:6] == [
        ("punctuation", '"'),
        ("pronunciation", "hello"),
        ("punctuation", ","),
        ("punctuation", '"'),
    ]
    assert _transcript(document) == 'He said "hello," twice.'


def test_document_initialism_keeps_its_final_dot() -> None:
    recognition = _recognition(((" The", 0.0, 0.2), (" U.S.", 0.2, 0.9)))

    assert _contents(_document(recognition))[-1] == ("pronunciation", "U.S.")


def test_document_segments_reference_their_item_ids_and_span_their_words() -> None:
    segments = _document(HELLO)["results"]["audio_segments"]

    assert segments == [
        {
            "id": 0,
            "transcript": "Hello, world.",
            "start_time": "0.5",
            "end_time": "1.4",
            "items": [0, 1, 2, 3],
        },
        {
            "id": 1,
            "transcript": "I don't know!",
            "start_time": "2.0",
            "end_time": "2.9",
            "items": [4, 5, 6, 7],
        },
    ]


def test_document_empty_recognition_is_a_valid_empty_transcript() -> None:
    # Given silence: nothing recognised
    silence = Recognition("en", 1.0, 12.0, ())

    # When
    results = _document(silence)["results"]

    # Then the document is complete but empty, as the service writes it for silence
    assert results["transcripts"] == [{"transcript": ""}]
    assert results["items"] == []
    assert results["audio_segments"] == []


def test_document_segment_without_speech_is_left_out() -> None:
    recognition = Recognition(
        "en",
        1.0,
        5.0,
        (
            Segment(" ...", 0.0, 1.0, (Word(" ...", 0.0, 1.0, 0.2),)),
            Segment(" Yes.", 1.0, 2.0, (Word(" Yes.", 1.2, 1.6, 0.9),)),
        ),
    )
    results = _document(recognition)["results"]

    assert [segment["transcript"] for segment in results["audio_segments"]] == ["Yes."]
    assert results["audio_segments"][0]["id"] == 0
    assert results["audio_segments"][0]["items"] == [0, 1]


def test_document_segment_without_word_times_shares_its_time_among_its_words() -> None:
    recognition = Recognition("en", 1.0, 5.0, (Segment(" Good morning.", 1.0, 2.0, ()),))

    items = _document(recognition)["results"]["items"]

    assert [(item.get("start_time"), item.get("end_time")) for item in items] == [
        ("1.0", "1.5"),
        ("1.5", "2.0"),
        (None, None),
    ]


def test_document_identified_language_adds_identification_block() -> None:
    results = _document(HELLO, identified=True)["results"]

    assert results["language_identification"] == [{"code": "en-US", "score": "0.97"}]


def test_document_json_round_trip_is_unchanged() -> None:
    document = _document(HELLO, identified=True)

    assert json.loads(json.dumps(document)) == document


_times = st.floats(min_value=0.0, max_value=40.0, allow_nan=False)


@given(st.lists(st.tuples(_times, _times), min_size=1, max_size=30))
def test_document_any_word_times_give_ordered_times_within_the_audio(
    spans: list[tuple[float, float]],
) -> None:
    # Given whisper times that overlap, run backwards or pass the end of the audio
    words = tuple(Word(f" w{i}", start, end, 0.5) for i, (start, end) in enumerate(spans))
    recognition = Recognition("en", 1.0, 30.0, (Segment("", 0.0, 30.0, words),))

    # When
    items = _document(recognition)["results"]["items"]

    # Then every item starts after the previous one ended, and ends inside the audio
    times = [(float(item["start_time"]), float(item["end_time"])) for item in items]
    assert len(times) == len(words)
    previous_end = 0.0
    for start, end in times:
        assert previous_end <= start <= end <= 30.0
        previous_end = end


def test_language_whisper_codes_map_to_transcribe_codes() -> None:
    assert whisper_language_to_code("en") == "en-US"
    assert whisper_language_to_code("de") == "de-DE"
    assert whisper_language_to_code("fr") == "fr-FR"
    assert whisper_language_to_code("es") == "es-US"
    assert whisper_language_to_code("EN") == "en-US"


def test_language_unlisted_whisper_code_gets_conventional_form() -> None:
    assert whisper_language_to_code("xx") == "xx-XX"


def test_language_transcribe_codes_map_back_to_whisper_languages() -> None:
    assert code_to_whisper_language("en-US") == "en"
    assert code_to_whisper_language("zh-TW") == "zh"
    assert code_to_whisper_language("de") == "de"


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [scalar for child in value.values() for scalar in _scalars(child)]
    if isinstance(value, list):
        return [scalar for child in value for scalar in _scalars(child)]
    return [value]
