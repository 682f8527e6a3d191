"""The library's index and search, through the Data API, on a real PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import botocore.session
import pytest
from botocore.model import StringShape
from botocore.stub import Stubber

from reelscribe.library.local import open_library
from reelscribe.template import Template
from video_pipeline.errors import DatabaseResumingError, SearchQueryError
from video_pipeline.person_names import person_id
from video_pipeline.search_index import (
    Cluster,
    Library,
    index_upload,
    indexed_uploads,
    make_query,
    remove_person_moments,
    remove_upload,
    search,
)
from video_pipeline.search_rows import Moment, UploadRecord, text_search_config, upload_moments

ROOT = Path(__file__).resolve().parents[2]


def _record(
    video_id: str, user: str = "alice", language: str = "en-US", **extra: Any
) -> UploadRecord:
    return UploadRecord(
        videoId=video_id,
        userId=user,
        fileName=f"{video_id}.mp4",
        languageCode=language,
        uploadedAt="2026-06-01T12:00:00Z",
        durationSeconds=60.0,
        **extra,
    )


def _said(text: str, start: float, language: str = "en-US") -> Moment:
    return Moment(
        kind="transcript",
        text=text,
        start=start,
        end=start + 2,
        config=text_search_config(language),
    )


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with open_library(tmp_path, Template.load(ROOT / "template.yaml")) as opened:
        yield opened


def _count(library: Library, table: str) -> int:
    sql = f"SELECT count(*) AS n FROM {table}"  # noqa: S608 - the tests' own table names
    answer = library.execute(sql, as_json=True)
    return int(answer["formattedRecords"].split(":")[1].strip(" }]"))


def test_index_upload_twice_replaces_never_doubles(library: Library) -> None:
    # Given an upload indexed, then indexed again (a redrive, a duplicate event)
    moments = [_said("The ferries leave at midnight.", 3.0), _said("Bring a coat.", 9.0)]
    index_upload(library, _record("v1"), moments)
    index_upload(library, _record("v1"), moments)
    # Then it has its two moments once
    assert _count(library, "library_moments") == 2
    found = search(library, make_query(q="ferries"))
    assert found["total"] == 1
    (hit,) = found["hits"]
    assert [m["start"] for m in hit["moments"]] == [3.0]
    assert hit["moments"][0]["highlight"] == "The <b>ferries</b> leave at midnight."


def test_remove_upload_leaves_no_rows(library: Library) -> None:
    index_upload(library, _record("v1"), [_said("The ferries leave at midnight.", 3.0)])
    remove_upload(library, "v1")
    assert indexed_uploads(library) == []
    assert _count(library, "library_moments") == 0
    assert search(library, make_query(q="ferries"))["total"] == 0


def test_search_person_kind_finds_them_until_they_are_removed(library: Library) -> None:
    # Given a video whose view names Eileen Collins from 12.5 s to 18 s, with a sentence said
    record = _record("v1")
    view = {"people": [{"name": "Eileen Collins", "similarity": 99.2, "start": 12.5, "end": 18.0}]}
    index_upload(
        library,
        record,
        [_said("Eileen flew the shuttle.", 3.0), *upload_moments(record, None, None, view)],
    )
    # When the library is searched for her among people
    found = search(library, make_query(q="Eileen", kinds=["person"]))
    # Then it finds the video, at her appearance only
    (hit,) = found["hits"]
    assert [(m["kind"], m["start"], m["end"]) for m in hit["moments"]] == [("person", 12.5, 18.0)]
    assert hit["moments"][0]["highlight"] == "<b>Eileen</b> Collins"
    # When she is removed
    assert remove_person_moments(library, person_id("eileen  COLLINS")) == 1
    # Then no person moment is left, and the video's other moments stay
    assert search(library, make_query(q="Eileen", kinds=["person"]))["total"] == 0
    after = search(library, make_query(q="Eileen"))
    assert [m["kind"] for m in after["hits"][0]["moments"]] == ["transcript"]
    assert indexed_uploads(library) == ["v1"]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE library_moments; --",
        "ferries') OR 1=1 --",
        '"unbalanced quote',
        "ferries & | ! ( :* <->",
        "\\x00 %s %(q)s :q $1",
        "ferries " * 1280,  # 10 KB
    ],
)
def test_search_hostile_or_odd_query_is_only_words(library: Library, query: str) -> None:
    # Given one upload that says "ferries"
    index_upload(library, _record("v1"), [_said("The ferries leave at midnight.", 3.0)])
    # When the query is an injection attempt, unbalanced, full of tsquery operators or 10 KB
    found = search(library, make_query(q=query))
    # Then it is answered as words (matching "ferries" at most), and the tables are intact
    assert found["total"] in (0, 1)
    assert found["query"] == query
    assert _count(library, "library_moments") == 1


def test_search_user_filter_with_injection_matches_nothing(library: Library) -> None:
    index_upload(library, _record("v1"), [_said("The ferries leave at midnight.", 3.0)])
    found = search(library, make_query(q="ferries", user="alice' OR '1'='1"))
    assert found["total"] == 0
    assert search(library, make_query(q="ferries", user="alice"))["total"] == 1


def test_search_empty_query_is_refused_with_a_reason() -> None:
    with pytest.raises(SearchQueryError, match="empty"):
        make_query(q="")


def _transcribe_languages() -> list[str]:
    model = botocore.session.get_session().get_service_model("transcribe")
    return sorted(cast(StringShape, model.shape_for("LanguageCode")).enum)


def test_search_every_transcribe_language_finds_its_own_words(library: Library) -> None:
    # Given one upload in each language Transcribe offers, saying a word of its own
    languages = _transcribe_languages()
    for number, code in enumerate(languages):
        word = f"zanzibar{number}x"
        index_upload(
            library, _record(f"v-{code}", language=code), [_said(f"{word} ferries", 1.0, code)]
        )
    # Then each is found by its word, in its language
    for number, code in enumerate(languages):
        found = search(library, make_query(q=f"zanzibar{number}x"))
        assert [hit["language"] for hit in found["hits"]] == [code], code


def test_search_stems_in_the_upload_language(library: Library) -> None:
    index_upload(library, _record("en"), [_said("The ferries leave at midnight.", 3.0)])
    index_upload(
        library,
        _record("es", language="es-US"),
        [_said("Los barcos salen a medianoche.", 5.0, "es-US")],
    )
    assert [h["videoId"] for h in search(library, make_query(q="ferry"))["hits"]] == ["en"]
    assert [h["videoId"] for h in search(library, make_query(q="barco"))["hits"]] == ["es"]


def test_search_filters_facets_and_pages(library: Library) -> None:
    # Given three uploads by two users, with spoken words and a label
    for number, user in enumerate(("alice", "alice", "bob")):
        moments = [
            _said(f"The harbour at dawn, take {number}.", 1.0 + number),
            Moment(
                kind="label", text="Harbour", start=4.0, end=5.0, confidence=91.0, config="english"
            ),
        ]
        index_upload(library, _record(f"v{number}", user=user), moments)
    # Then the facets count every match, and a filter narrows it
    found = search(library, make_query(q="harbour"))
    assert found["total"] == 3
    assert found["facets"]["kind"] == {"transcript": 3, "label": 3}
    assert found["facets"]["user"] == {"alice": 2, "bob": 1}
    assert found["facets"]["mediaKind"] == {"video": 3}
    only_bob = search(library, make_query(q="harbour", user="bob", kinds=["label"]))
    assert [(h["user"], [m["kind"] for m in h["moments"]]) for h in only_bob["hits"]] == [
        ("bob", ["label"])
    ]
    assert search(library, make_query(q="harbour", end="2026-01-01T00:00:00Z"))["total"] == 0
    # And pages of two follow each other through the cursor, none seen twice
    first = search(library, make_query(q="harbour", limit=2))
    second = search(library, make_query(q="harbour", limit=2, cursor=first["cursor"]))
    seen = [h["videoId"] for h in first["hits"] + second["hits"]]
    assert sorted(seen) == ["v0", "v1", "v2"]
    assert second["cursor"] is None


def test_search_picture_moment_links_the_report_without_a_time(library: Library) -> None:
    index_upload(
        library,
        _record("img", mediaKind="image"),
        [Moment(kind="label", text="Lighthouse", confidence=97.0, config="english")],
    )
    found = search(library, make_query(q="lighthouse"), {"img": "Photo/report.html"}.get)
    (moment,) = found["hits"][0]["moments"]
    assert (moment["start"], moment["link"]) == (None, "Photo/report.html")


_WRITER = """
import sys
from pathlib import Path
from reelscribe.library.local import open_library
from reelscribe.template import Template
from video_pipeline.search_index import index_upload
from video_pipeline.search_rows import Moment, UploadRecord
out, name = Path(sys.argv[1]), sys.argv[2]
with open_library(out, Template.load(Path(sys.argv[3]))) as library:
    for number in range(15):
        for video_id in (f"{name}-{number}", "shared"):
            record = UploadRecord(videoId=video_id, userId=name, fileName="f.mp4")
            moments = [Moment(kind="transcript", text=f"harbour {i}", start=i) for i in range(20)]
            index_upload(library, record, moments)
"""


def test_two_processes_writing_one_library_lose_and_double_nothing(tmp_path: Path) -> None:
    # Given two processes indexing into the same folder at once, both rewriting one upload
    env_path = ":".join(str(ROOT / p) for p in ("src", "functions/shared", "."))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), name, str(ROOT / "template.yaml")],
            env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
            stderr=subprocess.PIPE,
        )
        for name in ("first", "second")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors.decode()
    # Then every upload is there once, with its twenty moments
    with open_library(tmp_path, Template.load(ROOT / "template.yaml")) as library:
        assert len(indexed_uploads(library)) == 31
        assert _count(library, "library_moments") == 31 * 20


def test_library_database_resuming_is_the_retried_error() -> None:
    # Given Aurora paused: the Data API answers DatabaseResumingException
    client = botocore.session.get_session().create_client(
        "rds-data",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - never sent: the stubber answers
    )
    library = Library(
        client,
        Cluster("arn:aws:rds:us-east-1:1:cluster:c", "arn:aws:secretsmanager:us-east-1:1:secret:s"),
    )
    with Stubber(client) as stub:
        stub.add_client_error(
            "execute_statement",
            service_error_code="DatabaseResumingException",
            service_message="The Aurora DB instance db-1 is resuming after being auto-paused.",
        )
        # Then the function raises the error the state machine retries
        with pytest.raises(DatabaseResumingError, match="resuming after being auto-paused"):
            library.execute("SELECT 1")
