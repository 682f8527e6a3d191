"""The local MediaConvert honours AudioSelectors' Tracks: the job Plan Transcode builds for a
video whose first audio track is silent and whose second speaks, run on the real file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
import pytest

from reelscribe.media import TranscodeError, plan_transcode, probe, run_transcode
from tests.support.audio_tracks import make_two_track_video
from tests.support.media import espeak_available
from video_pipeline.config import PipelineConfig
from video_pipeline.plan import plan_pipeline
from video_pipeline.upload import video_from_event

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

SPEECH = "The harbour ferry leaves at noon every day."
# Digital silence encoded to AAC and MP3 stays far below this; espeak's speech is far above.
SOUND_RMS = 0.01
UPLOADED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def two_tracks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_track_video(tmp_path_factory.mktemp("tracks") / "interview.mp4", SPEECH)


def _mp3_rms(source: Path, workdir: Path, audio_track: str) -> float:
    """Plan the upload with `audio_track` chosen, run the job locally, measure its MP3."""
    found = probe(source)
    video = video_from_event("in", f"alice/{source.name}", 1, None, "1", "etag", UPLOADED)
    config = PipelineConfig.model_validate({"OUTPUT_BUCKET": "out"})
    probed = {"ProbeResults": [found.as_response()]}
    plan = plan_pipeline(video, probed, config, "video", {"audio-track": audio_track})
    job = plan_transcode(plan.transcode["settings"], found, source, workdir)
    run_transcode(job, found.duration)
    (mp3,) = [o.local_path for o in job.outputs if o.local_path.suffix == ".mp3"]
    with av.open(str(mp3)) as container:
        samples = np.concatenate(
            [frame.to_ndarray().ravel() for frame in container.decode(audio=0)]
        )
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))


def test_transcode_audio_selector_track_two_makes_the_mp3_from_the_second_track(
    two_tracks: Path, tmp_path: Path
) -> None:
    # Given a video whose audio track 1 is silent and track 2 speaks, as Probe lists them
    assert probe(two_tracks).as_response()["TrackMappings"][0]["AudioTrackIndexes"] == [2, 3]
    # When the job selects track 2, and then track 1
    second = _mp3_rms(two_tracks, tmp_path / "second", "2")
    first = _mp3_rms(two_tracks, tmp_path / "first", "1")
    # Then the MP3 carries the speech only when made from track 2
    assert second > SOUND_RMS
    assert first < SOUND_RMS / 10


def test_transcode_audio_selector_track_past_the_last_fails_naming_the_count(
    two_tracks: Path, tmp_path: Path
) -> None:
    found = probe(two_tracks)
    video = video_from_event("in", "alice/interview.mp4", 1, None, "1", "etag", UPLOADED)
    config = PipelineConfig.model_validate({"OUTPUT_BUCKET": "out"})
    plan = plan_pipeline(video, {"ProbeResults": [found.as_response()]}, config)
    settings = plan.transcode["settings"]
    settings["Inputs"][0]["AudioSelectors"]["Audio Selector 1"]["Tracks"] = [3]

    with pytest.raises(TranscodeError) as raised:
        plan_transcode(settings, found, two_tracks, tmp_path)

    assert str(raised.value) == (
        "Audio selector 'Audio Selector 1' selects audio track 3, but the input has 2 audio tracks"
    )
