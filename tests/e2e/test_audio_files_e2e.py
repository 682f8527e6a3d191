"""Audio uploads end to end: speech in three containers through `reelscribe run`, each getting
the MP3, the transcript (checked by its word error rate), the subtitles and the analysis, the
records and the email, and no picture renditions."""

from __future__ import annotations

import email
import json
from pathlib import Path
from typing import Any

import av
import pytest

from tests.support.audio_files import make_speech_audio
from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available
from tests.support.wer import word_error_rate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

SPEECH = "Podcasts and voice memos are uploaded every day, and each one deserves a transcript."
MAX_WORD_ERROR_RATE = 0.2
FILES = ("episode twelve.mp3", "voice memo.m4a", "lecture notes.ogg")


@pytest.fixture(scope="module")
def audio_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, Path]]:
    media = tmp_path_factory.mktemp("audio-media")
    sources = [make_speech_audio(media / name, SPEECH) for name in FILES]
    out = tmp_path_factory.mktemp("audio-out")
    code, text = run_quietly(str(media), "--out", str(out), "--jobs", "3")
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    folders = {Path(r["source"]).name: Path(r["folder"]) for r in runs}
    assert sorted(folders) == sorted(p.name for p in sources)
    return code, text, folders


def _record(folder: Path, table: str) -> dict[str, Any]:
    (item,) = json.loads((folder / "records" / f"{table}.json").read_text(encoding="utf-8"))
    return dict(item)


def test_audio_files_run_folder_exits_zero(audio_run: tuple[int, str, dict[str, Path]]) -> None:
    code, text, _ = audio_run
    assert code == 0, text
    assert "3 succeeded, 0 failed" in text


@pytest.mark.parametrize("name", FILES)
def test_audio_file_speech_gets_mp3_and_transcript_within_wer(
    audio_run: tuple[int, str, dict[str, Path]], name: str
) -> None:
    # Given speech from a known text in an audio container, run through the pipeline
    folder = audio_run[2][name]
    record = video_record(folder)
    metadata = _record(folder, "MetadataTable")

    # Then it is completed as audio: the MP3 only, with the transcript, subtitles and analysis
    assert record["status"] == "COMPLETED"
    assert record["mediaKind"] == "audio"
    assert set(record["renditions"]) == {"audio"}
    kinds = {p.parent.name for p in (folder / "output").glob("*/*") if p.is_file()}
    assert kinds == {"audio", "transcribe", "subtitles", "analysis"}
    (mp3,) = (folder / "output" / "audio").glob("*.mp3")
    with av.open(str(mp3)) as container:
        assert not container.streams.video
        assert container.streams.audio[0].codec_context.codec.canonical_name == "mp3"
    assert word_error_rate(SPEECH, metadata["transcript"]) <= MAX_WORD_ERROR_RATE
    assert set(record["subtitles"]) == {"vtt", "srt"}
    assert record["overallSentiment"]
    states = [s["name"] for s in json.loads((folder / "execution/states.json").read_text())]
    assert states.index("What Kind of Media Is It?") < states.index("Plan Audio Transcode")
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    mail = email.message_from_bytes(path.read_bytes())
    assert mail["X-Attribute-status"] == "COMPLETED"
    assert name in str(mail["Subject"])
    assert mail["X-Attribute-mediaKind"] == "audio"
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert f"Your audio file {name} has been processed." in body.decode("utf-8")
