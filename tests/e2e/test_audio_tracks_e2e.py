"""Speech on a second audio track, end to end through `reelscribe run`: a video whose first
audio track is silent and whose second speaks (and is marked the default). Left to itself the
pipeline transcribes track 1, hears nothing, and transcribes track 2 in its place; chosen for
the upload, track 2 gets the transcript at once; a track the video lacks fails, naming those it
has."""

from __future__ import annotations

import email
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.audio_tracks import make_two_track_video
from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available
from tests.support.wer import word_error_rate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

SPEECH = "The harbour ferry leaves at noon, and the last boat comes back before midnight."
NAME = "harbour interview.mp4"
MAX_WORD_ERROR_RATE = 0.2


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Track 2 speaks and carries the default disposition a player would follow
    return make_two_track_video(
        tmp_path_factory.mktemp("tracks") / NAME, SPEECH, speech_track=2, default_track=2
    )


def _run(upload: Path, out: Path, *options: str) -> tuple[int, str, Path]:
    code, text = run_quietly(str(upload), "--out", str(out), *options)
    (run,) = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return code, text, Path(run["folder"])


def _email_body(folder: Path) -> str:
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    payload = email.message_from_bytes(path.read_bytes()).get_payload(decode=True)
    assert isinstance(payload, bytes)
    return " ".join(payload.decode("utf-8").split())


def _metadata(folder: Path) -> dict[str, Any]:
    (item,) = json.loads((folder / "records" / "MetadataTable.json").read_text(encoding="utf-8"))
    return dict(item)


def test_audio_tracks_silent_first_track_auto_transcribes_the_second_and_names_it(
    upload: Path, tmp_path: Path
) -> None:
    # When the video is run with no track chosen
    code, text, folder = _run(upload, tmp_path / "auto")

    # Then track 1 is heard first, and track 2's speech becomes the transcript
    assert code == 0, text
    record = video_record(folder)
    assert record["status"] == "COMPLETED"
    assert (record["audioTrack"], record["audioTrackCount"]) == (2, 2)
    assert record["audioNote"] == ""
    metadata = _metadata(folder)
    assert metadata["jobName"].endswith("-track2")
    assert word_error_rate(SPEECH, metadata["transcript"]) <= MAX_WORD_ERROR_RATE
    assert record["overallSentiment"] != "NO_DATA"
    states = [s["name"] for s in json.loads((folder / "execution/states.json").read_text())]
    assert states.count("Read Transcript") == 2
    assert "Try the Next Audio Track" in states
    # ... and the record and the email say which track it was
    body = _email_body(folder)
    assert "Audio track: 2 of 2 (the first with speech)" in body
    assert "no speech was recognised" not in body


def test_audio_tracks_second_track_chosen_for_the_upload_is_transcribed(
    upload: Path, tmp_path: Path
) -> None:
    # When the upload chooses audio track 2 (its audio-track metadata)
    code, text, folder = _run(upload, tmp_path / "chosen", "--audio-track", "2")

    # Then its speech is the transcript, and nothing is said of a silent track
    assert code == 0, text
    record = video_record(folder)
    assert record["status"] == "COMPLETED"
    assert (record["audioTrack"], record["audioTrackCount"]) == (2, 2)
    assert record["audioNote"] == ""
    assert word_error_rate(SPEECH, _metadata(folder)["transcript"]) <= MAX_WORD_ERROR_RATE
    assert record["overallSentiment"] != "NO_DATA"
    body = _email_body(folder)
    assert "Audio track: 2 of 2 (chosen by the upload's audio-track metadata)" in body


def test_audio_tracks_template_track_the_video_lacks_fails_naming_those_it_has(
    upload: Path, tmp_path: Path
) -> None:
    # When the template's AudioTrack asks for a track the video does not have
    code, text, folder = _run(upload, tmp_path / "missing", "--parameter-overrides", "AudioTrack=3")

    # Then the video fails in Plan Transcode with the typed error, naming both tracks
    assert code == 1, text
    record = video_record(folder)
    assert record["status"] == "FAILED"
    failure = record["failure"]
    assert (failure["state"], failure["error"]) == ("Plan Transcode", "AudioTrackNotFoundError")
    assert "AudioTrack parameter asks for audio track 3" in failure["reason"]
    assert "it has 2 audio tracks: 1 (AAC, 1 ch); 2 (AAC, 1 ch)" in failure["reason"]
    body = _email_body(folder)
    assert "Failed state: Plan Transcode" in body
    assert "Error: AudioTrackNotFoundError" in body
    assert not (folder / "output").exists()
