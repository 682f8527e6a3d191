"""End to end: real media made from known text, through the real template, ASL and functions,
with ffmpeg and faster-whisper behind the emulated MediaConvert and Transcribe."""

from __future__ import annotations

import email
import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import av
import pytest

from reelscribe.cli import main
from reelscribe.template import Template
from tests.support.media import espeak_available, make_video
from tests.support.wer import word_error_rate

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

SPEECH = (
    "Welcome to the video pipeline. "
    "Every upload becomes a web video, a phone video, an audio file and a transcript."
)
MAX_WORD_ERROR_RATE = 0.2


def _streams(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        info: dict[str, Any] = {"duration": float(container.duration or 0) / 1_000_000}
        for stream in container.streams:
            if stream.type == "video":
                info["video"] = (stream.codec_context.name, stream.width, stream.height)
                info["frames"] = sum(1 for _ in container.decode(stream))
                container.seek(0)
            elif stream.type == "audio":
                info["audio"] = (stream.codec_context.name, stream.bit_rate or 0)
        return info


def _run(*args: str, quiet: bool = True) -> tuple[int, str]:
    out = io.StringIO()
    return main(["run", *args, *(["--quiet"] if quiet else [])], stream=out), out.getvalue()


def _records(folder: Path, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((folder / "records" / f"{table}.json").read_text())
    return items


def _emails(folder: Path) -> list[email.message.Message]:
    return [
        email.message_from_bytes(p.read_bytes())
        for p in sorted((folder / "notifications").glob("*.eml"))
    ]


@pytest.fixture(scope="module")
def speech_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media")
    return make_video(folder / "fox and audio.mp4", width=1280, height=720, speech=SPEECH)


@pytest.fixture(scope="module")
def speech_run(
    speech_clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, str, Path]:
    out = tmp_path_factory.mktemp("out")
    code, text = _run(str(speech_clip), "--user", "e2e-user", "--out", str(out))
    return code, text, out / "fox and audio"


def test_pipeline_speech_clip_exits_zero_and_reports_success(
    speech_run: tuple[int, str, Path],
) -> None:
    code, text, folder = speech_run
    assert code == 0, text
    assert "1 succeeded, 0 failed" in text
    assert folder.is_dir()


def test_pipeline_speech_clip_renditions_have_right_codecs_sizes_and_duration(
    speech_run: tuple[int, str, Path], speech_clip: Path
) -> None:
    _, _, folder = speech_run
    source = _streams(speech_clip)
    web = _streams(folder / "output/web/fox-and-audio.mp4")
    phone = _streams(folder / "output/phone/fox-and-audio.mp4")
    mp3 = _streams(folder / "output/audio/fox-and-audio.mp3")
    gif = _streams(folder / "output/gif/fox-and-audio.gif")

    assert web["video"] == ("h264", 1280, 720)
    assert web["audio"][0] == "aac"
    assert phone["video"] == ("h264", 960, 540)
    assert phone["audio"][0] == "aac"
    assert mp3["audio"][0].startswith("mp3")
    assert 300_000 <= mp3["audio"][1] <= 330_000
    assert "video" not in mp3
    assert gif["video"][0] == "gif"
    assert gif["video"][1:] == (480, 270)
    assert gif["frames"] > 1
    for rendition in (web, phone, mp3):
        assert rendition["duration"] == pytest.approx(source["duration"], abs=0.3)


def test_pipeline_speech_clip_transcript_matches_spoken_text(
    speech_run: tuple[int, str, Path],
) -> None:
    _, _, folder = speech_run
    document = json.loads((folder / "output/transcribe/fox-and-audio.json").read_text())
    transcript = document["results"]["transcripts"][0]["transcript"]
    assert word_error_rate(SPEECH, transcript) < MAX_WORD_ERROR_RATE, transcript
    words = [i for i in document["results"]["items"] if i["type"] == "pronunciation"]
    assert all(float(w["end_time"]) >= float(w["start_time"]) for w in words)


def test_pipeline_speech_clip_records_video_and_metadata(speech_run: tuple[int, str, Path]) -> None:
    _, _, folder = speech_run
    (video,) = _records(folder, "VideosTable")
    (metadata,) = _records(folder, "MetadataTable")

    assert video["userId"] == "e2e-user"
    assert video["status"] == "COMPLETED"
    assert video["fileName"] == "fox and audio.mp4"
    assert set(video["renditions"]) == {"web", "phone", "audio", "gif"}
    assert video["transcriptKey"] == metadata["JsonFile"]
    assert video["noAudio"] is False
    assert video["durationSeconds"] > 5
    assert word_error_rate(SPEECH, metadata["transcript"]) < MAX_WORD_ERROR_RATE
    assert metadata["wordCount"] == len(SPEECH.split())
    assert metadata["languageCode"] == "en-US"
    assert 0 < metadata["averageConfidence"] <= 1
    assert metadata["transcriptTruncated"] is False


def test_pipeline_speech_clip_sends_one_readable_success_email(
    speech_run: tuple[int, str, Path],
) -> None:
    _, _, folder = speech_run
    (mail,) = _emails(folder)
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert mail["Subject"] == "reelscribe: fox and audio.mp4 is ready"
    assert mail["X-Attribute-status"] == "COMPLETED"
    assert "output/web/e2e-user/" in body
    assert "every upload becomes" in body.lower()


def test_pipeline_speech_clip_history_visits_every_main_state_in_order(
    speech_run: tuple[int, str, Path],
) -> None:
    _, _, folder = speech_run
    states = [s["name"] for s in json.loads((folder / "execution/states.json").read_text())]
    expected = [
        "Parse Upload",
        "Is It a Known Face?",
        "Register Video",
        "Probe Media",
        "What Kind of Media Is It?",
        "Plan Transcode",
        "Start Transcode Job",
        "Get Transcode Job",
        "Read Transcript",
        "Store Transcript Metadata",
        "Mark Video Completed",
        "Notify Success",
        "Video Processed",
    ]
    positions = [states.index(name) for name in expected]
    assert positions == sorted(positions)
    assert "Describe Failure" not in states


def test_pipeline_speech_clip_polls_as_the_template_says_and_sees_the_end_at_once(
    speech_run: tuple[int, str, Path],
) -> None:
    _, _, folder = speech_run
    runs = json.loads((folder / "execution/states.json").read_text())
    shortest = int(Template.load(ROOT / "template.yaml", {}).parameters["MinPollSeconds"])
    waits = [r for r in runs if r["name"] == "Wait for Transcode"]
    # Locally as on AWS, the plan's wait comes from the template's poll bounds ...
    assert {w["input"]["plan"]["transcode"]["poll"]["waitSeconds"] for w in waits} == {shortest}
    # ... and the loop still reads the finished job well within one wait of its end.
    last = [r for r in runs if r["name"] == "Get Transcode Job"][-1]
    job = last["output"]["transcodeJob"]
    assert job["Status"] == "COMPLETE"
    finished = datetime.fromisoformat(job["Detail"]["Timing"]["FinishTime"])
    assert (datetime.fromisoformat(last["exited"]) - finished).total_seconds() < 1.0


def test_pipeline_text_file_fails_in_probe_with_record_and_email(tmp_path: Path) -> None:
    # Given a text file renamed .mp4
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n")
    # When it is run
    code, text = _run(str(fake), "--out", str(tmp_path / "out"))
    # Then the run fails, names the state and the reason, and keeps a FAILED record
    folder = tmp_path / "out" / "notes"
    assert code == 1
    assert "Failed in state: Probe Media" in text
    (video,) = _records(folder, "VideosTable")
    assert video["status"] == "FAILED"
    assert video["failure"]["state"] == "Probe Media"
    (mail,) = _emails(folder)
    assert mail["X-Attribute-failedState"] == "Probe Media"
    assert not (folder / "output").exists()


def test_pipeline_video_without_audio_completes_with_no_audio_flag(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "silent film.mp4", duration=3.0, audio="none")
    code, text = _run(str(clip), "--out", str(tmp_path / "out"))
    folder = tmp_path / "out" / "silent film"
    assert code == 0, text
    (video,) = _records(folder, "VideosTable")
    assert video["status"] == "COMPLETED"
    assert video["noAudio"] is True
    assert set(video["renditions"]) == {"web", "phone", "gif"}
    assert not (folder / "output" / "transcribe").exists()
    assert "no audio track" in _emails(folder)[0].get_payload(decode=True).decode()  # type: ignore[union-attr]


def test_pipeline_several_videos_run_concurrently_and_none_is_lost(tmp_path: Path) -> None:
    videos = tmp_path / "batch"
    videos.mkdir()
    for number in range(3):
        make_video(videos / f"clip {number}.mp4", speech=f"This is clip number {number}.")
    code, text = _run(str(videos), "--out", str(tmp_path / "out"), "--jobs", "3")
    assert code == 0, text
    runs = json.loads((tmp_path / "out" / "runs.json").read_text())
    assert sorted(Path(r["source"]).name for r in runs) == [
        "clip 0.mp4",
        "clip 1.mp4",
        "clip 2.mp4",
    ]
    assert all(r["status"] == "SUCCEEDED" for r in runs)
    for number in range(3):
        assert (tmp_path / "out" / f"clip {number}" / "output/web" / f"clip-{number}.mp4").is_file()


def test_pipeline_sample_video_runs_by_default_and_matches_its_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a new user who runs `reelscribe run` with no video
    monkeypatch.chdir(tmp_path)
    code, text = _run(quiet=False)
    # Then the bundled sample is processed end to end, each state is shown as it is entered and
    # the transcode's progress rising to 100%, and the transcript matches the sample's script
    folder = tmp_path / "reelscribe-out" / "reelscribe-demo"
    script = (ROOT / "samples" / "reelscribe-demo.txt").read_text()
    (metadata,) = _records(folder, "MetadataTable")
    assert code == 0, text
    assert word_error_rate(script, metadata["transcript"]) < MAX_WORD_ERROR_RATE
    assert (folder / "output" / "web" / "reelscribe-demo.mp4").is_file()
    lines = re.findall(r"^  \[ *\d+\.\ds\] (.{28}) (.+)$", text, re.MULTILINE)
    shown = [line for label, line in lines if label.strip() == "reelscribe-demo.mp4"]
    states = json.loads((folder / "execution" / "states.json").read_text())
    assert [s for s in shown if not s.startswith(" ")] == list(
        dict.fromkeys(run["name"] for run in states)
    ), text
    assert any(re.fullmatch(r"  transcode progressing, \d+%", s) for s in shown), text
    percents = [int(p) for s in shown for p in re.findall(r"^  transcode \w+, (\d+)%$", s)]
    assert percents == sorted(percents), text
    assert percents[-1] == 100, text


def test_pipeline_run_past_its_timeout_is_stopped_and_says_where_and_why(tmp_path: Path) -> None:
    # Given a clip that takes longer to process than the run may wait
    clip = make_video(tmp_path / "long.mp4", duration=20, audio="silent")
    # When it runs with a one-second --timeout
    code, text = _run(str(clip), "--out", str(tmp_path / "out"), "--timeout", "1")
    # Then the execution is stopped, and the summary and runs.json say in which state and why
    (run,) = json.loads((tmp_path / "out" / "runs.json").read_text())
    assert code == 1, text
    assert run["status"] == "ABORTED"
    assert run["failure"]["error"] == "LocalTimeout"
    assert run["failure"]["reason"] == "Still running after 1 s (--timeout)"
    assert f"Stopped in state: {run['failure']['state']}" in text
    assert run["failure"]["state"]
    # And, as on AWS, the stop is reported: the video is FAILED and the failure email sent
    folder = Path(run["folder"])
    (video,) = _records(folder, "VideosTable")
    (message,) = _emails(folder)
    assert video["status"] == "FAILED"
    assert video["failure"]["state"] == run["failure"]["state"]
    assert video["failure"]["error"] == "LocalTimeout"
    assert message["X-Attribute-status"] == "FAILED"
    assert "Still running after 1 s (--timeout)" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert f"This video was not processed: it was stopped in “{run['failure']['state']}”" in page
