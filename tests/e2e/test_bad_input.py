"""Bad and awkward input, end to end: what a user gets back when the upload is not what the
pipeline hoped for. Every input is a real file made here, run through `reelscribe run`.

Two batch runs share the start-up cost: one of uploads that must fail (exit code 1), one of
uploads that must succeed (exit code 0). Each test then looks at its own video's folder.
The oversized transcript runs the real ASL with the media services scripted (MediaMockedPath)
and only the transcript document real, because speaking 80,000 words would take an hour.
"""

from __future__ import annotations

import email
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any, cast

import av
import pytest

from reelscribe.cli import main
from reelscribe.runtime.local import LocalRuntime
from tests.statemachine.conftest import MOCK_CONFIG, ROOT, Pipeline
from tests.support.bad_media import make_empty_file, make_text_file, make_truncated_mp4
from tests.support.media import (
    espeak_available,
    make_audio_only,
    make_silent_wav,
    make_video,
)
from video_pipeline.output_keys import output_key
from video_pipeline.upload import video_from_event

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

ZERO_BYTE = "empty upload.mp4"
TEXT_AS_VIDEO = "meeting notes.mp4"
TRUNCATED = "cut off.mp4"
AUDIO_ONLY = "podcast episode.mp4"
NO_AUDIO = "silent film.mp4"
SILENT_AUDIO = "quiet room.mp4"
SILENT_WAV = "empty voice memo.wav"
UNICODE_NAME = "My trip + Ünïcödé.final.v2.mp4"
UNICODE_SLUG = "My-trip-Unicode.final.v2"
PIPELINE_WORDS = "audio mp4 transcribe notes.mp4"
PIPELINE_WORDS_SLUG = "audio-mp4-transcribe-notes"
PORTRAIT_SMALL = "portrait small.mp4"
PORTRAIT_FULL_HD = "portrait full hd.mp4"
TINY = "tiny qcif.mp4"

# Words that say "this is a crash, not an explanation" when they reach a user.
CRASH_MARKERS = ("Traceback", "stackTrace", "States.Runtime", "Lambda.Unknown", "(Service:")
TRANSCRIPT_WORDS = 80_000
DYNAMODB_ITEM_LIMIT = 400 * 1024


# --------------------------------------------------------------------------- helpers
@dataclass
class Batch:
    code: int
    text: str
    out: Path
    runs: dict[str, dict[str, Any]]  # by source file name

    def folder(self, file_name: str) -> Path:
        return Path(self.runs[file_name]["folder"])


def _run_batch(videos: list[Path], out: Path) -> Batch:
    stream = io.StringIO()
    code = main(
        ["run", *map(str, videos), "--out", str(out), "--jobs", str(len(videos)), "--quiet"],
        stream=stream,
    )
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return Batch(code, stream.getvalue(), out, {Path(r["source"]).name: r for r in runs})


def _record(folder: Path, table: str = "VideosTable") -> dict[str, Any]:
    (item,) = json.loads((folder / "records" / f"{table}.json").read_text(encoding="utf-8"))
    return dict(item)


def _email(folder: Path) -> tuple[Message, str]:
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return message, body.decode("utf-8")


def _outputs(folder: Path) -> dict[str, Path]:
    """output/<kind>/<file> -> {kind: path}, for the kinds with one file each: what is on screen
    (a view, its tracks and stills) is checked through its view."""
    files = (folder / "output").glob("*/*")
    return {p.parent.name: p for p in files if p.is_file() and p.parent.name != "vision"}


def _vision_view(folder: Path) -> dict[str, Any]:
    (view,) = (folder / "output" / "vision").glob("*.json")
    return cast(dict[str, Any], json.loads(view.read_text(encoding="utf-8")))


def _picture_size(path: Path) -> tuple[int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(container.decode(stream))
        return frame.width, frame.height


def _assert_failed(batch: Batch, file_name: str, state: str) -> dict[str, Any]:
    """What a user checks on a failed upload; returns the failure map for more checks."""
    assert batch.code == 1, batch.text
    run = batch.runs[file_name]
    assert run["status"] == "FAILED"
    folder = batch.folder(file_name)
    record = _record(folder)
    assert record["status"] == "FAILED"
    assert record["fileName"] == file_name
    failure: dict[str, Any] = record["failure"]
    assert failure["state"] == state
    assert run["failure"]["state"] == state
    reason = str(failure["reason"])
    assert reason.strip()
    assert len(reason) < 300, reason
    assert not any(marker in reason for marker in CRASH_MARKERS), reason
    assert file_name in reason, reason
    mail, body = _email(folder)
    assert mail["X-Attribute-status"] == "FAILED"
    assert mail["X-Attribute-failedState"] == state
    assert mail["Subject"] == f"reelscribe: {file_name} failed in {state}"
    assert f"Failed state: {state}" in body
    assert "Nothing was deleted" in body
    # Nothing half-made: a failed upload leaves no output at all.
    assert not (folder / "output").exists()
    assert not (folder / "records" / "MetadataTable.json").exists()
    return failure


def _assert_completed(batch: Batch, file_name: str) -> tuple[dict[str, Any], Path]:
    assert batch.code == 0, batch.text
    assert batch.runs[file_name]["status"] == "SUCCEEDED"
    folder = batch.folder(file_name)
    record = _record(folder)
    assert record["status"] == "COMPLETED"
    assert record["fileName"] == file_name
    mail, _ = _email(folder)
    assert mail["X-Attribute-status"] == "COMPLETED"
    assert mail["X-Attribute-videoId"] == record["videoId"]
    return record, folder


# --------------------------------------------------------------------------- batch runs
@pytest.fixture(scope="module")
def failing_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    media = tmp_path_factory.mktemp("bad-media")
    videos = [
        make_empty_file(media / ZERO_BYTE),
        make_text_file(media / TEXT_AS_VIDEO),
        make_truncated_mp4(media / TRUNCATED, seconds=2.0),
    ]
    return _run_batch(videos, tmp_path_factory.mktemp("bad-out"))


@pytest.fixture(scope="module")
def passing_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    media = tmp_path_factory.mktemp("odd-media")
    small = {"width": 320, "height": 180}
    videos = [
        make_video(media / NO_AUDIO, **small, duration=1.5, audio="none"),
        make_audio_only(media / AUDIO_ONLY, "This file has a voice and no picture."),
        make_silent_wav(media / SILENT_WAV, 2.0),
        make_video(media / SILENT_AUDIO, **small, duration=1.5, audio="silent"),
        make_video(media / UNICODE_NAME, **small, speech="Hello from the trip."),
        make_video(media / PIPELINE_WORDS, **small, speech="Take some notes."),
        make_video(media / PORTRAIT_SMALL, width=360, height=640, duration=2.0, audio="none"),
        make_video(media / PORTRAIT_FULL_HD, width=1080, height=1920, duration=2.0, audio="none"),
        make_video(media / TINY, width=176, height=144, duration=2.0, audio="none"),
    ]
    return _run_batch(videos, tmp_path_factory.mktemp("odd-out"))


# --------------------------------------------------------------------------- uploads that fail
def test_zero_byte_file_fails_in_probe_media_saying_it_is_empty(failing_batch: Batch) -> None:
    failure = _assert_failed(failing_batch, ZERO_BYTE, "Probe Media")
    assert "empty" in failure["reason"].lower()


def test_text_renamed_mp4_fails_in_probe_media_with_plain_reason(failing_batch: Batch) -> None:
    failure = _assert_failed(failing_batch, TEXT_AS_VIDEO, "Probe Media")
    assert failure["error"] == "MediaConvert.BadRequestException"


def test_truncated_mp4_fails_in_probe_media_with_plain_reason(failing_batch: Batch) -> None:
    failure = _assert_failed(failing_batch, TRUNCATED, "Probe Media")
    # A refusal by the service, not a crash of the pipeline.
    assert failure["error"] == "MediaConvert.BadRequestException"


def test_failing_batch_run_exits_one_and_reports_every_failure(failing_batch: Batch) -> None:
    assert failing_batch.code == 1
    assert "0 succeeded, 3 failed" in failing_batch.text
    assert failing_batch.text.count("Failed in state: Probe Media") == 3


# --------------------------------------------------------------------------- odd uploads that work
def test_video_without_audio_track_completes_with_no_transcript(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, NO_AUDIO)
    assert record["noAudio"] is True
    assert set(record["renditions"]) == {"web", "phone", "gif"}
    assert set(_outputs(folder)) == {"web", "phone", "gif"}
    # What is on screen does not depend on sound
    assert _vision_view(folder)["branches"]["shots"] == {"available": True}
    assert not (folder / "output" / "transcribe").exists()
    assert not (folder / "records" / "MetadataTable.json").exists()
    assert not record.get("transcriptKey")
    _, body = _email(folder)
    assert "no audio track" in body


def test_video_with_silent_audio_completes_with_empty_transcript(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, SILENT_AUDIO)
    assert record["noAudio"] is False
    assert set(_outputs(folder)) == {
        "web",
        "phone",
        "audio",
        "gif",
        "transcribe",
        "subtitles",
        "analysis",
    }
    metadata = _record(folder, "MetadataTable")
    assert metadata["transcript"] == ""
    assert metadata["wordCount"] == 0
    assert metadata["transcriptTruncated"] is False
    assert record["transcriptKey"] == metadata["JsonFile"]
    document = json.loads(_outputs(folder)["transcribe"].read_text(encoding="utf-8"))
    assert document["results"]["transcripts"][0]["transcript"] == ""
    # Too little text to analyse: NO_DATA, as a flag, not a failure
    analysis = json.loads(_outputs(folder)["analysis"].read_text(encoding="utf-8"))
    assert analysis["sentiment"]["status"] == "NO_DATA"
    assert analysis["keyPhrases"]["status"] == "NO_DATA"
    assert metadata["Sentiment"] == "NO_DATA"
    assert record["overallSentiment"] == "NO_DATA"
    _, body = _email(folder)
    assert "no speech was recognised" in body


def test_audio_only_mp4_completes_as_audio_with_the_mp3_and_transcript(
    passing_batch: Batch,
) -> None:
    record, folder = _assert_completed(passing_batch, AUDIO_ONLY)
    assert record["noAudio"] is False
    assert set(record["renditions"]) == {"audio"}
    assert set(_outputs(folder)) == {"audio", "transcribe", "subtitles", "analysis"}
    states = [s["name"] for s in json.loads((folder / "execution/states.json").read_text())]
    assert "Plan Audio Transcode" in states
    metadata = _record(folder, "MetadataTable")
    assert "voice" in metadata["transcript"].lower()


def test_audio_file_of_silence_completes_with_no_data(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, SILENT_WAV)
    assert set(record["renditions"]) == {"audio"}
    metadata = _record(folder, "MetadataTable")
    assert metadata["transcript"] == ""
    assert metadata["wordCount"] == 0
    analysis = json.loads(_outputs(folder)["analysis"].read_text(encoding="utf-8"))
    assert analysis["sentiment"]["status"] == "NO_DATA"
    assert record["overallSentiment"] == "NO_DATA"
    _, body = _email(folder)
    assert "no speech was recognised" in body


def test_unicode_plus_and_dots_name_completes_keeping_original_name(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, UNICODE_NAME)
    assert record["fileName"] == UNICODE_NAME
    assert record["sourceUri"].endswith("/" + UNICODE_NAME)
    outputs = _outputs(folder)
    assert set(outputs) == {"web", "phone", "audio", "gif", "transcribe", "subtitles", "analysis"}
    for kind, path in outputs.items():
        assert path.name.rsplit(".", 1)[0] == UNICODE_SLUG, (kind, path)
    assert (folder / "output" / "transcribe" / f"{UNICODE_SLUG}.json").is_file()
    assert (folder / "output" / "web" / f"{UNICODE_SLUG}.mp4").is_file()
    metadata = _record(folder, "MetadataTable")
    assert metadata["wordCount"] > 0
    mail, body = _email(folder)
    assert folder.name == UNICODE_NAME.removesuffix(".mp4")
    assert (
        str(make_header(decode_header(mail["Subject"]))) == f"reelscribe: {UNICODE_NAME} is ready"
    )
    assert f"Your video {UNICODE_NAME} has been processed." in body


def test_name_with_pipeline_words_completes_keeping_every_word(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, PIPELINE_WORDS)
    outputs = _outputs(folder)
    assert set(outputs) == {"web", "phone", "audio", "gif", "transcribe", "subtitles", "analysis"}
    for kind, path in outputs.items():
        assert path.stem == PIPELINE_WORDS_SLUG, (kind, path)
        for word in ("audio", "mp4", "transcribe"):
            assert word in path.name, (word, path)
    for kind, key in record["renditions"].items():
        assert key.startswith(f"output/{kind}/")
        assert key.rsplit("/", 1)[-1].startswith(PIPELINE_WORDS_SLUG + "."), key
    assert record["transcriptKey"].endswith(f"/{PIPELINE_WORDS_SLUG}.json")


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        # Smaller than the turned 720x1280 box: kept as it is, never upscaled.
        (PORTRAIT_SMALL, {"web": (360, 640), "phone": (360, 640), "gif": (270, 480)}),
        # Full HD portrait: fitted into the turned boxes, aspect ratio kept.
        (PORTRAIT_FULL_HD, {"web": (720, 1280), "phone": (540, 960), "gif": (270, 480)}),
    ],
)
def test_portrait_video_renditions_turn_the_box_without_upscaling(
    passing_batch: Batch, file_name: str, expected: dict[str, tuple[int, int]]
) -> None:
    _, folder = _assert_completed(passing_batch, file_name)
    outputs = _outputs(folder)
    assert {kind: _picture_size(outputs[kind]) for kind in expected} == expected


def test_tiny_video_renditions_are_never_upscaled(passing_batch: Batch) -> None:
    record, folder = _assert_completed(passing_batch, TINY)
    outputs = _outputs(folder)
    assert set(outputs) == set(record["renditions"]) == {"web", "phone", "gif"}
    assert {kind: _picture_size(path) for kind, path in outputs.items()} == {
        "web": (176, 144),
        "phone": (176, 144),
        "gif": (176, 144),
    }


def test_passing_batch_run_exits_zero_and_reports_every_success(passing_batch: Batch) -> None:
    assert passing_batch.code == 0, passing_batch.text
    assert "9 succeeded, 0 failed" in passing_batch.text


# --------------------------------------------------------------------------- across every upload
def test_every_upload_ends_completed_or_failed_never_processing(
    failing_batch: Batch, passing_batch: Batch
) -> None:
    for batch, expected in ((failing_batch, "FAILED"), (passing_batch, "COMPLETED")):
        for name in batch.runs:
            record = _record(batch.folder(name))
            assert record["status"] == expected, (name, record["status"])
        # No folder holds a record in any other state either.
        for path in batch.out.glob("*/records/VideosTable.json"):
            statuses = {i["status"] for i in json.loads(path.read_text(encoding="utf-8"))}
            assert statuses == {expected}, (path, statuses)


def test_every_output_file_is_whole_and_readable(
    failing_batch: Batch, passing_batch: Batch
) -> None:
    files = [
        p for b in (failing_batch, passing_batch) for p in b.out.glob("*/output/*/*") if p.is_file()
    ]
    assert len(files) >= 7 * 3
    for path in files:
        if path.suffix == ".json":
            document = json.loads(path.read_text(encoding="utf-8"))
            assert "results" in document or "sentiment" in document or "branches" in document, path
            continue
        if path.suffix == ".vtt":
            assert path.read_text(encoding="utf-8").startswith("WEBVTT"), path
            continue
        if path.suffix == ".srt":
            # A transcript with no words has no cues, so its SRT is empty but whole.
            vtt = path.with_suffix(".vtt").read_text(encoding="utf-8")
            assert (path.stat().st_size > 0) == (" --> " in vtt), path
            continue
        assert path.stat().st_size > 0, path
        with av.open(str(path)) as container:
            assert container.streams, path
            first = container.streams[0]
            assert next(container.decode(first), None) is not None, path


# --------------------------------------------------------------------------- oversized transcript
@pytest.fixture
def mocked_pipeline() -> Iterator[Pipeline]:
    with LocalRuntime(ROOT / "template.yaml", mock_config_file=MOCK_CONFIG) as runtime:
        yield Pipeline(runtime)


def _transcribe_document(word_count: int) -> tuple[dict[str, Any], str]:
    """A Transcribe output document with `word_count` timed words, and its transcript."""
    vocabulary = ("the", "pipeline", "keeps", "every", "long", "recording", "readable", "notes")
    words = [vocabulary[i % len(vocabulary)] for i in range(word_count)]
    items = [
        {
            "id": i,
            "type": "pronunciation",
            "alternatives": [{"confidence": "0.95", "content": word}],
            "start_time": f"{i * 0.4:.3f}",
            "end_time": f"{i * 0.4 + 0.3:.3f}",
        }
        for i, word in enumerate(words)
    ]
    text = " ".join(words)
    document = {
        "jobName": "reelscribe-long-talk",
        "accountId": "123456789012",
        "status": "COMPLETED",
        "results": {
            "language_code": "en-US",
            "transcripts": [{"transcript": text}],
            "items": items,
        },
    }
    return document, text


def test_transcript_over_400kb_is_stored_as_preview_and_pointer(
    mocked_pipeline: Pipeline, tmp_path: Path
) -> None:
    # Given an upload whose transcription produces ~80,000 words (over 400 KB of text)
    runtime = mocked_pipeline.runtime
    upload = make_video(tmp_path / "long talk.mp4", width=176, height=144, audio="none")
    event = runtime.upload(upload, "alice/long talk.mp4")
    detail = event["detail"]
    video = video_from_event(
        detail["bucket"]["name"],
        detail["object"]["key"],
        detail["object"]["size"],
        detail["object"].get("version-id"),
        detail["object"].get("sequencer"),
        detail["object"]["etag"],
        datetime.fromisoformat(event["time"].replace("Z", "+00:00")),
    )
    key = output_key("transcribe", video, "json")
    document, text = _transcribe_document(TRANSCRIPT_WORDS)
    full_bytes = len(text.encode("utf-8"))
    assert full_bytes > DYNAMODB_ITEM_LIMIT
    runtime.s3.put_object(
        Bucket=runtime.output_bucket, Key=key, Body=json.dumps(document).encode("utf-8")
    )

    # When the pipeline runs with the media services scripted and Read Transcript real
    outcome = mocked_pipeline.outcome(mocked_pipeline.start(event, "MediaMockedPath"))

    # Then it succeeds and the item holds a preview and a pointer, far below 400 KB
    assert outcome.status == "SUCCEEDED", outcome.description
    assert outcome.video["videoId"] == video.videoId
    assert outcome.run("Read Transcript").status == "SUCCEEDED"
    (item,) = mocked_pipeline.items("MetadataTable")
    assert item["JsonFile"] == key
    assert item["transcriptTruncated"] is True
    assert item["transcriptBytes"] == full_bytes
    assert item["transcriptBytes"] > DYNAMODB_ITEM_LIMIT
    assert item["transcriptUri"] == f"s3://{runtime.output_bucket}/{key}"
    assert 0 < len(item["transcript"]) < len(text)
    assert text.startswith(item["transcript"])
    assert item["wordCount"] == TRANSCRIPT_WORDS
    item_size = len(json.dumps(item, default=str).encode("utf-8"))
    assert item_size < DYNAMODB_ITEM_LIMIT // 10, item_size
    (record,) = mocked_pipeline.items("VideosTable")
    assert record["status"] == "COMPLETED"
    assert record["transcriptKey"] == key
    (mail,) = mocked_pipeline.notifications()
    assert mail.attributes["status"] == "COMPLETED"
    assert len(mail.message) < 10_000
