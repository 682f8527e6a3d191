"""What the library indexes, built from what the pipeline stores."""

from __future__ import annotations

import pytest

from tests.support.transcripts import Token, transcribe_items
from video_pipeline.errors import SearchQueryError
from video_pipeline.person_names import person_id
from video_pipeline.search_index import decode_cursor, encode_cursor, make_query
from video_pipeline.search_request import query_from_parameters
from video_pipeline.search_rows import (
    MOMENT_KINDS,
    UploadRecord,
    text_search_config,
    upload_moments,
)

RECORD = UploadRecord(videoId="v1", userId="alice", fileName="ferry.mp4", languageCode="en-US")


@pytest.mark.parametrize(
    ("code", "config"),
    [
        ("en-US", "english"),
        ("es-US", "spanish"),
        ("pt-BR", "portuguese"),
        ("de-CH", "german"),
        ("ja-JP", "simple"),
        ("zh-CN", "simple"),
        ("", "simple"),
    ],
)
def test_text_search_config_language_code_maps_to_postgres_config(code: str, config: str) -> None:
    assert text_search_config(code) == config


def test_upload_moments_transcript_sentences_keep_their_times() -> None:
    # Given a transcript of two sentences
    first = ["The", "night", "ferry", "leaves", "the", "northern", "harbour"]
    second = ["By", "morning", "the", "rain", "had", "stopped", "over", "the", "island"]
    tokens: list[Token] = [(w, 1.0 + 0.3 * i, 1.3 + 0.3 * i) for i, w in enumerate(first)]
    tokens += ["."]
    tokens += [(w, 6.0 + 0.3 * i, 6.3 + 0.3 * i) for i, w in enumerate(second)]
    tokens += ["."]
    items = transcribe_items(tokens)
    document = {"results": {"items": items}}
    # When its moments are built
    moments = upload_moments(RECORD, document, None, None)
    # Then each sentence is one moment, in English, with its start and end
    assert [(m.kind, m.start, m.end, m.config) for m in moments] == [
        ("transcript", 1.0, 3.1, "english"),
        ("transcript", 6.0, 8.7, "english"),
    ]
    assert moments[0].text == "The night ferry leaves the northern harbour."


def test_upload_moments_analysis_each_occurrence_is_a_moment() -> None:
    analysis = {
        "keyPhrases": {
            "phrases": [
                {"text": "northern harbour", "score": 0.9, "occurrences": [[3.0, 4.0], [9.5, 10.0]]}
            ]
        },
        "entities": {
            "entities": [
                {"text": "Oslo", "type": "LOCATION", "score": 0.99, "occurrences": [[5.0, 5.4]]}
            ]
        },
    }
    moments = upload_moments(RECORD, None, analysis, None)
    assert [(m.kind, m.text, m.start) for m in moments] == [
        ("keyPhrase", "northern harbour", 3.0),
        ("keyPhrase", "northern harbour", 9.5),
        ("entity", "Oslo", 5.0),
    ]


def test_upload_moments_picture_vision_items_have_no_times() -> None:
    # Given a picture's merged view: text, a face, a label, a moderation label
    box = {"Left": 0.1, "Top": 0.1, "Width": 0.2, "Height": 0.2}
    view = {
        "shots": [],
        "text": [{"text": "Quarterly results", "confidence": 99.0, "box": box}],
        "faces": [{"confidence": 98.0, "box": box}],
        "labels": [{"name": "Boat", "confidence": 91.0}],
        "celebrities": [],
        "moderation": [{"name": "Swimwear", "parentName": "Suggestive", "confidence": 85.0}],
    }
    moments = upload_moments(RECORD.model_copy(update={"mediaKind": "image"}), None, None, view)
    assert [(m.kind, m.text, m.start, m.end) for m in moments] == [
        ("text", "Quarterly results", None, None),
        ("face", "Face", None, None),
        ("label", "Boat", None, None),
        ("moderation", "Swimwear Suggestive", None, None),
    ]


def test_upload_moments_video_shots_are_numbered_from_one() -> None:
    view = {"shots": [{"index": 0, "start": 0.0, "end": 2.5}, {"index": 1, "start": 2.5, "end": 4}]}
    moments = upload_moments(RECORD, None, None, view)
    assert [(m.text, m.start, m.end) for m in moments] == [
        ("Shot 1", 0.0, 2.5),
        ("Shot 2", 2.5, 4.0),
    ]


def test_upload_moments_known_people_are_person_moments_with_their_id() -> None:
    # Given a video's view naming Eileen Collins twice and a picture's naming her once
    video = {
        "people": [
            {"name": "Eileen Collins", "similarity": 99.1, "start": 2.0, "end": 6.5},
            {"name": "Eileen Collins", "similarity": 97.4, "start": 20.0, "end": 21.0},
        ]
    }
    box = {"Left": 0.1, "Top": 0.1, "Width": 0.2, "Height": 0.2}
    picture = {"people": [{"name": "Eileen Collins", "similarity": 98.0, "box": box}]}
    # Then each appearance is a person moment at its times, confident as the match was,
    # kept under the id her faces are enrolled under
    shown = [
        (m.kind, m.text, m.start, m.end, m.confidence, m.person)
        for m in upload_moments(RECORD, None, None, video)
        + upload_moments(RECORD.model_copy(update={"mediaKind": "image"}), None, None, picture)
    ]
    pid = person_id("Eileen Collins")
    assert shown == [
        ("person", "Eileen Collins", 2.0, 6.5, 99.1, pid),
        ("person", "Eileen Collins", 20.0, 21.0, 97.4, pid),
        ("person", "Eileen Collins", None, None, 98.0, pid),
    ]
    assert "person" in MOMENT_KINDS
    assert make_query(q="Eileen", kinds=["person"]).kinds == ["person"]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({}, "q: give the words"),
        ({"q": "   "}, "the query is empty"),
        ({"q": "x" * 10_241}, "at most 10240"),
        ({"q": "ferry", "kind": "transcript,nope"}, "unknown kind 'nope'"),
        ({"q": "ferry", "limit": "ten"}, "limit: 'ten' is not a whole number"),
        ({"q": "ferry", "limit": "0"}, "limit"),
        ({"q": "ferry", "limit": "101"}, "limit"),
        ({"q": "ferry", "from": "yesterday"}, "start"),
        ({"q": "ferry", "cursor": "not-a-cursor"}, "not a cursor this search gave"),
        ({"q": "a\x00b"}, "NUL"),
    ],
)
def test_query_from_parameters_bad_parameter_says_which(
    parameters: dict[str, str], message: str
) -> None:
    with pytest.raises(SearchQueryError, match=message):
        query_from_parameters(parameters)


def test_query_from_parameters_full_query_is_read() -> None:
    query = query_from_parameters(
        {
            "q": '"northern harbour" -rain',
            "kind": "transcript,label",
            "user": "alice",
            "from": "2026-01-01",
            "to": "2026-12-31T23:59:59Z",
            "limit": "5",
            "cursor": encode_cursor(10),
        }
    )
    assert query.kinds == ["label", "transcript"]
    assert (query.user, query.limit, query.offset) == ("alice", 5, 10)
    assert query.start is not None
    assert query.start.year == 2026
    assert set(query.kinds) <= set(MOMENT_KINDS)


def test_cursor_round_trip_gives_the_offset() -> None:
    assert decode_cursor(encode_cursor(40)) == 40
    with pytest.raises(SearchQueryError):
        make_query(q="ferry", cursor="b246")
