"""Speech in other languages, through the emulated Transcribe as a pipeline calls it.

The speech is espeak-ng's, from known text, so each language's word error rate is measured
against the exact script. espeak-ng's French is the hardest of its voices for Whisper base to
follow, hence its looser bound; the identified language is checked the same way for all.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.local import LocalRuntime
from tests.support.media import espeak_available, make_audio_only, make_video
from tests.support.wer import word_error_rate

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

# language: (espeak-ng voice, script, Transcribe code reported, WER bound)
SPEECH = {
    "es": (
        "es",
        "El tiempo en Madrid fue frío y lluvioso esta mañana. Nuestro equipo terminó el "
        "informe y lo envió al director.",
        "es-US",
        0.25,
    ),
    "de": (
        "de",
        "Das Wetter in Berlin war heute Morgen kalt und regnerisch. Unser Team hat den "
        "Bericht vor dem Mittagessen fertig geschrieben.",
        "de-DE",
        0.3,
    ),
    "fr": (
        "fr",
        "Le temps à Paris était froid et pluvieux ce matin. Notre équipe a terminé le "
        "rapport avant le déjeuner et l'a envoyé au directeur.",
        "fr-FR",
        0.65,
    ),
}
ENGLISH = "The weather in Seattle was cold and rainy this morning."


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(ROOT / "template.yaml") as local:
        yield local


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory, runtime: LocalRuntime) -> dict[str, str]:
    """Each language's clip, uploaded; the values are their S3 URIs."""
    folder = tmp_path_factory.mktemp("languages")
    uris = {}
    for language, (voice, script, _, _) in SPEECH.items():
        path = make_audio_only(folder / f"{language}.mp4", script, voice=voice)
        uris[language] = _put(runtime, path, f"u/{language}.mp4")
    english = make_video(folder / "en.mp4", speech=ENGLISH)
    uris["en"] = _put(runtime, english, "u/en.mp4")
    return uris


def _put(runtime: LocalRuntime, path: Path, key: str) -> str:
    runtime.s3.put_object(Bucket=runtime.upload_bucket, Key=key, Body=path.read_bytes())
    return f"s3://{runtime.upload_bucket}/{key}"


def _transcribe(runtime: LocalRuntime, name: str, uri: str, **language: Any) -> dict[str, Any]:
    """Run one job to its end; the final job and its document."""
    client = runtime.session.client("transcribe")
    key = f"output/transcribe/u/{name}.json"
    client.start_transcription_job(
        TranscriptionJobName=name,
        Media={"MediaFileUri": uri},
        MediaFormat="mp4",
        OutputBucketName=runtime.output_bucket,
        OutputKey=key,
        **language,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get_transcription_job(TranscriptionJobName=name)[
            "TranscriptionJob"
        ]
        if job["TranscriptionJobStatus"] in {"COMPLETED", "FAILED"}:
            break
        time.sleep(0.1)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    body = runtime.s3.get_object(Bucket=runtime.output_bucket, Key=key)["Body"].read()
    return {"job": job, "results": json.loads(body)["results"]}


@pytest.mark.parametrize("language", sorted(SPEECH))
def test_identify_language_speech_is_identified_and_transcribed_in_its_language(
    runtime: LocalRuntime, clips: dict[str, str], language: str
) -> None:
    # Given speech in a language other than English / When the job identifies the language
    _, script, code, bound = SPEECH[language]
    done = _transcribe(runtime, f"identify-{language}", clips[language], IdentifyLanguage=True)
    job, results = done["job"], done["results"]
    transcript = results["transcripts"][0]["transcript"]
    # Then it is labelled with that language and transcribed in it
    assert job["LanguageCode"] == results["language_code"] == code
    assert 0.5 < job["IdentifiedLanguageScore"] <= 1.0
    assert results["language_identification"][0]["code"] == code
    assert len(results["language_identification"]) <= 5
    scores = [float(entry["score"]) for entry in results["language_identification"]]
    assert scores == sorted(scores, reverse=True)
    assert word_error_rate(script, transcript) < bound, transcript


def test_identify_language_english_is_transcribed_as_english(
    runtime: LocalRuntime, clips: dict[str, str]
) -> None:
    done = _transcribe(runtime, "identify-en", clips["en"], IdentifyLanguage=True)

    assert done["job"]["LanguageCode"] == "en-US"
    assert word_error_rate(ENGLISH, done["results"]["transcripts"][0]["transcript"]) < 0.15


def test_identify_language_with_options_answers_the_option_heard(
    runtime: LocalRuntime, clips: dict[str, str]
) -> None:
    # Given Spanish speech and options in Spain's Spanish and English
    done = _transcribe(
        runtime,
        "options-es",
        clips["es"],
        IdentifyLanguage=True,
        LanguageOptions=["en-US", "es-ES"],
    )
    job, results = done["job"], done["results"]
    # Then the Spanish option is answered, and only the options are scored, sharing out 1
    assert job["LanguageCode"] == results["language_code"] == "es-ES"
    assert job["LanguageOptions"] == ["en-US", "es-ES"]
    scored = {entry["code"]: float(entry["score"]) for entry in results["language_identification"]}
    assert set(scored) == {"en-US", "es-ES"}
    assert scored["es-ES"] > scored["en-US"]
    assert sum(scored.values()) == pytest.approx(1.0, abs=0.002)


def test_language_code_given_is_honoured_without_identification(
    runtime: LocalRuntime, clips: dict[str, str]
) -> None:
    done = _transcribe(runtime, "given-de", clips["de"], LanguageCode="de-CH")
    job, results = done["job"], done["results"]

    # The job's language is GetTranscriptionJob's; the document, as the service writes it for
    # a job given its language, does not name it
    assert job["LanguageCode"] == "de-CH"
    assert "language_code" not in results
    assert "IdentifiedLanguageScore" not in job
    assert "language_identification" not in results
    _, script, _, bound = SPEECH["de"]
    assert word_error_rate(script, results["transcripts"][0]["transcript"]) < bound


def test_language_options_without_identify_language_is_bad_request(
    runtime: LocalRuntime,
) -> None:
    client = runtime.session.client("transcribe")
    with pytest.raises(client.exceptions.BadRequestException, match="IdentifyLanguage"):
        client.start_transcription_job(
            TranscriptionJobName="options-alone",
            Media={"MediaFileUri": "s3://b/k.mp4"},
            MediaFormat="mp4",
            LanguageCode="en-US",
            LanguageOptions=["en-US", "es-ES"],
        )


def test_language_whisper_does_not_know_is_bad_request(runtime: LocalRuntime) -> None:
    client = runtime.session.client("transcribe")
    with pytest.raises(client.exceptions.BadRequestException, match="Whisper has no"):
        client.start_transcription_job(
            TranscriptionJobName="kabyle",
            Media={"MediaFileUri": "s3://b/k.mp4"},
            MediaFormat="mp4",
            LanguageCode="kab-DZ",
        )


JAPANESE = "きょうは てんきが とても いいです。あしたは あめが ふるでしょう。"
# Two characters of an unspaced script with a space between them.
_SPACED_HAN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff] +[\u3040-\u30ff\u4e00-\u9fff]")


def test_language_code_japanese_transcript_runs_its_words_together(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    # Given espeak-ng's Japanese (it reads kana), transcribed as ja-JP
    path = make_audio_only(tmp_path / "ja.mp4", JAPANESE, voice="ja")
    done = _transcribe(runtime, "given-ja", _put(runtime, path, "u/ja.mp4"), LanguageCode="ja-JP")
    transcript = done["results"]["transcripts"][0]["transcript"]
    # Then the transcript is Japanese, written as Japanese is: no space between its words
    assert sum("\u3040" <= char <= "\u9fff" for char in transcript) >= 8, transcript
    assert not _SPACED_HAN.search(transcript), transcript
    words = [i for i in done["results"]["items"] if i["type"] == "pronunciation"]
    assert len(words) > 2  # the items are still words, with their own times
