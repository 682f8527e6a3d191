"""The result model: the status vocabulary, folder names, a folder's files read back, and the
one writer filling a folder from a source (here an in-memory one)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from reelscribe.results import (
    BatchEntry,
    Message,
    Status,
    VideoFolder,
    most_telling,
    read_runs,
    write_runs,
    write_video_folder,
)
from reelscribe.results.definition import load_definition, tables_in
from reelscribe.results.objects import ClientObjects
from reelscribe.results.writer import claim_folder, folder_name

ARN = "arn:aws:states:us-east-1:123456789012:execution:reelscribe-pipeline:trip-1"
START = datetime(2026, 11, 22, 10, 15, 31, tzinfo=UTC)
VIDEO = {
    "userId": "alice",
    "videoId": "1a2b3c4d5e6f7a8b",
    "bucket": "uploads",
    "key": "alice/My Trip to München.mp4",
    "size": 1234,
    "fileName": "My Trip to München.mp4",
    "baseName": "My Trip to München",
    "sourceUri": "s3://uploads/alice/My Trip to München.mp4",
    "uploadedAt": "2026-11-22T10:15:30Z",
}
SLUG = "My-Trip-to-Munchen"
FOLDER = "My Trip to München"
METADATA = {
    "JsonFile": "output/transcribe/alice/1a2b3c4d5e6f7a8b/My-Trip-to-Munchen.json",
    "videoId": VIDEO["videoId"],
    "transcript": "word " * 40,
    "Sentiment": "POSITIVE",
    "KeyPhrases": ["short demo", "video pipeline"],
}


def _events(*, status: str = "Succeeded", video: dict[str, Any] = VIDEO) -> list[dict[str, Any]]:
    """Parse Upload decodes the video, then the execution ends."""
    kinds = [
        ("ExecutionStarted", {"executionStartedEventDetails": {"input": "{}"}}),
        (
            "TaskStateEntered",
            {"stateEnteredEventDetails": {"name": "Parse Upload", "input": "{}"}},
        ),
        (
            "TaskStateExited",
            {
                "stateExitedEventDetails": {
                    "name": "Parse Upload",
                    "output": json.dumps({"video": video}),
                }
            },
        ),
        (f"Execution{status}", {}),
    ]
    return [
        {
            "id": number,
            "previousEventId": number - 1,
            "timestamp": START + timedelta(seconds=number),
            "type": kind,
            **details,
        }
        for number, (kind, details) in enumerate(kinds, start=1)
    ]


class _Pages:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages

    def paginate(self, **_: Any) -> list[dict[str, Any]]:
        return self.pages


class FakeS3:
    """The three S3 calls the writer makes, over a dict of keys."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects
        self.prefix = ""

    def get_paginator(self, name: str) -> Any:
        outer = self

        class Listing:
            def paginate(
                self,
                Bucket: str,  # noqa: N803 - boto3's names
                Prefix: str,  # noqa: N803
                Delimiter: str = "",  # noqa: N803
            ) -> list[dict[str, Any]]:
                keys = [k for k in sorted(outer.objects) if k.startswith(Prefix)]
                if Delimiter:
                    kinds = sorted({"/".join(k.split("/")[:2]) + "/" for k in keys})
                    return [{"CommonPrefixes": [{"Prefix": kind} for kind in kinds]}]
                return [{"Contents": [{"Key": k} for k in keys]}]

        return Listing()

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803
        return {"Body": io.BytesIO(self.objects[Key])}


class FakeSource:
    """An execution whose outputs, records and one email are held in memory."""

    def __init__(self, events: list[dict[str, Any]], status: str = "SUCCEEDED") -> None:
        self.execution_arn = ARN
        self.events = events
        self.status = status
        prefix = f"output/web/alice/{VIDEO['videoId']}/"
        self.objects = ClientObjects(
            FakeS3(
                {
                    f"{prefix}{SLUG}.mp4": b"video",
                    f"output/analysis/alice/{VIDEO['videoId']}/parts/{SLUG}.sentiment.json": b"{}",
                    f"output/web/bob/{VIDEO['videoId']}/other.mp4": b"someone else's",
                }
            )
        )
        serializer = TypeSerializer()
        items = {
            "videos-table": [{"videoId": VIDEO["videoId"], "status": "COMPLETED"}],
            "metadata-table": [METADATA],
        }
        self.dynamodb = _Scans(
            {
                table: [{k: serializer.serialize(v) for k, v in item.items()} for item in found]
                for table, found in items.items()
            }
        )

    def execution(self) -> dict[str, Any]:
        return {
            "executionArn": ARN,
            "name": "trip-1",
            "status": self.status,
            "startDate": START,
            "stopDate": START + timedelta(seconds=30),
            "ResponseMetadata": {"HTTPStatusCode": 200},
        }

    def history(self) -> list[dict[str, Any]]:
        return self.events

    def definition(self) -> dict[str, Any] | None:
        return {"StartAt": "Parse Upload", "States": {}}

    def output_bucket(self, events: list[dict[str, Any]]) -> str | None:
        return "outputs"

    def tables(self, events: list[dict[str, Any]]) -> dict[str, str]:
        return {"VideosTable": "videos-table", "MetadataTable": "metadata-table"}

    def messages(self, video_id: str, events: list[dict[str, Any]]) -> list[Message]:
        params = {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:done",
            "Subject": "reelscribe: My Trip to München.mp4 is ready",
            "Message": "Done.",
            "MessageAttributes": {"status": {"DataType": "String", "StringValue": "COMPLETED"}},
        }
        return [Message.from_publish(params, recipient="you")]


class _Scans:
    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = tables

    def get_paginator(self, name: str) -> Any:
        outer = self

        class Scan:
            def paginate(self, TableName: str, **_: Any) -> list[dict[str, Any]]:  # noqa: N803
                return [{"Items": outer.tables.get(TableName, [])}]

        return Scan()


# ------------------------------------------------------------------ the status vocabulary


def test_status_most_telling_failure_outranks_caught_running_and_success() -> None:
    runs = [Status.SUCCEEDED, Status.CAUGHT, Status.RUNNING, Status.FAILED]
    assert most_telling(runs) == Status.FAILED
    assert most_telling([Status.SUCCEEDED, Status.CAUGHT, Status.RUNNING]) == Status.CAUGHT
    assert most_telling([]) is None


def test_status_words_and_css_come_from_the_one_name() -> None:
    assert Status.TIMED_OUT.label == "Timed Out"
    assert Status.TIMED_OUT.css == "timed-out"
    assert [s for s in Status if s.ended_badly] == [Status.TIMED_OUT, Status.ABORTED, Status.FAILED]
    assert Status.parse("PENDING_REDRIVE") is None


# ------------------------------------------------------------------ folder names


def test_claim_folder_free_name_is_the_file_name_without_its_extension(tmp_path: Path) -> None:
    assert claim_folder(tmp_path, VIDEO, "fallback", ARN, set()) == tmp_path / FOLDER


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("日本語のビデオ", "日本語のビデオ"),
        ("Café – résumé ñ 日本", "Café – résumé ñ 日本"),
        ("a/b\x00c\nd", "a-b-c-d"),
        ("..", "video"),
        (".", "video"),
        ("  ", "video"),
    ],
)
def test_folder_name_keeps_the_users_name_where_the_file_system_allows(
    base: str, expected: str
) -> None:
    assert folder_name(base) == expected


def test_folder_name_long_name_is_cut_at_a_character_within_the_byte_bound() -> None:
    name = folder_name("日本" * 200)

    assert len(name.encode()) <= 200
    assert name == "日本" * (len(name) // 2)


def test_claim_folder_non_ascii_name_is_a_folder_of_that_name(tmp_path: Path) -> None:
    video = {**VIDEO, "fileName": "日本語のビデオ.mp4", "baseName": "日本語のビデオ"}

    folder = claim_folder(tmp_path, video, "fallback", ARN, set())
    folder.mkdir()

    assert folder.name == "日本語のビデオ"


def test_claim_folder_taken_name_gets_the_video_id_then_a_number(tmp_path: Path) -> None:
    # Given a folder of that name from an earlier run, and one handed out in this run
    (tmp_path / FOLDER).mkdir()
    taken = {FOLDER, f"{FOLDER}-1a2b3c"}
    # When the name is claimed twice more
    first = claim_folder(tmp_path, VIDEO, "fallback", ARN, taken)
    second = claim_folder(tmp_path, VIDEO, "fallback", "another-arn", taken)
    # Then the next names are numbered
    assert (first.name, second.name) == (f"{FOLDER}-2", f"{FOLDER}-3")


def test_claim_folder_same_execution_reuses_its_folder(tmp_path: Path) -> None:
    (tmp_path / FOLDER / "execution").mkdir(parents=True)
    (tmp_path / FOLDER / "execution" / "execution.json").write_text(
        json.dumps({"executionArn": ARN})
    )
    assert claim_folder(tmp_path, VIDEO, "fallback", ARN, set()) == tmp_path / FOLDER


def test_claim_folder_without_a_video_uses_the_fallback(tmp_path: Path) -> None:
    assert claim_folder(tmp_path, {}, "notes", ARN, set()).name == "notes"


# ------------------------------------------------------------------ a folder read back


def test_batch_entry_success_failure_reads_as_none_and_writes_as_empty() -> None:
    entry = BatchEntry.model_validate({"status": "SUCCEEDED", "failure": {}, "folder": "out/a"})
    assert entry.failure is None
    assert entry.model_dump()["failure"] == {}


def test_video_folder_unreadable_files_give_an_empty_model(tmp_path: Path) -> None:
    (tmp_path / "execution").mkdir()
    (tmp_path / "execution" / "execution.json").write_text("{not json")
    (tmp_path / "execution" / "states.json").write_text('[{"name": "no entered time"}]')
    folder = VideoFolder.load(tmp_path)
    assert (folder.states, folder.video, folder.metadata, folder.failure()) == ([], {}, None, None)


# ------------------------------------------------------------------ the writer


def test_write_video_folder_fills_the_readme_layout(tmp_path: Path) -> None:
    # When a succeeded execution's folder is written
    result = write_video_folder(FakeSource(_events()), tmp_path, set(), label="in/trip.mp4")
    folder = tmp_path / FOLDER
    # Then it holds the video's outputs, not another user's, by kind
    assert result.folder == folder
    assert (folder / "output" / "web" / f"{SLUG}.mp4").read_bytes() == b"video"
    assert (folder / "output" / "analysis" / "parts" / f"{SLUG}.sentiment.json").is_file()
    assert not (folder / "output" / "web" / "other.mp4").exists()
    # And the records under the tables' logical IDs, the email, and the execution's files
    assert sorted(p.name for p in (folder / "records").iterdir()) == [
        "MetadataTable.json",
        "VideosTable.json",
    ]
    (email,) = (folder / "notifications").iterdir()
    assert email.name == "01-completed.eml"
    message = BytesParser(policy=policy.default).parsebytes(email.read_bytes())
    assert message["X-Attribute-status"] == "COMPLETED"
    for name in ("history", "states", "execution", "definition"):
        assert (folder / "execution" / f"{name}.json").is_file()
    assert "ResponseMetadata" not in json.loads((folder / "execution/execution.json").read_text())
    # And the result says how it went, with the metadata the summary prints
    assert (result.status, result.failure, result.seconds) == (Status.SUCCEEDED, None, 30.0)
    assert result.metadata is not None
    assert result.metadata.sentiment == "POSITIVE"
    assert result.metadata.key_phrases == ["short demo", "video pipeline"]
    assert result.metadata.transcript_preview == METADATA["transcript"][:150] + " ..."


def test_write_video_folder_read_back_gives_the_same_model(tmp_path: Path) -> None:
    result = write_video_folder(FakeSource(_events()), tmp_path, set(), label="in/trip.mp4")
    write_runs(tmp_path, [result])
    folder = VideoFolder.load(result.folder)
    assert folder.status == Status.SUCCEEDED
    assert folder.video["videoId"] == VIDEO["videoId"]
    assert folder.video_item.status == "COMPLETED"
    assert folder.metadata == result.metadata
    assert folder.source == "in/trip.mp4"
    assert [run.name for run in folder.states] == ["Parse Upload"]
    (entry,) = read_runs(tmp_path)
    assert entry.execution == ARN


def test_write_video_folder_failed_execution_names_the_failure(tmp_path: Path) -> None:
    # Given an execution that failed after decoding the video, whose record says why
    source = FakeSource(_events(status="Failed"), status="FAILED")
    failure = {"state": "Probe Media", "error": "E", "reason": "why", "cause": "why, in full"}
    source.dynamodb.tables["videos-table"][0]["failure"] = TypeSerializer().serialize(failure)
    # When its folder is written
    result = write_video_folder(source, tmp_path, set())
    # Then the failure is the record's
    assert result.failure is not None
    assert (result.failure.state, result.failure.reason) == ("Probe Media", "why")
    assert result.source == "trip-1"


def test_write_video_folder_video_decoded_by_an_older_version_finds_outputs_by_its_id(
    tmp_path: Path,
) -> None:
    older = {k: v for k, v in VIDEO.items() if k != "uploadedAt"}
    write_video_folder(FakeSource(_events(video=older)), tmp_path, set())
    assert (tmp_path / FOLDER / "output" / "web" / f"{SLUG}.mp4").read_bytes() == b"video"


# ------------------------------------------------------------------ tables by logical ID


def test_tables_in_deployed_definition_gives_each_logical_id_its_table() -> None:
    # Given the definition as deployed, with the table placeholders substituted
    text = json.dumps(load_definition())
    text = text.replace("${VideosTableName}", "stack-VideosTable-X1")
    text = text.replace("${MetadataTableName}", "reelscribe-metadata")
    # Then the logical IDs map to the names that stand in their place
    assert tables_in(json.loads(text)) == {
        "VideosTable": "stack-VideosTable-X1",
        "MetadataTable": "reelscribe-metadata",
    }


def test_tables_in_without_a_template_gives_none(tmp_path: Path) -> None:
    assert tables_in(load_definition(), tmp_path / "missing.yaml") == {}
