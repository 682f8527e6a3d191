"""Whether the speech is in the language the job was given.

A job given its LanguageCode does no identification: Transcribe transcribes whatever it hears
in that language, and English speech given es-ES comes back as Spanish words with no warning.
So when a language is given, the pipeline also starts an identifying job on the same audio
(`LanguageCheckPlan`); its GetTranscriptionJob answer (LanguageCode, IdentifiedLanguageScore,
which the service gives as soon as it has identified) is compared here with the given code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from .transcribe_output import base_language

if TYPE_CHECKING:
    from mypy_boto3_transcribe import TranscribeServiceClient

# Below this, identification is not sure enough to contradict what the user said.
CLEAR_SCORE = 0.5


class LanguageCheckPlan(BaseModel):
    """The identifying job started beside a job given its language."""

    jobName: str
    outputKey: str


def mismatch_warning(given: str, identified: str, score: float | None) -> str:
    """A sentence naming both languages when identification clearly heard another language
    than the one given; empty when they agree, or identification is unsure or missing."""
    if not given or not identified or score is None or score < CLEAR_SCORE:
        return ""
    if base_language(given) == base_language(identified):
        return ""
    return (
        f"The speech sounds like {identified} (identified with {score:.2f} confidence), "
        f"but it was transcribed as {given}, the language given: the transcript is likely "
        f"wrong. Run it again with TranscribeLanguage={identified} or auto."
    )


def checked_language(
    transcribe: TranscribeServiceClient, plan: LanguageCheckPlan | None, given: str
) -> str:
    """The warning for a job given `given`, from its identifying job's GetTranscriptionJob.

    The check never fails the video: a check that could not start, or has not identified yet,
    or cannot be read, says nothing."""
    if plan is None:
        return ""
    try:
        job = transcribe.get_transcription_job(TranscriptionJobName=plan.jobName)
    except transcribe.exceptions.ClientError:
        return ""
    detail = job.get("TranscriptionJob") or {}
    score = detail.get("IdentifiedLanguageScore")
    identified = str(detail.get("LanguageCode") or "")
    return mismatch_warning(given, identified, None if score is None else float(score))
