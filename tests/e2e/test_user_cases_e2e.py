"""End to end: the cases a new user meets early, each on one short clip of known speech."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available, make_video

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

LATE_SPEECH = "Nothing is said for four seconds, and then these words are spoken."


def test_pipeline_names_with_url_syntax_complete_with_the_names_kept(tmp_path: Path) -> None:
    # Given a file and a user id with '#' and '?', which S3 keys may hold but URLs may not
    clip = make_video(tmp_path / "what? #1.mp4", duration=2.0, speech="Hash and question.")
    # When it is run
    code, text = run_quietly(str(clip), "--user", "#team?", "--out", str(tmp_path / "out"))
    # Then the video completes, and its record keeps the names as they were given
    folder = tmp_path / "out" / "what? #1"
    video = video_record(folder)
    assert code == 0, text
    assert video["status"] == "COMPLETED"
    assert (video["userId"], video["fileName"]) == ("#team?", "what? #1.mp4")
    assert (folder / "output" / "web" / "what-1.mp4").is_file()


def test_pipeline_audio_that_starts_late_gives_cues_on_the_video_timeline(tmp_path: Path) -> None:
    # Given a clip whose audio stream starts 4 s into the video
    clip = make_video(tmp_path / "late audio.mp4", speech=LATE_SPEECH, audio_start=4.0)
    # When it is run
    code, text = run_quietly(str(clip), "--out", str(tmp_path / "out"))
    # Then the words are placed where they are heard in the video, not 4 s early
    folder = tmp_path / "out" / "late audio"
    document = json.loads((folder / "output/transcribe/late-audio.json").read_text())
    words = [i for i in document["results"]["items"] if i["type"] == "pronunciation"]
    first_cue = (folder / "output/subtitles/late-audio.srt").read_text().splitlines()[1]
    assert code == 0, text
    assert 3.5 <= float(words[0]["start_time"]) <= 5.0, words[0]
    assert first_cue.startswith(("00:00:03,", "00:00:04,")), first_cue
